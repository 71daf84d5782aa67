// CFFEMKernelsTests — ElementwiseTests.swift: residual add, PReLU, global pooling and GDC kernels of every ISA equal scalar.
import CFFEMKernels
import FFEMCore
import Testing

@Suite struct ElementwiseTests {
    static func randomAddParams(using rng: inout SeededRandom) -> ffem_qs8_add_params {
        var p = ffem_qs8_add_params()
        p.a_zero_point = Int32(rng.int(in: -128...127))
        p.b_zero_point = Int32(rng.int(in: -128...127))
        p.a_multiplier = Int32(rng.int(in: 1 << 30...Int(Int32.max)))
        p.b_multiplier = Int32(rng.int(in: 1 << 30...Int(Int32.max)))
        p.a_shift = Int32(rng.int(in: -8...0))
        p.b_shift = Int32(rng.int(in: -8...0))
        p.left_shift = Int32(rng.int(in: 0...22))
        p.output_multiplier = Int32(rng.int(in: 1 << 30...Int(Int32.max)))
        p.output_shift = Int32(rng.int(in: -31...2))  // large right shifts round, left shifts saturate
        p.output_zero_point = Int32(rng.int(in: -128...127))
        p.output_min = Int32(rng.int(in: -128...0))
        p.output_max = Int32(rng.int(in: 0...127))
        return p
    }

    @Test(arguments: HostISA.simd)
    func addMatchesScalarForEveryLengthAndScale(isa: HostISA) {
        let kernel = isa.table.vadd, scalar = HostISA.scalarTable.vadd
        var rng = SeededRandom(seed: 51)
        for count in Array(1...67) + [127, 1000, 3136] {
            var p = Self.randomAddParams(using: &rng)
            let a = rng.int8s(count), b = rng.int8s(count)
            var expected = [Int8](repeating: 0, count: count), actual = expected
            scalar.ukernel!(count, a, b, &expected, &p)
            kernel.ukernel!(count, a, b, &actual, &p)
            if let mismatch = firstMismatch(actual, expected) {
                Issue.record("\(String(cString: kernel.name)) count \(count) left shift \(p.left_shift): \(mismatch)")
                return
            }
        }
    }

