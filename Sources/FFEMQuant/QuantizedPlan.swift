// FFEMQuant — QuantizedPlan.swift: every integer parameter of every operation, computed once at
// quantization time (all float math happens here, none at inference).
import FFEMRuntime
import FFEMTrain

/// Per-output-channel requantization of an int32 accumulator (DESIGN.md §7).
public struct Requantization: Sendable, Equatable {
    public var multipliers: [Int32]
    public var shifts: [Int32]
    public var outputZeroPoint: Int32
    public var outputMin: Int32
    public var outputMax: Int32
}

/// An operation with int8 weights, int32 biases and integer multipliers.
public enum PlannedOperation: Sendable {
    /// OHWI int8 weights (Cout × k × k × Cin).
    case convolution(kernel: Int, stride: Int, padding: Int, weights: [Int8], bias: [Int32], requantization: Requantization)
    /// [c][ky][kx] int8 weights.
    case depthwiseConvolution(kernel: Int, stride: Int, padding: Int, weights: [Int8], bias: [Int32], requantization: Requantization)
    /// outputs × inputs int8 weights.
    case dense(weights: [Int8], bias: [Int32], requantization: Requantization)
    /// TFLite PRELU with per-channel alpha scales: alpha[c] = ±127 (sign of α, zero point 0),
    /// negative multiplier[c] ≈ s_in·|α[c]|/127/s_out, positive ≈ s_in/s_out.
    case prelu(alpha: [Int8], positiveMultiplier: Int32, positiveShift: Int32, negativeMultipliers: [Int32], negativeShifts: [Int32],
               outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32)
    /// TFLite ADD: left shift 20, a' = (a − zp_a)·2^20 scaled by s_a/(2·max), b' likewise, out by 2·max/(2^20·s_out).
    case add(aMultiplier: Int32, aShift: Int32, bMultiplier: Int32, bShift: Int32, leftShift: Int32,
             outputMultiplier: Int32, outputShift: Int32, outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32)
    /// Mean over pixels: multiplier ≈ s_in/(pixels·s_out).
    case globalAveragePooling(multiplier: Int32, shift: Int32, outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32)
}

public struct PlannedNode: Sendable {
    public var name: String
    public var operation: PlannedOperation
    /// Plan-node indices of the inputs; −1 is the network input.
    public var inputs: [Int]
    public var outputShape: Shape
    public var output: ActivationQuantization
}

public struct QuantizedPlan: Sendable {
    public var input: Shape
    public var nodes: [PlannedNode]

    /// Quantizes `graph` given the encoding of every folded tensor (`activations[k]` for node k).
    public static func make(_ graph: FoldedGraph, activations: [ActivationQuantization]) throws(QuantizationError) -> QuantizedPlan {
        func quantization(of input: Int) -> ActivationQuantization { input == -1 ? .networkInput : activations[input] }
        var nodes: [PlannedNode] = []
        for (k, node) in graph.nodes.enumerated() {
            let out = activations[k]
            let (clampLow, clampHigh) = node.clamp.map { out.clamp(lower: $0.lower, upper: $0.upper) } ?? (-128, 127)
            let inputScale = quantization(of: node.inputs[0]).scale
            func requantization(_ weightScales: [Float]) throws(QuantizationError) -> Requantization {
                var multipliers: [Int32] = [], shifts: [Int32] = []
                for s in weightScales {
                    let (m, shift) = try quantizeMultiplier(Double(inputScale) * Double(s) / Double(out.scale))
                    multipliers.append(m)
                    shifts.append(shift)
                }
                return Requantization(multipliers: multipliers, shifts: shifts, outputZeroPoint: out.zeroPoint, outputMin: clampLow, outputMax: clampHigh)
            }
            let operation: PlannedOperation
            switch node.operation {
            case let .convolution(kernel, stride, padding, weights, bias, outputs):
                let q = ChannelWeights(weights, channels: outputs)
                operation = .convolution(kernel: kernel, stride: stride, padding: padding, weights: q.values,
                                         bias: quantizeBias(bias, inputScale: inputScale, weightScales: q.scales), requantization: try requantization(q.scales))
            case let .depthwiseConvolution(kernel, stride, padding, weights, bias):
                let q = ChannelWeights(weights, channels: bias.count)
                operation = .depthwiseConvolution(kernel: kernel, stride: stride, padding: padding, weights: q.values,
                                                  bias: quantizeBias(bias, inputScale: inputScale, weightScales: q.scales), requantization: try requantization(q.scales))
            case let .dense(weights, bias, outputs):
                let q = ChannelWeights(weights, channels: outputs)
                operation = .dense(weights: q.values, bias: quantizeBias(bias, inputScale: inputScale, weightScales: q.scales),
                                   requantization: try requantization(q.scales))
            case let .prelu(alpha):
                let (pm, ps) = try quantizeMultiplier(Double(inputScale) / Double(out.scale))
                var negativeMultipliers: [Int32] = [], negativeShifts: [Int32] = [], alphas: [Int8] = []
                for a in alpha {
                    alphas.append(a == 0 ? 0 : (a > 0 ? 127 : -127))
                    let (m, s) = try quantizeMultiplier(Double(inputScale) * Double(abs(a)) / 127 / Double(out.scale))
                    negativeMultipliers.append(m)
                    negativeShifts.append(s)
                }
                operation = .prelu(alpha: alphas, positiveMultiplier: pm, positiveShift: ps, negativeMultipliers: negativeMultipliers,
                                   negativeShifts: negativeShifts, outputZeroPoint: out.zeroPoint, outputMin: clampLow, outputMax: clampHigh)
            case .add:
                let sa = Double(quantization(of: node.inputs[0]).scale), sb = Double(quantization(of: node.inputs[1]).scale)
                let twiceMax = 2 * max(sa, sb)
                let (am, ash) = try quantizeMultiplier(sa / twiceMax)
                let (bm, bsh) = try quantizeMultiplier(sb / twiceMax)
                let (om, osh) = try quantizeMultiplier(twiceMax / (Double(1 << 20) * Double(out.scale)))
                operation = .add(aMultiplier: am, aShift: ash, bMultiplier: bm, bShift: bsh, leftShift: 20, outputMultiplier: om,
                                 outputShift: osh, outputZeroPoint: out.zeroPoint, outputMin: clampLow, outputMax: clampHigh)
            case .globalAveragePooling:
                let inputShape = node.inputs[0] == -1 ? graph.input : graph.nodes[node.inputs[0]].outputShape
                let pixels = inputShape.height * inputShape.width
                let (m, s) = try quantizeMultiplier(Double(inputScale) / (Double(pixels) * Double(out.scale)))
                operation = .globalAveragePooling(multiplier: m, shift: s, outputZeroPoint: out.zeroPoint, outputMin: clampLow, outputMax: clampHigh)
            }
            nodes.append(PlannedNode(name: node.name, operation: operation, inputs: node.inputs, outputShape: node.outputShape, output: out))
        }
        return QuantizedPlan(input: graph.input, nodes: nodes)
    }
}
