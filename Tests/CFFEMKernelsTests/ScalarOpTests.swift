// CFFEMKernelsTests — ScalarOpTests.swift: the scalar C oracles of the remaining ops equal the Swift reference.
import CFFEMKernels
import FFEMCore
import FFEMRuntime
import Testing

@Suite struct ScalarOpTests {
    @Test func stemConvolutionEqualsReference() {
        var rng = SeededRandom(seed: 41)
        for (ci, co, stride, padding) in [(3, 16, 2, (0, 1)), (3, 13, 1, (1, 1)), (13, 5, 2, (1, 1)), (1, 3, 1, (0, 0))] {
            let problem = Conv3x3Problem(height: 9, width: 8, inputChannels: ci, outputChannels: co, stride: stride,
                                         paddingTop: padding.0, paddingLeft: padding.0, paddingBottom: padding.1,
                                         paddingRight: padding.1, using: &rng)
            let expected = ReferenceOps.conv3x3(problem.window, input: problem.input, weights: problem.weights,
                                                bias: problem.bias, requant: problem.requant)
            let actual = problem.runConvolution(HostISA.scalarTable.conv3x3)
            #expect(firstMismatch(actual, expected) == nil, "ci \(ci) co \(co) stride \(stride): \(firstMismatch(actual, expected) ?? "")")
        }
    }

    @Test func globalDepthwiseConvolutionEqualsReference() {
        var rng = SeededRandom(seed: 42)
        for (pixels, channels) in [(49, 3), (49, 13), (49, 24), (16, 127), (1, 5)] {
            let input = rng.int8s(pixels * channels), weights = rng.weights(pixels * channels)
            let bias = rng.int32s(channels, in: -30_000...30_000), zeroPoint = Int32(rng.int(in: -128...127))
            let requant = Requantization.random(channels: channels, typicalScale: 1 / (40 * 7 * 74), using: &rng)
            var tile = HostISA.scalarTable.gdconv.tile
            var packed = [UInt8](repeating: 0, count: ffem_x8_pack_dwconv_size(&tile, channels, pixels))
            ffem_x8_pack_dwconv(&tile, channels, pixels, weights, bias, zeroPoint, &packed)
            var output = [Int8](repeating: 0, count: channels)
            requant.withParams { HostISA.scalarTable.gdconv.ukernel!(pixels, channels, input, packed, &output, $0) }
            let expected = ReferenceOps.gdconv(pixels: pixels, channels: channels, input: input, inputZeroPoint: zeroPoint,
                                               weights: weights, bias: bias, requant: requant)
            #expect(firstMismatch(output, expected) == nil, "pixels \(pixels) channels \(channels)")
        }
    }

    @Test func residualAddEqualsReferenceWithTwoInputScales() throws {
        var rng = SeededRandom(seed: 43)
        for (scaleA, scaleB, scaleOut) in [(0.05, 0.02, 0.06), (0.01, 0.08, 0.03), (0.1, 0.1, 0.001), (0.02, 0.03, 10.0)] {
            // TFLite's choice of parameters (left shift 20, twice the larger input scale).
            let twiceMax = 2 * max(scaleA, scaleB)
            var a = ffem_qs8_add_params()
            let qa = try FixedPointReference.quantizeMultiplier(scaleA / twiceMax)
            let qb = try FixedPointReference.quantizeMultiplier(scaleB / twiceMax)
            let qo = try FixedPointReference.quantizeMultiplier(twiceMax / (Double(1 << 20) * scaleOut))
            a.a_zero_point = Int32(rng.int(in: -128...127)); a.a_multiplier = qa.multiplier; a.a_shift = Int32(qa.shift)
            a.b_zero_point = Int32(rng.int(in: -128...127)); a.b_multiplier = qb.multiplier; a.b_shift = Int32(qb.shift)
            a.left_shift = 20
            a.output_multiplier = qo.multiplier; a.output_shift = Int32(qo.shift)
            a.output_zero_point = Int32(rng.int(in: -128...127)); a.output_min = -128; a.output_max = 127
            let count = 1000
            let x = rng.int8s(count), y = rng.int8s(count)
            var output = [Int8](repeating: 0, count: count)
            HostISA.scalarTable.vadd.ukernel!(count, x, y, &output, &a)
            let expected = ReferenceOps.add(a: x, b: y, aZeroPoint: a.a_zero_point, aMultiplier: a.a_multiplier, aShift: qa.shift,
                                            bZeroPoint: a.b_zero_point, bMultiplier: a.b_multiplier, bShift: qb.shift,
                                            leftShift: 20, outputMultiplier: qo.multiplier, outputShift: qo.shift,
                                            outputZeroPoint: a.output_zero_point, outputMin: -128, outputMax: 127)
            #expect(firstMismatch(output, expected) == nil, "scales \(scaleA) \(scaleB) \(scaleOut)")
        }
    }