    /// The quantizer's ADD parameters (left shift 9…22, input multipliers in [0, 2^31) with their
    /// edges, input shifts −31…0: the AVX-512 kernel's int32-lane path) on every pair of input
    /// bytes, against the scalar kernel.
    @Test(arguments: HostISA.simd)
    func addWithModelRangeParametersMatchesScalarOnEveryInputPair(isa: HostISA) {
        let kernel = isa.table.vadd, scalar = HostISA.scalarTable.vadd
        var rng = SeededRandom(seed: 54)
        let a = (0..<65536).map { Int8(truncatingIfNeeded: $0) }, b = (0..<65536).map { Int8(truncatingIfNeeded: $0 >> 8) }
        for _ in 0..<24 {
            var p = Self.randomAddParams(using: &rng)
            p.left_shift = Int32(rng.int(in: 9...22))
            p.a_multiplier = PReLUEpilogueProblem.modelRangeMultiplier(using: &rng)
            p.b_multiplier = PReLUEpilogueProblem.modelRangeMultiplier(using: &rng)
            p.a_shift = Int32(rng.int(in: -31...0))
            p.b_shift = Int32(rng.int(in: -31...0))
            p.output_shift = Int32(rng.int(in: -24...0))
            var expected = [Int8](repeating: 0, count: a.count), actual = expected
            scalar.ukernel!(a.count, a, b, &expected, &p)
            kernel.ukernel!(a.count, a, b, &actual, &p)
            #expect(firstMismatch(actual, expected) == nil,
                    "\(String(cString: kernel.name)) left shift \(p.left_shift): \(firstMismatch(actual, expected) ?? "")")
        }
    }

    @Test(arguments: HostISA.simd)
    func preluMatchesScalarOnBothBranches(isa: HostISA) {
        let kernel = isa.table.vprelu, scalar = HostISA.scalarTable.vprelu
        var rng = SeededRandom(seed: 52)
        for channels in [1, 3, 7, 8, 9, 13, 15, 16, 17, 24, 31, 33, 64, 127] {
            let pixels = rng.int(in: 1...9)
            let input = rng.int8s(pixels * channels), alpha = rng.int8s(channels)
            let negative = Requantization.arbitrary(channels: channels, using: &rng)
            var p = ffem_qs8_prelu_params()
            p.input_zero_point = Int32(rng.int(in: -128...127))
            p.alpha_zero_point = Int32(rng.int(in: -128...127))
            p.positive_multiplier = rng.anyInt32()
            p.positive_shift = Int32(rng.int(in: -31...8))
            p.output_zero_point = negative.outputZeroPoint
            p.output_min = Int32(rng.int(in: -128...0))
            p.output_max = Int32(rng.int(in: 0...127))
            var expected = [Int8](repeating: 0, count: pixels * channels), actual = expected
            negative.multiplier.withUnsafeBufferPointer { m in
                negative.shift.withUnsafeBufferPointer { s in
                    p.negative_multiplier = m.baseAddress
                    p.negative_shift = s.baseAddress
                    scalar.ukernel!(pixels, channels, input, alpha, &expected, &p)
                    kernel.ukernel!(pixels, channels, input, alpha, &actual, &p)
                }
            }
            #expect(firstMismatch(actual, expected) == nil,
                    "\(String(cString: kernel.name)) channels \(channels): \(firstMismatch(actual, expected) ?? "")")
        }
    }

    @Test(arguments: HostISA.simd)
    func globalAveragePoolingMatchesScalar(isa: HostISA) {
        let kernel = isa.table.gavgpool, scalar = HostISA.scalarTable.gavgpool
        var rng = SeededRandom(seed: 53)
        for (pixels, channels) in [(1, 1), (49, 3), (49, 13), (7, 24), (196, 127), (49, 512), (3, 17)] {
            let input = rng.int8s(pixels * channels)
            var p = ffem_qs8_gavgpool_params(input_zero_point: Int32(rng.int(in: -128...127)), multiplier: rng.anyInt32(),
                                             shift: Int32(rng.int(in: -31...4)), output_zero_point: Int32(rng.int(in: -128...127)),
                                             output_min: -128, output_max: 127)
            var expected = [Int8](repeating: 0, count: channels), actual = expected
            scalar.ukernel!(pixels, channels, input, &expected, &p)
            kernel.ukernel!(pixels, channels, input, &actual, &p)
            #expect(firstMismatch(actual, expected) == nil, "\(String(cString: kernel.name)) \(pixels)×\(channels)")
        }
    }

    /// GDC kernels pack with their own tile (int16 tap pairs), including odd pixel counts.
    @Test(arguments: HostISA.simd)
    func globalDepthwiseConvolutionMatchesScalar(isa: HostISA) {
        let kernel = isa.table.gdconv, scalar = HostISA.scalarTable.gdconv
        var rng = SeededRandom(seed: 54)
        for (pixels, channels) in [(49, 512), (49, 3), (49, 13), (16, 24), (1, 33), (2, 127), (9, 17), (25, 64)] {
            let input = rng.int8s(pixels * channels), weights = rng.weights(pixels * channels)
            let bias = rng.int32s(channels, in: -30_000...30_000), zeroPoint = Int32(rng.int(in: -128...127))
            let requant = Requantization.random(channels: channels, typicalScale: 1 / (40 * 7 * 74), using: &rng)
            func run(_ config: ffem_qs8_gdconv_config) -> [Int8] {
                var tile = config.tile
                var packed = [UInt8](repeating: 0xA5, count: ffem_x8_pack_dwconv_size(&tile, channels, pixels))
                ffem_x8_pack_dwconv(&tile, channels, pixels, weights, bias, zeroPoint, &packed)
                var output = [Int8](repeating: 0x55, count: channels)
                requant.withParams { config.ukernel!(pixels, channels, input, packed, &output, $0) }
                return output
            }
            let expected = run(scalar), actual = run(kernel)
            #expect(firstMismatch(actual, expected) == nil, "\(String(cString: kernel.name)) \(pixels)×\(channels)")
        }
    }

    @Test(arguments: HostISA.simd)
    func clampMatchesScalarForEveryLengthAndBound(isa: HostISA) {
        let kernel = isa.table.vclamp, scalar = HostISA.scalarTable.vclamp
        var rng = SeededRandom(seed: 55)
        let counts: [Int] = Array(1...70) + [127, 129, 1000]
        for count in counts {
            let low = Int8(rng.int(in: -128...0)), high = Int8(rng.int(in: 0...127))
            let input = rng.int8s(count)
            var expected = [Int8](repeating: 0, count: count), actual = expected
            scalar.ukernel!(count, input, &expected, low, high)
            kernel.ukernel!(count, input, &actual, low, high)
            let mismatch: String? = firstMismatch(actual, expected)
            #expect(mismatch == nil, "\(String(cString: kernel.name)) count \(count)")
        }
    }
}
