// FFEMQuant — QuantizationParameters.swift: int8 scales, zero points, weights, biases and multipliers
// (DESIGN.md §7, TFLite's int8 specification).
import CFFEMKernels
import FFEMRuntime

/// Choosing and applying an activation tensor's int8 encoding (real = scale·(q − zeroPoint)).
extension ActivationQuantization {
    /// The encoding of a clipping range: the range is widened to contain 0, scale = (hi − lo)/255,
    /// and the zero point is −128 − lo/scale rounded and clamped to [−128, 127] (TFLite's
    /// ChooseQuantizationParams nudge), so that real 0 is exactly representable.
    public init(lower: Float, upper: Float) {
        let lo = min(lower, 0), hi = max(upper, 0)
        let scale = hi > lo ? (hi - lo) / 255 : 1
        let zero = (-128 - lo / scale).rounded()
        self.init(scale: scale, zeroPoint: Int32(max(-128, min(127, zero))))
    }

    /// The network input (DESIGN.md §4): (p − 128)/128 is exactly q = p − 128 at scale 1/128, zero point 0.
    public static let networkInput = ActivationQuantization(scale: 1.0 / 128, zeroPoint: 0)

    public func quantize(_ v: Float) -> Int8 { Int8(max(-128, min(127, (v / scale).rounded() + Float(zeroPoint)))) }
    public func dequantize(_ q: Int8) -> Float { scale * Float(Int32(q) - zeroPoint) }

    /// The int8 clamp of a real clamp [lower, upper] (fused ReLU/ReLU6), within [−128, 127].
    public func clamp(lower: Float, upper: Float) -> (Int32, Int32) {
        let lo = lower.isFinite ? max(-128, min(127, Int32((lower / scale).rounded()) + zeroPoint)) : -128
        let hi = upper.isFinite ? max(-128, min(127, Int32((upper / scale).rounded()) + zeroPoint)) : 127
        return (lo, hi)
    }
}

/// Per-output-channel symmetric int8 weights: s[c] = max|w[c]|/127, q = round(w/s[c]) ∈ [−127, 127].
public struct ChannelWeights: Sendable {
    public var values: [Int8]
    public var scales: [Float]

    public init(_ weights: [Float], channels: Int) {
        let perChannel = weights.count / channels
        var values = [Int8](repeating: 0, count: weights.count)
        var scales = [Float](repeating: 1, count: channels)
        for c in 0..<channels {
            var largest: Float = 0
            for i in 0..<perChannel { largest = max(largest, abs(weights[c * perChannel + i])) }
            let scale = largest > 0 ? largest / 127 : 1
            scales[c] = scale
            for i in 0..<perChannel {
                values[c * perChannel + i] = Int8(max(-127, min(127, (weights[c * perChannel + i] / scale).rounded())))
            }
        }
        self.values = values
        self.scales = scales
    }
}

/// int32 bias at scale s_in·s_w[c]: round(b[c]/(s_in·s_w[c])), saturated to int32.
public func quantizeBias(_ bias: [Float], inputScale: Float, weightScales: [Float]) -> [Int32] {
    bias.enumerated().map { c, b in
        let q = (Double(b) / (Double(inputScale) * Double(weightScales[c]))).rounded()
        return Int32(max(Double(Int32.min), min(Double(Int32.max), q)))
    }
}

/// (multiplier, shift) of a real multiplier via the C contract's `ffem_quantize_multiplier`.
public func quantizeMultiplier(_ real: Double) throws(QuantizationError) -> (multiplier: Int32, shift: Int32) {
    var multiplier: Int32 = 0, shift: Int32 = 0
    let status = ffem_quantize_multiplier(real, &multiplier, &shift)
    guard status == 0 else { throw QuantizationError("real multiplier \(real) cannot be represented (status \(status))") }
    return (multiplier, shift)
}
