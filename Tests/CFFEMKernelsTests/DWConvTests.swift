// CFFEMKernelsTests — DWConvTests.swift: every depthwise 3×3 kernel equals the scalar oracle, which equals Swift.
import CFFEMKernels
import FFEMCore
import Testing

/// One depthwise (or standard, when outputChannels differs) 3×3 problem with random data.
struct Conv3x3Problem {
    var window: ReferenceOps.Window
    var input: [Int8]
    var weights: [Int8]
    var bias: [Int32]
    var requant: Requantization

    /// Output size of a window with paddings (top, bottom) along one axis.
    static func outputSize(_ input: Int, stride: Int, before: Int, after: Int) -> Int {
        (input + before + after - 3) / stride + 1
    }

    init(height: Int, width: Int, inputChannels: Int, outputChannels: Int, stride: Int, paddingTop: Int, paddingLeft: Int,
         paddingBottom: Int, paddingRight: Int, using rng: inout SeededRandom) {
        window = ReferenceOps.Window(
            inputHeight: height, inputWidth: width, inputChannels: inputChannels,
            outputHeight: Self.outputSize(height, stride: stride, before: paddingTop, after: paddingBottom),
            outputWidth: Self.outputSize(width, stride: stride, before: paddingLeft, after: paddingRight),
            outputChannels: outputChannels, stride: stride, paddingTop: paddingTop, paddingLeft: paddingLeft,
            inputZeroPoint: Int32(rng.int(in: -128...127)))
        input = rng.int8s(height * width * inputChannels)
        let isDepthwise = inputChannels == outputChannels
        weights = rng.weights(outputChannels * 9 * (isDepthwise ? 1 : inputChannels))
        bias = rng.int32s(outputChannels, in: -20_000...20_000)
        let taps = Double(9 * (isDepthwise ? 1 : inputChannels))
        requant = Requantization.random(channels: outputChannels, typicalScale: 1 / (40 * taps.squareRoot() * 74), using: &rng)
    }

    var geometry: ffem_qs8_conv3x3_geometry {
        ffem_qs8_conv3x3_geometry(
            input_height: UInt32(window.inputHeight), input_width: UInt32(window.inputWidth),
            input_channels: UInt32(window.inputChannels), output_height: UInt32(window.outputHeight),
            output_width: UInt32(window.outputWidth), output_channels: UInt32(window.outputChannels),
            stride: UInt32(window.stride), padding_top: UInt32(window.paddingTop), padding_left: UInt32(window.paddingLeft),
            input_zero_point: window.inputZeroPoint)
    }

    var outputCount: Int { window.outputHeight * window.outputWidth * window.outputChannels }

    func runDepthwise(_ config: ffem_qs8_dwconv_config) -> [Int8] {
        var tile = config.tile
        let channels = window.inputChannels
        var packed = [UInt8](repeating: 0xA5, count: ffem_x8_pack_dwconv_size(&tile, channels, 9))
        ffem_x8_pack_dwconv(&tile, channels, 9, weights, bias, window.inputZeroPoint, &packed)
        var output = [Int8](repeating: 0x55, count: outputCount)
        var g = geometry
        requant.withParams { params in config.ukernel!(&g, input, packed, &output, params) }
        return output
    }

    func runConvolution(_ config: ffem_qs8_conv3x3_config) -> [Int8] {
        var tile = config.tile
        let co = window.outputChannels, ci = window.inputChannels
        var packed = [UInt8](repeating: 0xA5, count: ffem_x8_pack_conv3x3_size(&tile, co, ci))
        ffem_x8_pack_conv3x3(&tile, co, ci, weights, bias, window.inputZeroPoint, &packed)
        var output = [Int8](repeating: 0x55, count: outputCount)
        var g = geometry
        requant.withParams { params in config.ukernel!(&g, input, packed, &output, params) }
        return output
    }
}

@Suite struct DWConvTests {
    /// Channel counts around every channel tile (8, 16, 32, 64) and the odd ones; strides 1 and 2;
    /// every padding combination; images from 1×1 up.
    @Test(arguments: HostISA.simd)
    func matchesScalarAcrossChannelsStridesAndPaddings(isa: HostISA) {
        let config = isa.table.dwconv3x3
        let name = String(cString: config.name)
        var rng = SeededRandom(seed: 31)
        var failures = 0
        for channels in [1, 3, 7, 8, 9, 13, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 127, 128, 129] {
            for stride in 1...2 {
                for padding in [(0, 0), (1, 1), (0, 1), (1, 0)] {
                    let height = rng.int(in: 3...9), width = rng.int(in: 3...11)
                    let problem = Conv3x3Problem(height: height, width: width, inputChannels: channels, outputChannels: channels,
                                                 stride: stride, paddingTop: padding.0, paddingLeft: padding.0,
                                                 paddingBottom: padding.1, paddingRight: padding.1, using: &rng)
                    let expected = problem.runDepthwise(HostISA.scalarTable.dwconv3x3)
                    if let mismatch = firstMismatch(problem.runDepthwise(config), expected), failures < 5 {
                        failures += 1
                        Issue.record("\(name) \(height)×\(width)×\(channels) stride \(stride) padding \(padding): \(mismatch)")
                    }
                }
            }
        }
    }