    @Test func preluEqualsReferenceOnBothBranches() throws {
        var rng = SeededRandom(seed: 44)
        for channels in [3, 13, 24, 127] {
            let pixels = 7
            let input = rng.int8s(pixels * channels), alpha = rng.int8s(channels)
            let positive = try FixedPointReference.quantizeMultiplier(0.7)
            let negative = Requantization.random(channels: channels, typicalScale: 0.004, using: &rng)
            var p = ffem_qs8_prelu_params()
            p.input_zero_point = Int32(rng.int(in: -128...127)); p.alpha_zero_point = Int32(rng.int(in: -128...127))
            p.positive_multiplier = positive.multiplier; p.positive_shift = Int32(positive.shift)
            p.output_zero_point = negative.outputZeroPoint; p.output_min = negative.outputMin; p.output_max = negative.outputMax
            var output = [Int8](repeating: 0, count: pixels * channels)
            negative.multiplier.withUnsafeBufferPointer { m in
                negative.shift.withUnsafeBufferPointer { s in
                    p.negative_multiplier = m.baseAddress
                    p.negative_shift = s.baseAddress
                    HostISA.scalarTable.vprelu.ukernel!(pixels, channels, input, alpha, &output, &p)
                }
            }
            let expected = ReferenceOps.prelu(pixels: pixels, channels: channels, input: input, alpha: alpha,
                                              inputZeroPoint: p.input_zero_point, alphaZeroPoint: p.alpha_zero_point,
                                              positiveMultiplier: positive.multiplier, positiveShift: positive.shift,
                                              negativeMultiplier: negative.multiplier, negativeShift: negative.shift,
                                              outputZeroPoint: p.output_zero_point, outputMin: p.output_min, outputMax: p.output_max)
            #expect(firstMismatch(output, expected) == nil, "channels \(channels)")
        }
    }

    @Test func globalAveragePoolingEqualsReference() throws {
        var rng = SeededRandom(seed: 45)
        for (pixels, channels) in [(49, 3), (49, 13), (196, 24), (1, 127)] {
            let input = rng.int8s(pixels * channels)
            let q = try FixedPointReference.quantizeMultiplier(0.9 / Double(pixels))
            var p = ffem_qs8_gavgpool_params(input_zero_point: Int32(rng.int(in: -128...127)), multiplier: q.multiplier,
                                             shift: Int32(q.shift), output_zero_point: Int32(rng.int(in: -128...127)),
                                             output_min: -128, output_max: 127)
            var output = [Int8](repeating: 0, count: channels)
            HostISA.scalarTable.gavgpool.ukernel!(pixels, channels, input, &output, &p)
            let expected = ReferenceOps.gavgpool(pixels: pixels, channels: channels, input: input, inputZeroPoint: p.input_zero_point,
                                                 multiplier: q.multiplier, shift: q.shift, outputZeroPoint: p.output_zero_point,
                                                 outputMin: -128, outputMax: 127)
            #expect(firstMismatch(output, expected) == nil, "pixels \(pixels) channels \(channels)")
        }
    }

    @Test func clampIsReluAndRelu6() {
        var low: Int32 = 0, high: Int32 = 0
        ffem_qs8_activation_bounds(FFEM_ACTIVATION_RELU6, 0.05, -10, &low, &high)
        #expect(low == -10 && high == 110)  // zp + round(6 / 0.05)
        ffem_qs8_activation_bounds(FFEM_ACTIVATION_RELU, 0.05, -10, &low, &high)
        #expect(low == -10 && high == 127)
        ffem_qs8_activation_bounds(FFEM_ACTIVATION_NONE, 0.05, -10, &low, &high)
        #expect(low == -128 && high == 127)
        let input = (-128...127).map { Int8($0) }
        var output = [Int8](repeating: 0, count: input.count)
        HostISA.scalarTable.vclamp.ukernel!(input.count, input, &output, -10, 110)
        #expect(output == input.map { min(max($0, -10), 110) })
    }
}
