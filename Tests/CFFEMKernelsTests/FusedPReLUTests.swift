// CFFEMKernelsTests — FusedPReLUTests.swift: every `_minmax_prelu_` kernel equals its plain kernel's
// scalar oracle followed by the scalar PReLU, byte for byte.
import CFFEMKernels
import FFEMCore
import Testing

/// Random PReLU parameters for a fused epilogue, random alpha and zero points; the PReLU's input
/// zero point is the convolution's output zero point (as in every model) or, one time in three,
/// any other value. Multipliers and shifts are either arbitrary (any Int32, shifts −31…30: the
/// kernels' 64-bit path) or in the quantizer's range (`isModelRange`: multipliers in [0, 2^31)
/// with their edges, negative shifts −31…0, positive shift −31…14: the kernels' int32-lane
/// "narrow" path, ffem_prelu_is_narrow).
struct PReLUEpilogueProblem {
    var alpha: [Int8]
    var negative: Requantization
    var params: ffem_qs8_prelu_params

    /// A multiplier in [0, 2^31), edges over-represented.
    static func modelRangeMultiplier(using rng: inout SeededRandom) -> Int32 {
        switch rng.nextInt(below: 6) {
        case 0: return [0, 1, 1 << 30, Int32.max, Int32.max - 1, (1 << 30) + 1][rng.nextInt(below: 6)]
        case 1: return Int32(rng.int(in: 0...70_000))
        default: return Int32(rng.int(in: 1 << 30...Int(Int32.max)))
        }
    }

    init(channels: Int, convolutionZeroPoint: Int32, isModelRange: Bool = false, using rng: inout SeededRandom) {
        alpha = rng.int8s(channels)
        if isModelRange {
            var multipliers: [Int32] = [], shifts: [Int32] = []
            for _ in 0..<channels {
                multipliers.append(Self.modelRangeMultiplier(using: &rng))
                shifts.append(Int32(rng.int(in: -31...0)))
            }
            negative = Requantization(multiplier: multipliers, shift: shifts, outputZeroPoint: Int32(rng.int(in: -128...127)),
                                      outputMin: -128, outputMax: 127)
        } else {
            negative = Requantization.arbitrary(channels: channels, using: &rng)
        }
        params = ffem_qs8_prelu_params()
        params.input_zero_point = rng.nextInt(below: 3) == 0 ? Int32(rng.int(in: -128...127)) : convolutionZeroPoint
        params.alpha_zero_point = Int32(rng.int(in: -128...127))
        params.positive_multiplier = isModelRange ? Self.modelRangeMultiplier(using: &rng) : rng.anyInt32()
        // The quantizer gives the positive branch a left shift when s_out < s_in (most PReLUs).
        params.positive_shift = Int32(isModelRange ? rng.int(in: -31...14) : rng.int(in: -31...8))
        params.output_zero_point = negative.outputZeroPoint
        params.output_min = Int32(rng.nextInt(below: 3) == 0 ? rng.int(in: -128...0) : -128)
        params.output_max = Int32(rng.nextInt(below: 3) == 0 ? rng.int(in: 0...127) : 127)
    }

    /// `body` with a filled ffem_qs8_prelu_epilogue.
    func withEpilogue<R>(_ body: (UnsafePointer<ffem_qs8_prelu_epilogue>) -> R) -> R {
        negative.multiplier.withUnsafeBufferPointer { m in
            negative.shift.withUnsafeBufferPointer { s in
                alpha.withUnsafeBufferPointer { a in
                    var p = params
                    p.negative_multiplier = m.baseAddress
                    p.negative_shift = s.baseAddress
                    return withUnsafePointer(to: &p) { pp in
                        var epilogue = ffem_qs8_prelu_epilogue(params: pp, alpha: a.baseAddress)
                        return withUnsafePointer(to: &epilogue) { body($0) }
                    }
                }
            }
        }
    }

    /// The unfused sequence's second step: the scalar PReLU over `rows` rows of `channels` bytes
    /// that are `stride` apart (bytes between rows untouched).
    func applyScalar(to output: inout [Int8], rows: Int, channels: Int, stride: Int) {
        withEpilogue { e in
            for row in 0..<rows {
                let slice = Array(output[row * stride..<row * stride + channels])
                var result = slice
                ffem_qs8_vprelu_ukernel__scalar(1, channels, slice, e.pointee.alpha, &result, e.pointee.params)
                output.replaceSubrange(row * stride..<row * stride + channels, with: result)
            }
        }
    }
}

