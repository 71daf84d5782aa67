// FFEMRuntimeTests — TinyModels.swift: small seeded int8 models, built with the public model API.
import FFEMCore
import FFEMRuntime

/// Seeded quantized parameters in realistic ranges: weights in ±127, zero points near 0, real
/// multipliers chosen so that accumulators of depth K land spread over int8 rather than saturated.
struct ParameterSource {
    var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + random.nextInt(below: range.count) }

    mutating func weights(_ count: Int) -> [Int8] { (0..<count).map { _ in Int8(int(-127...127)) } }

    mutating func bias(_ count: Int, magnitude: Int) -> [Int32] { (0..<count).map { _ in Int32(int(-magnitude...magnitude)) } }

    mutating func quantization() -> ActivationQuantization {
        ActivationQuantization(scale: random.nextFloat(in: 0.01, 0.1), zeroPoint: Int32(int(-30...30)))
    }

    /// (multiplier, shift) of a real multiplier.
    func quantized(_ real: Double) -> (Int32, Int32) {
        let (multiplier, shift) = try! FixedPointReference.quantizeMultiplier(real)
        return (multiplier, Int32(shift))
    }

    /// Per-channel requantization for accumulators of depth `depth`: real ≈ U(0.5, 1.5) / (√depth · 60).
    mutating func requantization(channels: Int, depth: Int, outputMin: Int32 = -128,
                                 outputMax: Int32 = 127) -> ChannelRequantization {
        var multipliers: [Int32] = [], shifts: [Int32] = []
        for _ in 0..<channels {
            let real = Double(random.nextFloat(in: 0.5, 1.5)) / (Double(depth).squareRoot() * 60)
            let (m, s) = quantized(real)
            multipliers.append(m)
            shifts.append(s)
        }
        return ChannelRequantization(multipliers: multipliers, shifts: shifts, outputMin: outputMin, outputMax: outputMax)
    }

    /// A weighted layer reading `input` with `outputChannels` outputs over reduction depth `depth`.
    mutating func layer(input: Int, weights count: Int, outputChannels: Int, depth: Int, stride: Int = 1,
                        padding: Int = 0, outputMin: Int32 = -128, outputMax: Int32 = 127) -> WeightedLayer {
        WeightedLayer(input: input, stride: stride, padding: padding, weights: weights(count),
                      bias: bias(outputChannels, magnitude: 2000),
                      requantization: requantization(channels: outputChannels, depth: depth,
                                                     outputMin: outputMin, outputMax: outputMax))
    }
}

enum TinyModels {
    /// The MobileFaceNet pattern in miniature (issue 6): stem 3×3 s2 conv (BN folded) → PReLU →
    /// depthwise 3×3 → 1×1 → add (residual with the PReLU output) → GDC → 1×1 (the embedding).
    /// Input `inputSize`² × 3; channel counts odd on purpose (kernel tails).
    static func residual(seed: UInt64, inputSize: Int = 9, channels c: Int = 13,
                         embedding e: Int = 11) throws(FFQError) -> QuantizedModel {
        var p = ParameterSource(seed: seed)
        var model = QuantizedModel(metadata: ModelMetadata(
            inputSize: inputSize, cropPolicy: CropPolicy(scaleQ16: 72_090, makesSquare: true),
            thresholds: [CosineThreshold(falseAcceptRate: 0.01, cosine: 0.41),
                         CosineThreshold(falseAcceptRate: 0.001, cosine: 0.52)]))
        let stem = try model.append(.convolution3x3(p.layer(input: QuantizedModel.input, weights: c * 27, outputChannels: c,
                                                            depth: 27, stride: 2, padding: 1)),
                                    output: p.quantization())
        let sIn = model.tensors[stem].quantization.scale
        let activated = p.quantization()
        let (pm, ps) = p.quantized(Double(sIn / activated.scale))
        var negativeMultipliers: [Int32] = [], negativeShifts: [Int32] = []
        for _ in 0..<c {
            let (m, s) = p.quantized(Double(sIn) / 256 / Double(activated.scale))  // alpha scale 1/256
            negativeMultipliers.append(m)
            negativeShifts.append(s)
        }
        let prelu = try model.append(.prelu(PReLULayer(
            input: stem, alpha: (0..<c).map { _ in Int8(p.int(-10...80)) }, alphaZeroPoint: Int32(p.int(-5...5)),
            positiveMultiplier: pm, positiveShift: ps, negativeMultipliers: negativeMultipliers,
            negativeShifts: negativeShifts)), output: activated)
        let depthwise = try model.append(.depthwiseConvolution3x3(p.layer(input: prelu, weights: c * 9, outputChannels: c,
                                                                          depth: 9, padding: 1)),
                                         output: p.quantization())
        let project = try model.append(.pointwiseConvolution(p.layer(input: depthwise, weights: c * c, outputChannels: c,
                                                                     depth: c)),
                                       output: p.quantization())
        let sum = try model.append(.add(addLayer(model, a: project, b: prelu, output: activated.scale * 1.5, p: p)),
                                   output: ActivationQuantization(scale: activated.scale * 1.5, zeroPoint: -7))
        let pixels = model.tensors[sum].shape.pixelCount
        let gdc = try model.append(.globalDepthwiseConvolution(p.layer(input: sum, weights: c * pixels, outputChannels: c,
                                                                       depth: pixels)),
                                   output: p.quantization())
        try model.append(.pointwiseConvolution(p.layer(input: gdc, weights: e * c, outputChannels: e, depth: c)),
                         output: p.quantization())
        return model
    }

