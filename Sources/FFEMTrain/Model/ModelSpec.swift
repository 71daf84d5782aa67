// FFEMTrain — ModelSpec.swift: a network as data (a DAG of operations), which the trainer runs and
// the quantizer walks. Layout NHWC; shapes are per sample (height, width, channels).
import Foundation

/// Per-sample shape of an activation: height × width × channels (a vector is 1 × 1 × n).
public struct Shape: Codable, Equatable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int
    public init(_ height: Int, _ width: Int, _ channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }
    public var count: Int { height * width * channels }
    public var description: String { "\(height)x\(width)x\(channels)" }
}

/// Zero padding of a convolution: `same` pads ⌊(k − 1)/2⌋ on every side (symmetric, as PyTorch's
/// `padding=k//2`; output ⌊(H + 2p − k)/s⌋ + 1, which is ⌈H/s⌉ for odd k); `valid` pads nothing.
public enum Padding: String, Codable, Sendable {
    case same, valid
}

/// One operation of the network.
public enum Operation: Codable, Equatable, Sendable {
    /// k×k convolution, OHWI weights, optional bias.
    case convolution(kernel: Int, stride: Int, padding: Padding, outputChannels: Int, hasBias: Bool)
    /// k×k depthwise convolution (k = spatial size with `valid` padding is MobileFaceNet's GDC).
    case depthwiseConvolution(kernel: Int, stride: Int, padding: Padding, hasBias: Bool)
    /// Batch normalisation over N·H·W per channel (`momentum` is the Keras decay of the running statistics).
    case batchNormalization(epsilon: Float, momentum: Float)
    /// Parametric ReLU with one learned slope per channel: y = x (x > 0), a_c·x otherwise.
    case prelu
    case relu
    /// min(max(x, 0), 6)
    case relu6
    /// Element-wise sum of two inputs of the same shape (residual connection).
    case add
    /// Fully connected on the flattened input: y = W x + b, W is outputs × inputs.
    case dense(outputs: Int, hasBias: Bool)
    /// Inverted dropout: zero with probability `rate`, scale the rest by 1/(1 − rate); identity in inference.
    case dropout(rate: Float)
    /// H×W×C → 1×1×(H·W·C) in NHWC order.
    case flatten
    /// Mean over H×W per channel.
    case globalAveragePooling
    /// y = x / max(‖x‖₂, 1e-12) over the whole sample.
    case l2Normalization
}

/// A node of the DAG: an operation on earlier nodes' outputs (input index −1 is the network input).
public struct NodeSpec: Codable, Equatable, Sendable {
    public var name: String
    public var operation: Operation
    public var inputs: [Int]
    public init(name: String, operation: Operation, inputs: [Int]) {
        self.name = name
        self.operation = operation
        self.inputs = inputs
    }
}

/// A whole network: input shape, nodes in topological order; the last node is the embedding.
public struct ModelSpec: Codable, Equatable, Sendable {
    public var name: String
    public var input: Shape
    public var nodes: [NodeSpec]
    public init(name: String, input: Shape, nodes: [NodeSpec]) {
        self.name = name
        self.input = input
        self.nodes = nodes
    }

    /// JSON text of the spec (stored in checkpoints).
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public static func fromJSON(_ text: String) throws -> ModelSpec {
        try JSONDecoder().decode(ModelSpec.self, from: Data(text.utf8))
    }
}

/// Builds a ModelSpec node by node (used by the architecture definitions).
public struct ModelBuilder {
    public private(set) var nodes: [NodeSpec] = []
    let name: String
    let input: Shape

    public init(name: String, input: Shape) {
        self.name = name
        self.input = input
    }

    /// Appends a node and returns its index; `inputs` default to the previous node.
    @discardableResult
    public mutating func add(_ name: String, _ operation: Operation, inputs: [Int]? = nil) -> Int {
        nodes.append(NodeSpec(name: name, operation: operation, inputs: inputs ?? [nodes.count - 1]))
        return nodes.count - 1
    }

    public var last: Int { nodes.count - 1 }

    public func build() -> ModelSpec { ModelSpec(name: name, input: input, nodes: nodes) }
}
