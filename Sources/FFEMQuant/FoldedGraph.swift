// FFEMQuant — FoldedGraph.swift: the float network rewritten as the int8 runtime's operations —
// batch norm folded into the convolution before it, ReLU/ReLU6 fused as output clamps, flatten and
// dropout removed (they do not change int8 NHWC memory at inference).
import FFEMTrain

/// An operation of the folded graph, with float weights ready for quantization.
public enum FoldedOperation: Sendable {
    /// k×k convolution, weights OHWI (Cout × k × k × Cin), bias per output channel.
    case convolution(kernel: Int, stride: Int, padding: Int, weights: [Float], bias: [Float], outputChannels: Int)
    /// k×k depthwise convolution, weights [c][ky][kx] (OHWI with I = 1), bias per channel.
    case depthwiseConvolution(kernel: Int, stride: Int, padding: Int, weights: [Float], bias: [Float])
    /// Fully connected on the flattened NHWC sample: weights outputs × inputs, bias per output.
    case dense(weights: [Float], bias: [Float], outputs: Int)
    case prelu(alpha: [Float])
    case add
    case globalAveragePooling
}

/// A node of the folded graph. Its output tensor is the float network's activation at `floatNode`
/// (after the folded BN and the fused clamp), which is what calibration observes.
public struct FoldedNode: Sendable {
    public var name: String
    public var operation: FoldedOperation
    /// Folded-node indices; −1 is the network input.
    public var inputs: [Int]
    public var floatNode: Int
    /// Output clamp in real units from a fused ReLU (0, ∞) or ReLU6 (0, 6); nil for none.
    public var clamp: (lower: Float, upper: Float)?
    public var outputShape: Shape
}

public struct QuantizationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct FoldedGraph: Sendable {
    public var input: Shape
    public var nodes: [FoldedNode]
    /// True when the float network ends in an L2 normalisation (the runtime normalises anyway).
    public var endsNormalized: Bool

