// FFEMQuant — BiasCorrection.swift: empirical bias correction of a quantized plan.
import FFEMCore
import FFEMRuntime
import FFEMTrain

/// Empirical bias correction (Nagel et al., "Data-Free Quantization Through Weight Equalization
/// and Bias Correction", ICCV 2019, §4.2, its empirical variant; no code taken from it).
///
/// Rounding weights to int8 shifts the mean of a layer's output: E[W̃x] − E[Wx] = (W̃ − W)·E[x] ≠ 0
/// per output channel. With every earlier layer already corrected, for each convolution,
/// depthwise convolution and dense layer in plan order, over the calibration crops:
///
///   ε[c] = mean over images and pixels of (dequantize(q[c]) − f[c])
///   bias[c] ← bias[c] − round(ε[c] / (s_in · s_w[c]))
///
/// where q is the int8 output of the plan so far (a prefix model, `QuantizedPlan.model(through:)`),
/// f the float network's output of the same folded node, and s_in·s_w[c] the bias scale,
/// recovered from the stored requantization: s_in·s_w[c] = M[c]·2^(shift[c] − 31)·s_out.
/// Layers whose output is clamped (folded ReLU/ReLU6) are left as they are: clipping at the clamp
/// biases the mean of q by itself, and correcting it would move the unclipped values.
/// Corrections are int32 and saturate at the int32 range.
public enum BiasCorrection {
    /// Per-channel mean of every biased node's float output over `indices` (plan node → means).
    static func floatMeans(network: Network, graph: FoldedGraph, plan: QuantizedPlan, nodes: [Int],
                           crops: CropSource, indices: [Int]) throws -> [Int: [Double]] {
        var sums: [Int: [Double]] = [:]
        var counts: [Int: Int] = [:]
        let perImage = crops.side * crops.side * 3
        let input = FloatBuffer(count: perImage)
        for index in indices {
            let pixels = try crops.pixels(index)
            for i in 0..<perImage { input[i] = (Float(pixels[i]) - 128) / 128 }
            _ = network.forward(input, batch: 1, isTraining: false)
            for k in nodes {
                let values = network.activations[graph.nodes[k].floatNode]
                let channels = plan.nodes[k].outputShape.channels
                var sum = sums[k] ?? [Double](repeating: 0, count: channels)
                for i in 0..<values.count { sum[i % channels] += Double(values[i]) }
                sums[k] = sum
                counts[k, default: 0] += values.count / channels
            }
        }
        var means: [Int: [Double]] = [:]
        for (k, sum) in sums { means[k] = sum.map { $0 / Double(counts[k] ?? 1) } }
        return means
    }

    /// The plan with corrected biases; `corrections[k]` is the int32 change of node k's biases.
    public static func apply(to plan: QuantizedPlan, network: Network, graph: FoldedGraph, crops: CropSource,
                             indices: [Int]) throws -> (plan: QuantizedPlan, corrections: [Int: [Int32]]) {
        let corrected = plan.nodes.indices.filter { k in
            guard graph.nodes[k].clamp == nil else { return false }
            switch plan.nodes[k].operation {
            case .convolution, .depthwiseConvolution, .dense: return true
            default: return false
            }
        }
        let floats = try floatMeans(network: network, graph: graph, plan: plan, nodes: corrected, crops: crops, indices: indices)
        var result = plan
        var corrections: [Int: [Int32]] = [:]
        let metadata = ModelMetadata(inputSize: crops.side)
        var pixelsOf: [[UInt8]] = []
        for index in indices { pixelsOf.append(try crops.pixels(index)) }
        for k in corrected {
            let node = result.nodes[k]
            let channels = node.outputShape.channels
            let interpreter = try Interpreter(model: try result.model(metadata: metadata, through: k))
            var sum = [Double](repeating: 0, count: channels)
            var count = 0
            for pixels in pixelsOf {
                pixels.withUnsafeBufferPointer { interpreter.invoke(pixels: $0) }
                let quantized = interpreter.tensorBytes(k + 1)
                for i in 0..<quantized.count { sum[i % channels] += Double(node.output.dequantize(quantized[i])) }
                count += quantized.count / channels
            }
            let floatMean = floats[k]!
            let (bias, requantization) = node.operation.biasAndRequantization!
            var change = [Int32](repeating: 0, count: channels)
            var newBias = bias
            for c in 0..<channels {
                let error = sum[c] / Double(count) - floatMean[c]
                let realMultiplier = Double(requantization.multipliers[c]) * pow2(Int(requantization.shifts[c]) - 31)
                let biasScale = realMultiplier * Double(node.output.scale)
                guard biasScale > 0 else { continue }
                let delta = (-error / biasScale).rounded()
                let updated = min(max(Double(bias[c]) + delta, Double(Int32.min)), Double(Int32.max))
                newBias[c] = Int32(updated)
                change[c] = newBias[c] &- bias[c]
            }
            result.nodes[k].operation = node.operation.replacingBias(newBias)
            corrections[k] = change
        }
        return (result, corrections)
    }

    /// 2^e as a Double, exactly, for |e| < 1000.
    static func pow2(_ e: Int) -> Double {
        var value = 1.0
        if e >= 0 { for _ in 0..<e { value *= 2 } } else { for _ in 0..<(-e) { value /= 2 } }
        return value
    }
}

extension PlannedOperation {
    /// The int32 biases and requantization of a weighted operation; nil for the others.
    var biasAndRequantization: ([Int32], Requantization)? {
        switch self {
        case let .convolution(_, _, _, _, bias, requantization),
             let .depthwiseConvolution(_, _, _, _, bias, requantization),
             let .dense(_, bias, requantization):
            return (bias, requantization)
        default:
            return nil
        }
    }

    /// The same operation with `bias` instead of its biases (weighted operations only).
    func replacingBias(_ bias: [Int32]) -> PlannedOperation {
        switch self {
        case let .convolution(kernel, stride, padding, weights, _, requantization):
            return .convolution(kernel: kernel, stride: stride, padding: padding, weights: weights, bias: bias, requantization: requantization)
        case let .depthwiseConvolution(kernel, stride, padding, weights, _, requantization):
            return .depthwiseConvolution(kernel: kernel, stride: stride, padding: padding, weights: weights, bias: bias, requantization: requantization)
        case let .dense(weights, _, requantization):
            return .dense(weights: weights, bias: bias, requantization: requantization)
        default:
            return self
        }
    }
}