@Suite struct FusedPReLUTests {
    /// The fused slots hold kernels of the same ISA as the plain kernel they extend (so one packing
    /// serves both), and the scalar table has none (the runtime then runs the unfused sequence).
    @Test(arguments: HostISA.all)
    func fusedSlotsMatchTheirPlainKernels(isa: HostISA) {
        let table = isa.table
        if table.gemm_prelu.ukernel != nil { #expect(table.gemm_prelu.isa == table.gemm.isa) }
        if table.dwconv3x3_prelu.ukernel != nil { #expect(table.dwconv3x3_prelu.isa == table.dwconv3x3.isa) }
        if isa.bit == UInt32(FFEM_ISA_SCALAR) {
            #expect(table.gemm_prelu.ukernel == nil && table.dwconv3x3_prelu.ukernel == nil)
        }
    }

    @Test(arguments: HostISA.simd)
    func gemmWithPReLUEqualsScalarGemmThenPReLU(isa: HostISA) {
        let config = isa.table.gemm_prelu
        guard let fused = config.ukernel else { return }
        let plain = isa.table.gemm
        let name = String(cString: config.name)
        let mr = Int(plain.tile.mr), nr = Int(plain.tile.nr)
        var rng = SeededRandom(seed: 71)
        var failures = 0
        let ns = [1, 3, 13, 15, 16, 17, 24, nr - 1, nr, nr + 1, 2 * nr + 1, 127]
        for k in [1, 3, 4, 13, 24, 64, 127] {
            for n in ns {
                let m = rng.int(in: 1...2 * mr + 1)
                let problem = GemmProblem(m: m, n: n, k: k, using: &rng)
                let prelu = PReLUEpilogueProblem(channels: n, convolutionZeroPoint: problem.requant.outputZeroPoint,
                                                 isModelRange: rng.nextInt(below: 2) == 0, using: &rng)
                var expected = problem.run(HostISA.scalarTable.gemm)
                prelu.applyScalar(to: &expected, rows: m, channels: n, stride: problem.outputStride)
                var tile = plain.tile
                var packed = [UInt8](repeating: 0xA5, count: ffem_x8_pack_gemm_size(&tile, n, k))
                ffem_x8_pack_gemm(&tile, n, k, problem.weights, problem.bias, problem.inputZeroPoint, &packed)
                var actual = [Int8](repeating: 0x55, count: m * problem.outputStride)
                problem.requant.withParams { params in
                    prelu.withEpilogue { e in
                        fused(m, n, k, problem.input, problem.inputStride, packed, &actual, problem.outputStride, params, e)
                    }
                }
                if let mismatch = firstMismatch(actual, expected), failures < 5 {
                    failures += 1
                    Issue.record("\(name) m \(m) n \(n) k \(k): \(mismatch)")
                }
            }
        }
    }

    @Test(arguments: HostISA.simd)
    func depthwiseWithPReLUEqualsScalarDepthwiseThenPReLU(isa: HostISA) {
        let config = isa.table.dwconv3x3_prelu
        guard let fused = config.ukernel else { return }
        let plain = isa.table.dwconv3x3
        let name = String(cString: config.name)
        var rng = SeededRandom(seed: 72)
        var failures = 0
        for channels in [1, 3, 7, 13, 15, 16, 17, 24, 31, 32, 33, 47, 64, 127] {
            for stride in 1...2 {
                for padding in [(0, 0), (1, 1), (0, 1), (1, 0)] {
                    let height = rng.int(in: 1...9), width = rng.int(in: 1...11)
                    guard height + padding.0 + padding.1 >= 3, width + padding.0 + padding.1 >= 3 else { continue }
                    let problem = Conv3x3Problem(height: height, width: width, inputChannels: channels, outputChannels: channels,
                                                 stride: stride, paddingTop: padding.0, paddingLeft: padding.0,
                                                 paddingBottom: padding.1, paddingRight: padding.1, using: &rng)
                    let prelu = PReLUEpilogueProblem(channels: channels, convolutionZeroPoint: problem.requant.outputZeroPoint,
                                                     isModelRange: rng.nextInt(below: 2) == 0, using: &rng)
                    var expected = problem.runDepthwise(HostISA.scalarTable.dwconv3x3)
                    let pixels = problem.window.outputHeight * problem.window.outputWidth
                    prelu.applyScalar(to: &expected, rows: pixels, channels: channels, stride: channels)
                    var tile = plain.tile
                    var packed = [UInt8](repeating: 0xA5, count: ffem_x8_pack_dwconv_size(&tile, channels, 9))
                    ffem_x8_pack_dwconv(&tile, channels, 9, problem.weights, problem.bias, problem.window.inputZeroPoint, &packed)
                    var actual = [Int8](repeating: 0x55, count: problem.outputCount)
                    var g = problem.geometry
                    problem.requant.withParams { params in
                        prelu.withEpilogue { e in fused(&g, problem.input, packed, &actual, params, e) }
                    }
                    if let mismatch = firstMismatch(actual, expected), failures < 5 {
                        failures += 1
                        Issue.record("\(name) \(height)×\(width)×\(channels) stride \(stride) padding \(padding): \(mismatch)")
                    }
                }
            }
        }
    }

    /// The standalone PReLU with the quantizer's parameter range (the narrow path): every input
    /// byte −128…127 in every channel, odd channel counts, against the scalar kernel.
    @Test(arguments: HostISA.simd)
    func preluWithModelRangeParametersMatchesScalarOnEveryInput(isa: HostISA) {
        let kernel = isa.table.vprelu
        var rng = SeededRandom(seed: 73)
        for channels in [1, 3, 13, 15, 16, 17, 24, 33, 64, 127] {
            for _ in 0..<6 {
                let prelu = PReLUEpilogueProblem(channels: channels, convolutionZeroPoint: Int32(rng.int(in: -128...127)),
                                                 isModelRange: true, using: &rng)
                let (expected, actual) = prelu.runOnEveryInputByte(kernel, channels: channels)
                #expect(firstMismatch(actual, expected) == nil,
                        "\(String(cString: kernel.name)) channels \(channels): \(firstMismatch(actual, expected) ?? "")")
            }
        }
    }

    /// Slopes at their extremes (alpha − alpha_zero_point = ±255, where the narrow path's folded
    /// slope·M is largest) with extreme multipliers, every input byte, against the scalar kernel.
    @Test(arguments: HostISA.simd)
    func preluWithExtremeSlopesMatchesScalarOnEveryInput(isa: HostISA) {
        let kernel = isa.table.vprelu
        var rng = SeededRandom(seed: 74)
        let channels = 19
        for (alphaValue, alphaZeroPoint) in [(Int8(-128), Int32(127)), (Int8(127), Int32(-128)), (Int8(-127), Int32(-128))] {
            var prelu = PReLUEpilogueProblem(channels: channels, convolutionZeroPoint: Int32(rng.int(in: -128...127)),
                                             isModelRange: true, using: &rng)
            prelu.alpha = [Int8](repeating: alphaValue, count: channels)
            prelu.params.alpha_zero_point = alphaZeroPoint
            prelu.params.positive_multiplier = 1_500_000_000
            prelu.params.positive_shift = 0
            prelu.params.output_min = -128
            prelu.params.output_max = 127
            for c in 0..<channels {
                prelu.negative.multiplier[c] = [0, 1, 1 << 30, Int32.max][c % 4]
                prelu.negative.shift[c] = -Int32(c)
            }
            let (expected, actual) = prelu.runOnEveryInputByte(kernel, channels: channels)
            #expect(firstMismatch(actual, expected) == nil,
                    "\(String(cString: kernel.name)) alpha \(alphaValue), zero point \(alphaZeroPoint): \(firstMismatch(actual, expected) ?? "")")
            #expect(Set(expected).count > 8, "degenerate output")
        }
    }
}

extension PReLUEpilogueProblem {
    /// The scalar and `kernel` standalone PReLUs over 256 pixels, pixel p holding the byte p − 128
    /// in every channel, rotated by the channel index (every input byte in every channel).
    func runOnEveryInputByte(_ kernel: ffem_qs8_vprelu_config, channels: Int) -> (expected: [Int8], actual: [Int8]) {
        let input = (0..<256 * channels).map { Int8(truncatingIfNeeded: $0 / channels + $0 % channels) }
        var expected = [Int8](repeating: 0, count: input.count), actual = expected
        withEpilogue { e in
            ffem_qs8_vprelu_ukernel__scalar(256, channels, input, e.pointee.alpha, &expected, e.pointee.params)
            kernel.ukernel!(256, channels, input, e.pointee.alpha, &actual, e.pointee.params)
        }
        return (expected, actual)
    }
}
