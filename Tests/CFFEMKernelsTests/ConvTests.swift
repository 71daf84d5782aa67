// CFFEMKernelsTests — ConvTests.swift: every standard 3×3 convolution (stem) kernel equals the scalar oracle.
import CFFEMKernels
import FFEMCore
import Testing

@Suite struct ConvTests {
    /// Input channels 1…29 (29 makes a 261-value window, past the kernels' 256-value chunk), output
    /// channels around the 8 and 16 tiles, strides 1 and 2, every padding combination.
    @Test(arguments: HostISA.simd)
    func matchesScalarAcrossChannelsStridesAndPaddings(isa: HostISA) {
        let config = isa.table.conv3x3
        var rng = SeededRandom(seed: 61)
        var failures = 0
        for (ci, co) in [(3, 64), (3, 13), (1, 8), (2, 9), (3, 17), (13, 24), (29, 7), (4, 33), (3, 1)] {
            for stride in 1...2 {
                for padding in [(0, 0), (1, 1), (0, 1)] {
                    let problem = Conv3x3Problem(height: rng.int(in: 3...9), width: rng.int(in: 3...8), inputChannels: ci,
                                                 outputChannels: co, stride: stride, paddingTop: padding.0,
                                                 paddingLeft: padding.0, paddingBottom: padding.1, paddingRight: padding.1,
                                                 using: &rng)
                    let expected = problem.runConvolution(HostISA.scalarTable.conv3x3)
                    if let mismatch = firstMismatch(problem.runConvolution(config), expected), failures < 5 {
                        failures += 1
                        Issue.record("\(String(cString: config.name)) ci \(ci) co \(co) stride \(stride) padding \(padding): \(mismatch)")
                    }
                }
            }
        }
    }

    /// The real stem at reduced size: −128/127 inputs (camera bytes 0 and 255) against ±127 weights.
    @Test(arguments: HostISA.simd)
    func matchesScalarOnExtremeStemInputs(isa: HostISA) {
        var rng = SeededRandom(seed: 62)
        var problem = Conv3x3Problem(height: 12, width: 10, inputChannels: 3, outputChannels: 64, stride: 2, paddingTop: 1,
                                     paddingLeft: 1, paddingBottom: 1, paddingRight: 1, using: &rng)
        problem.input = problem.input.indices.map { $0 % 2 == 0 ? -128 : 127 }
        problem.weights = problem.weights.indices.map { $0 % 3 == 0 ? -127 : 127 }
        #expect(firstMismatch(problem.runConvolution(isa.table.conv3x3), problem.runConvolution(HostISA.scalarTable.conv3x3)) == nil)
    }

    /// The stem with the quantizer's requantization range (every shift ≤ −1: the AVX-512 kernel's
    /// ffem_mbqm_right_avx512 path), against the scalar oracle.
    @Test(arguments: HostISA.simd)
    func matchesScalarWithRightShiftRequantization(isa: HostISA) {
        var rng = SeededRandom(seed: 63)
        for (co, stride) in [(64, 2), (33, 1), (7, 2)] {
            var problem = Conv3x3Problem(height: rng.int(in: 5...12), width: rng.int(in: 5...12), inputChannels: 3,
                                         outputChannels: co, stride: stride, paddingTop: 1, paddingLeft: 1, paddingBottom: 1,
                                         paddingRight: 1, using: &rng)
            for c in 0..<co {
                problem.requant.multiplier[c] = PReLUEpilogueProblem.modelRangeMultiplier(using: &rng)
                problem.requant.shift[c] = -Int32(rng.int(in: c % 5 == 0 ? 1...31 : 5...12))
            }
            let expected = problem.runConvolution(HostISA.scalarTable.conv3x3)
            #expect(firstMismatch(problem.runConvolution(isa.table.conv3x3), expected) == nil,
                    "\(String(cString: isa.table.conv3x3.name)) co \(co) stride \(stride)")
            #expect(Set(expected).count > 8, "co \(co): degenerate output")
        }
    }
}
