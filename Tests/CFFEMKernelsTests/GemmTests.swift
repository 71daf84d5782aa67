// CFFEMKernelsTests — GemmTests.swift: every GEMM kernel, packed by its tile's packer, equals the scalar oracle.
import CFFEMKernels
import FFEMCore
import Testing

/// One GEMM problem with random data, run through any kernel configuration.
struct GemmProblem {
    var m: Int, n: Int, k: Int
    var inputStride: Int, outputStride: Int
    var input: [Int8]
    var inputZeroPoint: Int32
    var weights: [Int8]
    var bias: [Int32]
    var requant: Requantization

    init(m: Int, n: Int, k: Int, using rng: inout SeededRandom) {
        self.m = m
        self.n = n
        self.k = k
        inputStride = k + [0, 3, 7][rng.nextInt(below: 3)]  // prime paddings
        outputStride = n + [0, 5][rng.nextInt(below: 2)]
        input = rng.int8s(m * inputStride)
        inputZeroPoint = Int32(rng.int(in: -128...127))
        weights = rng.weights(n * k)
        bias = rng.int32s(n, in: -50_000...50_000)
        // Accumulators spread about 74·74·√k around the bias.
        requant = Requantization.random(channels: n, typicalScale: 1 / (40 * Double(k).squareRoot() * 74), using: &rng)
    }

    func run(_ config: ffem_qs8_gemm_config) -> [Int8] {
        var tile = config.tile
        var packed = [UInt8](repeating: 0xA5, count: ffem_x8_pack_gemm_size(&tile, n, k))
        ffem_x8_pack_gemm(&tile, n, k, weights, bias, inputZeroPoint, &packed)
        var output = [Int8](repeating: 0x55, count: m * outputStride)
        requant.withParams { params in
            config.ukernel!(m, n, k, input, inputStride, packed, &output, outputStride, params)
        }
        return output
    }

    func reference() -> [Int8] {
        var output = [Int8](repeating: 0x55, count: m * outputStride)
        ReferenceOps.gemm(m: m, n: n, k: k, input: input, inputStride: inputStride, inputZeroPoint: inputZeroPoint,
                          weights: weights, bias: bias, requant: requant, outputStride: outputStride, into: &output)
        return output
    }
}

@Suite struct GemmTests {
    /// m over 1…2·mr+1, n over 1…2·nr+1 (every value up to nr+1, then the edges), k below, at and
    /// above the k block and the odd channel counts 3, 13, 24, 127.
    @Test(arguments: HostISA.simd)
    func matchesScalarAtTileEdges(isa: HostISA) {
        let config = isa.table.gemm
        let name = String(cString: config.name)
        let mr = Int(config.tile.mr), nr = Int(config.tile.nr), kr = Int(config.tile.kr)
        var rng = SeededRandom(seed: 21)
        let ms = Array(1...2 * mr + 1)
        let ns = Array(Set(Array(1...nr + 1) + [2 * nr - 1, 2 * nr, 2 * nr + 1])).sorted()
        let ks = Array(Set([1, kr - 1, kr, kr + 1, 2 * kr + 1, 3, 13, 24, 127].filter { $0 > 0 })).sorted()
        var failures = 0
        for k in ks {
            for n in ns {
                let m = ms[rng.nextInt(below: ms.count)]
                let problem = GemmProblem(m: m, n: n, k: k, using: &rng)
                let expected = problem.run(HostISA.scalarTable.gemm)
                let actual = problem.run(config)
                if let mismatch = firstMismatch(actual, expected), failures < 5 {
                    failures += 1
                    Issue.record("\(name) m \(m) n \(n) k \(k): \(mismatch)")
                }
            }
            for m in ms {
                let problem = GemmProblem(m: m, n: ns[rng.nextInt(below: ns.count)], k: k, using: &rng)
                if let mismatch = firstMismatch(problem.run(config), problem.run(HostISA.scalarTable.gemm)), failures < 5 {
                    failures += 1
                    Issue.record("\(name) m \(m) n \(problem.n) k \(k): \(mismatch)")
                }
            }
        }
    }

    /// −128 inputs against ±127 weights with k = 511 (the largest |accumulator| of a real layer).
    @Test(arguments: HostISA.simd)
    func matchesScalarOnExtremeValues(isa: HostISA) {
        var rng = SeededRandom(seed: 22)
        var problem = GemmProblem(m: 9, n: 37, k: 511, using: &rng)
        problem.input = problem.input.map { _ in -128 }
        problem.weights = problem.weights.indices.map { $0 % 3 == 0 ? -127 : 127 }
        problem.inputZeroPoint = 127
        #expect(firstMismatch(problem.run(isa.table.gemm), problem.run(HostISA.scalarTable.gemm)) == nil)
    }

    /// Every multiplier in [0, 2^31) and every shift ≤ −1 (the quantizer's 1×1 layers; the AVX-512
    /// kernel's ffem_mbqm_right_avx512 path), at tile edges and with extreme inputs.
    @Test(arguments: HostISA.simd)
    func matchesScalarWithRightShiftRequantization(isa: HostISA) {
        var rng = SeededRandom(seed: 24)
        for (m, n, k) in [(1, 1, 1), (8, 32, 64), (9, 33, 127), (17, 64, 4), (3, 95, 256), (16, 31, 13)] {
            var problem = GemmProblem(m: m, n: n, k: k, using: &rng)
            for c in 0..<n {
                problem.requant.multiplier[c] = PReLUEpilogueProblem.modelRangeMultiplier(using: &rng)
                problem.requant.shift[c] = -Int32(rng.int(in: c % 5 == 0 ? 1...31 : 6...14))
            }
            if m == 9 {
                problem.input = problem.input.map { _ in -128 }
                problem.inputZeroPoint = 127
            }
            let expected = problem.run(HostISA.scalarTable.gemm)
            #expect(firstMismatch(problem.run(isa.table.gemm), expected) == nil,
                    "\(String(cString: isa.table.gemm.name)) m \(m) n \(n) k \(k)")
            #expect(Set(expected).count > 4 || m * n < 8, "m \(m) n \(n) k \(k): degenerate output")
        }
    }

    @Test func scalarKernelEqualsSwiftReference() {
        var rng = SeededRandom(seed: 23)
        for (m, n, k) in [(1, 1, 1), (2, 3, 13), (3, 13, 24), (5, 24, 3), (2, 7, 127), (4, 5, 64)] {
            let problem = GemmProblem(m: m, n: n, k: k, using: &rng)
            let actual = problem.run(HostISA.scalarTable.gemm)
            #expect(firstMismatch(actual, problem.reference()) == nil, "m \(m) n \(n) k \(k)")
        }
    }
}