    /// Single-pixel and single-row images, where nearly every tap is padding.
    @Test(arguments: HostISA.simd)
    func matchesScalarOnTinyImages(isa: HostISA) {
        var rng = SeededRandom(seed: 32)
        for (height, width) in [(1, 1), (1, 5), (4, 1), (2, 2)] {
            let problem = Conv3x3Problem(height: height, width: width, inputChannels: 33, outputChannels: 33, stride: 1,
                                         paddingTop: 1, paddingLeft: 1, paddingBottom: 1, paddingRight: 1, using: &rng)
            #expect(firstMismatch(problem.runDepthwise(isa.table.dwconv3x3), problem.runDepthwise(HostISA.scalarTable.dwconv3x3)) == nil,
                    "\(height)×\(width)")
        }
    }

    @Test func scalarKernelEqualsSwiftReference() {
        var rng = SeededRandom(seed: 33)
        for (channels, stride, padding) in [(3, 1, 1), (13, 2, 0), (24, 2, 1), (127, 1, 0), (5, 1, 1)] {
            let problem = Conv3x3Problem(height: 7, width: 6, inputChannels: channels, outputChannels: channels, stride: stride,
                                         paddingTop: padding, paddingLeft: padding, paddingBottom: padding, paddingRight: 1,
                                         using: &rng)
            let expected = ReferenceOps.dwconv3x3(problem.window, input: problem.input, weights: problem.weights,
                                                  bias: problem.bias, requant: problem.requant)
            #expect(firstMismatch(problem.runDepthwise(HostISA.scalarTable.dwconv3x3), expected) == nil,
                    "channels \(channels) stride \(stride) padding \(padding)")
        }
    }
}

extension DWConvTests {
    /// The quantizer's requantization range (every multiplier in [0, 2^31), every shift ≤ 0; the
    /// AVX-512 kernel's ffem_mbqm_right_avx512 path when no shift is 0) with realistic and saturating
    /// scales, against the scalar oracle.
    @Test(arguments: HostISA.simd)
    func matchesScalarWithTheQuantizersRequantizationRange(isa: HostISA) {
        var rng = SeededRandom(seed: 34)
        for channels in [3, 13, 24, 32, 33, 64, 127] {
            for stride in 1...2 {
                var problem = Conv3x3Problem(height: rng.int(in: 3...10), width: rng.int(in: 3...10), inputChannels: channels,
                                             outputChannels: channels, stride: stride, paddingTop: 1, paddingLeft: 1,
                                             paddingBottom: 1, paddingRight: 1, using: &rng)
                for c in 0..<channels {
                    problem.requant.multiplier[c] = PReLUEpilogueProblem.modelRangeMultiplier(using: &rng)
                    problem.requant.shift[c] = Int32(rng.int(in: c % 4 == 0 ? -31...0 : -14 ... -6))
                }
                let expected = problem.runDepthwise(HostISA.scalarTable.dwconv3x3)
                #expect(firstMismatch(problem.runDepthwise(isa.table.dwconv3x3), expected) == nil,
                        "\(String(cString: isa.table.dwconv3x3.name)) channels \(channels) stride \(stride)")
                #expect(Set(expected).count > 8, "channels \(channels): degenerate output")
            }
        }
    }
}

extension DWConvTests {
    /// Every shift ≤ −1 and every multiplier ≥ 0 (ffem_mbqm_right_avx512, the AVX-512 kernel's path for
    /// real scales below 1/2), then one channel with shift 0 (its general path), on rows wider than
    /// the kernel's pixel chunk, against the scalar oracle.
    @Test(arguments: HostISA.simd)
    func matchesScalarOnRightShiftAndGeneralRequantizationPaths(isa: HostISA) {
        var rng = SeededRandom(seed: 35)
        for (channels, stride) in [(64, 1), (130, 2), (77, 1), (192, 2)] {
            for zeroShiftChannel in [nil, channels / 2] {
                var problem = Conv3x3Problem(height: rng.int(in: 3...6), width: rng.int(in: 17...40), inputChannels: channels,
                                             outputChannels: channels, stride: stride, paddingTop: 1, paddingLeft: 1,
                                             paddingBottom: 1, paddingRight: rng.int(in: 0...1), using: &rng)
                for c in 0..<channels {
                    problem.requant.multiplier[c] = PReLUEpilogueProblem.modelRangeMultiplier(using: &rng)
                    problem.requant.shift[c] = Int32(rng.int(in: c % 5 == 0 ? -31 ... -1 : -14 ... -6))
                }
                if let c = zeroShiftChannel { problem.requant.shift[c] = 0 }
                let expected = problem.runDepthwise(HostISA.scalarTable.dwconv3x3)
                #expect(firstMismatch(problem.runDepthwise(isa.table.dwconv3x3), expected) == nil,
                        "\(String(cString: isa.table.dwconv3x3.name)) channels \(channels) stride \(stride) shift-0 channel \(String(describing: zeroShiftChannel))")
                #expect(Set(expected).count > 8, "channels \(channels): degenerate output")
            }
        }
    }
}