    /// The other ops: 3×3 s1 conv without padding and a fused ReLU6-like clamp → standalone clamp →
    /// 3×3 s2 depthwise without padding → global average pooling → fully connected (flattened input).
    static func remainingOps(seed: UInt64, inputSize: Int = 11, channels c: Int = 17,
                             embedding e: Int = 7) throws(FFQError) -> QuantizedModel {
        var p = ParameterSource(seed: seed)
        var model = QuantizedModel(metadata: ModelMetadata(inputSize: inputSize))
        let stem = try model.append(.convolution3x3(p.layer(input: QuantizedModel.input, weights: c * 27, outputChannels: c,
                                                            depth: 27, outputMin: -100, outputMax: 90)),
                                    output: p.quantization())
        let clamped = try model.append(.clamp(ClampLayer(input: stem, outputMin: -20, outputMax: 60)),
                                       output: model.tensors[stem].quantization)
        let depthwise = try model.append(.depthwiseConvolution3x3(p.layer(input: clamped, weights: c * 9, outputChannels: c,
                                                                          depth: 9, stride: 2)),
                                         output: p.quantization())
        let pixels = model.tensors[depthwise].shape.pixelCount
        let (m, s) = p.quantized(1.0 / Double(pixels) * 0.9)
        let pooled = try model.append(.globalAveragePooling(GlobalAveragePoolingLayer(input: depthwise, multiplier: m, shift: s)),
                                      output: p.quantization())
        let flatten = try model.append(.fullyConnected(p.layer(input: pooled, weights: e * c, outputChannels: e, depth: c)),
                                       output: p.quantization())
        _ = flatten
        return model
    }

    /// TFLite's ADD parameters for the tensors' scales: left shift 20, twice_max = 2·max(s_a, s_b).
    static func addLayer(_ model: QuantizedModel, a: Int, b: Int, output: Float, p: ParameterSource) -> AddLayer {
        let sa = Double(model.tensors[a].quantization.scale), sb = Double(model.tensors[b].quantization.scale)
        let twiceMax = 2 * max(sa, sb)
        let (am, ash) = p.quantized(sa / twiceMax)
        let (bm, bsh) = p.quantized(sb / twiceMax)
        let (om, osh) = p.quantized(twiceMax / (Double(1 << 20) * Double(output)))
        return AddLayer(a: a, b: b, aMultiplier: am, aShift: ash, bMultiplier: bm, bShift: bsh, leftShift: 20,
                        outputMultiplier: om, outputShift: osh)
    }

    /// Seeded input bytes q = p − 128 for `model`.
    static func input(for model: QuantizedModel, seed: UInt64) -> [Int8] {
        var random = SeededRandom(seed: seed)
        return (0..<model.tensors[0].shape.elementCount).map { _ in Int8(truncatingIfNeeded: random.next()) }
    }
}