    /// Folds `network` (its current weights and BN running statistics):
    ///   W'[o] = W[o]·γ[o]/√(σ²[o] + ε),  b'[o] = (b[o] − μ[o])·γ[o]/√(σ²[o] + ε) + β[o].
    /// A BN that does not directly follow a convolution or dense layer (whose output feeds nothing
    /// else) cannot be folded and is refused, naming the node.
    public static func fold(_ network: Network) throws(QuantizationError) -> FoldedGraph {
        let spec = network.spec
        var consumers = [Int](repeating: 0, count: spec.nodes.count)
        for node in spec.nodes { for i in node.inputs where i >= 0 { consumers[i] += 1 } }
        /// Folded index of each float node's output tensor (aliases for identity ops).
        var tensorOf = [Int](repeating: -2, count: spec.nodes.count)
        var nodes: [FoldedNode] = []
        var endsNormalized = false
        func mapped(_ i: Int) -> Int { i == -1 ? -1 : tensorOf[i] }

        for (k, node) in spec.nodes.enumerated() {
            let layer = network.layers[k]
            switch node.operation {
            case let .convolution(kernel, stride, padding, outputChannels, _):
                let conv = layer as! Convolution
                nodes.append(FoldedNode(name: node.name, operation: .convolution(
                    kernel: kernel, stride: stride, padding: padding == .same ? (kernel - 1) / 2 : 0, weights: conv.weight.value.array,
                    bias: conv.bias?.value.array ?? [Float](repeating: 0, count: outputChannels), outputChannels: outputChannels),
                    inputs: [mapped(node.inputs[0])], floatNode: k, clamp: nil, outputShape: layer.outputShape))
                tensorOf[k] = nodes.count - 1
            case let .depthwiseConvolution(kernel, stride, padding, _):
                let dw = layer as! DepthwiseConvolution
                // Trainer layout kh×kw×C → runtime [c][ky][kx].
                let c = layer.outputShape.channels, taps = kernel * kernel
                let hwc = dw.weight.value.array
                var chw = [Float](repeating: 0, count: hwc.count)
                for t in 0..<taps { for ch in 0..<c { chw[ch * taps + t] = hwc[t * c + ch] } }
                nodes.append(FoldedNode(name: node.name, operation: .depthwiseConvolution(
                    kernel: kernel, stride: stride, padding: padding == .same ? (kernel - 1) / 2 : 0, weights: chw,
                    bias: dw.bias?.value.array ?? [Float](repeating: 0, count: c)),
                    inputs: [mapped(node.inputs[0])], floatNode: k, clamp: nil, outputShape: layer.outputShape))
                tensorOf[k] = nodes.count - 1
            case let .dense(outputs, _):
                let dense = layer as! Dense
                nodes.append(FoldedNode(name: node.name, operation: .dense(weights: dense.weight.value.array,
                    bias: dense.bias?.value.array ?? [Float](repeating: 0, count: outputs), outputs: outputs),
                    inputs: [mapped(node.inputs[0])], floatNode: k, clamp: nil, outputShape: layer.outputShape))
                tensorOf[k] = nodes.count - 1
            case .batchNormalization:
                let bn = layer as! BatchNormalization
                let source = node.inputs[0]
                guard source >= 0, consumers[source] == 1, tensorOf[source] == nodes.count - 1, nodes[tensorOf[source]].clamp == nil else {
                    throw QuantizationError("node \(k) '\(node.name)': batch norm must directly follow a convolution or dense layer to be folded")
                }
                let target = tensorOf[source]
                guard case let .batchNormalization(epsilon, _) = node.operation else { break }
                var factors: [Float] = []
                var offsets: [Float] = []
                for o in 0..<layer.outputShape.channels {
                    let factor = bn.gamma.value[o] / (bn.runningVariance.value[o] + epsilon).squareRoot()
                    factors.append(factor)
                    offsets.append(bn.beta.value[o] - bn.runningMean.value[o] * factor)
                }
                nodes[target].operation = try scaled(nodes[target].operation, by: factors, plus: offsets, name: node.name)
                nodes[target].floatNode = k
                tensorOf[k] = target
            case .prelu:
                let prelu = layer as! PReLU
                nodes.append(FoldedNode(name: node.name, operation: .prelu(alpha: prelu.slope.value.array), inputs: [mapped(node.inputs[0])],
                                        floatNode: k, clamp: nil, outputShape: layer.outputShape))
                tensorOf[k] = nodes.count - 1
            case .relu, .relu6:
                let upper: Float = node.operation == .relu ? .infinity : 6
                let source = node.inputs[0]
                guard source >= 0, consumers[source] == 1, tensorOf[source] == nodes.count - 1, nodes[tensorOf[source]].clamp == nil else {
                    throw QuantizationError("node \(k) '\(node.name)': ReLU must follow a convolution (it is fused as an output clamp)")
                }
                nodes[tensorOf[source]].clamp = (0, upper)
                nodes[tensorOf[source]].floatNode = k
                tensorOf[k] = tensorOf[source]
            case .add:
                nodes.append(FoldedNode(name: node.name, operation: .add, inputs: node.inputs.map(mapped), floatNode: k, clamp: nil,
                                        outputShape: layer.outputShape))
                tensorOf[k] = nodes.count - 1
            case .globalAveragePooling:
                nodes.append(FoldedNode(name: node.name, operation: .globalAveragePooling, inputs: [mapped(node.inputs[0])], floatNode: k,
                                        clamp: nil, outputShape: layer.outputShape))
                tensorOf[k] = nodes.count - 1
            case .flatten, .dropout:
                tensorOf[k] = mapped(node.inputs[0])
            case .l2Normalization:
                guard k == spec.nodes.count - 1 else {
                    throw QuantizationError("node \(k) '\(node.name)': L2 normalisation is only supported as the last node")
                }
                tensorOf[k] = mapped(node.inputs[0])
                endsNormalized = true
            }
        }
        guard !nodes.isEmpty, tensorOf[spec.nodes.count - 1] == nodes.count - 1 else {
            throw QuantizationError("the network's output is not produced by its last quantizable operation")
        }
        return FoldedGraph(input: spec.input, nodes: nodes, endsNormalized: endsNormalized)
    }

    /// The operation with every output channel's weights multiplied by factor[o] and its bias mapped
    /// to b·factor[o] + offset[o].
    static func scaled(_ operation: FoldedOperation, by factor: [Float], plus offset: [Float], name: String) throws(QuantizationError) -> FoldedOperation {
        func fold(_ weights: [Float], _ bias: [Float]) -> ([Float], [Float]) {
            let perChannel = weights.count / factor.count
            var w = weights
            for o in 0..<factor.count { for i in 0..<perChannel { w[o * perChannel + i] *= factor[o] } }
            return (w, (0..<factor.count).map { bias[$0] * factor[$0] + offset[$0] })
        }
        switch operation {
        case let .convolution(kernel, stride, padding, weights, bias, outputs):
            let (w, b) = fold(weights, bias)
            return .convolution(kernel: kernel, stride: stride, padding: padding, weights: w, bias: b, outputChannels: outputs)
        case let .depthwiseConvolution(kernel, stride, padding, weights, bias):
            let (w, b) = fold(weights, bias)
            return .depthwiseConvolution(kernel: kernel, stride: stride, padding: padding, weights: w, bias: b)
        case let .dense(weights, bias, outputs):
            let (w, b) = fold(weights, bias)
            return .dense(weights: w, bias: b, outputs: outputs)
        default:
            throw QuantizationError("'\(name)': batch norm after a non-linear layer cannot be folded")
        }
    }
}
