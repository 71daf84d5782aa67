// FFEMTrain — Network.swift: a ModelSpec made runnable: layers, activation buffers, forward and backward.
import FFEMCore

/// Why a spec cannot be built.
public struct ModelError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public final class Network {
    public let spec: ModelSpec
    public let layers: [Layer]
    public let shapes: [Shape]
    /// Output of each node, and the gradient of the loss with respect to it.
    /// Output of each node after the last forward pass (read by calibration).
    public let activations: [FloatBuffer]
    let gradients: [FloatBuffer]
    let inputGradient = FloatBuffer(count: 0)
    public private(set) var batch = 0
    public var threads: Int

    /// Builds the layers of `spec` with weights drawn from `seed`.
    public init(spec: ModelSpec, seed: UInt64, threads: Int = 2) throws(ModelError) {
        self.spec = spec
        self.threads = threads
        var random = SeededRandom(seed: seed)
        var layers: [Layer] = []
        var shapes: [Shape] = []
        for (index, node) in spec.nodes.enumerated() {
            var inputShapes: [Shape] = []
            for i in node.inputs {
                guard i >= -1 && i < index else { throw ModelError("node \(index) '\(node.name)' reads node \(i), which is not earlier") }
                inputShapes.append(i == -1 ? spec.input : shapes[i])
            }
            guard let first = inputShapes.first else { throw ModelError("node \(index) '\(node.name)' has no input") }
            let layer: Layer
            switch node.operation {
            case let .convolution(kernel, stride, padding, outputChannels, hasBias):
                layer = Convolution(name: node.name, input: first, kernel: kernel, stride: stride, padding: padding,
                                    outputChannels: outputChannels, hasBias: hasBias, random: &random)
            case let .depthwiseConvolution(kernel, stride, padding, hasBias):
                layer = DepthwiseConvolution(name: node.name, input: first, kernel: kernel, stride: stride, padding: padding,
                                             hasBias: hasBias, random: &random)
            case let .batchNormalization(epsilon, momentum):
                layer = BatchNormalization(name: node.name, input: first, epsilon: epsilon, momentum: momentum)
            case .prelu: layer = PReLU(name: node.name, input: first)
            case .relu: layer = ClippedReLU(input: first, ceiling: .infinity)
            case .relu6: layer = ClippedReLU(input: first, ceiling: 6)
            case .add:
                guard inputShapes.count == 2, inputShapes[0] == inputShapes[1] else {
                    throw ModelError("node \(index) '\(node.name)': add needs two inputs of one shape, got \(inputShapes)")
                }
                layer = Add(input: first)
            case let .dense(outputs, hasBias):
                layer = Dense(name: node.name, input: first, outputs: outputs, hasBias: hasBias, random: &random)
            case let .dropout(rate): layer = Dropout(input: first, rate: rate, node: index)
            case .flatten: layer = Flatten(input: first)
            case .globalAveragePooling: layer = GlobalAveragePooling(input: first)
            case .l2Normalization: layer = L2Normalization(input: first)
            }
            guard layer.outputShape.height > 0, layer.outputShape.width > 0 else {
                throw ModelError("node \(index) '\(node.name)': output shape \(layer.outputShape) is empty for input \(first)")
            }
            layers.append(layer)
            shapes.append(layer.outputShape)
        }
        guard !layers.isEmpty else { throw ModelError("the model has no nodes") }
        self.layers = layers
        self.shapes = shapes
        activations = shapes.map { _ in FloatBuffer(count: 0) }
        gradients = shapes.map { _ in FloatBuffer(count: 0) }
    }

    public var outputShape: Shape { shapes[shapes.count - 1] }
    public var output: FloatBuffer { activations[activations.count - 1] }
    public var outputGradient: FloatBuffer { gradients[gradients.count - 1] }
    /// ∂L/∂input after `backward(computeInputGradient: true)`.
    public var inputGradientBuffer: FloatBuffer { inputGradient }

    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }
    public var buffers: [Parameter] { layers.flatMap { $0.buffers } }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }

    func prepare(batch: Int) {
        self.batch = batch
        for (k, shape) in shapes.enumerated() {
            activations[k].resize(batch * shape.count)
            gradients[k].resize(batch * shape.count)
        }
    }

    /// Runs the network on `batch` samples at `input` (NHWC, batch × input shape) and returns the output buffer.
    @discardableResult
    public func forward(_ input: FloatBuffer, batch: Int, isTraining: Bool, seed: UInt64 = 0, step: Int = 0) -> FloatBuffer {
        precondition(input.count >= batch * spec.input.count, "input holds \(input.count) values, needs \(batch * spec.input.count)")
        prepare(batch: batch)
        let context = PassContext(batch: batch, isTraining: isTraining, threads: threads, seed: seed, step: step)
        for (k, node) in spec.nodes.enumerated() {
            let inputs = node.inputs.map { $0 == -1 ? input : activations[$0] }
            layers[k].forward(inputs, output: activations[k], context: context)
        }
        return output
    }

    /// Backpropagates `outputGradient` (filled by the caller) through the last training forward pass,
    /// accumulating into every parameter's gradient (zero them first with `zeroGradients()`).
    public func backward(input: FloatBuffer, seed: UInt64 = 0, step: Int = 0, computeInputGradient: Bool = false) {
        let context = PassContext(batch: batch, isTraining: true, threads: threads, seed: seed, step: step)
        for k in 0..<(gradients.count - 1) { gradients[k].zero() }
        if computeInputGradient {
            inputGradient.resize(batch * spec.input.count)
            inputGradient.zero()
        }
        for k in stride(from: spec.nodes.count - 1, through: 0, by: -1) {
            let node = spec.nodes[k]
            let inputs = node.inputs.map { $0 == -1 ? input : activations[$0] }
            let inputGradients: [FloatBuffer?] = node.inputs.map { i in
                i == -1 ? (computeInputGradient ? inputGradient : nil) : gradients[i]
            }
            layers[k].backward(inputs, output: activations[k], outputGradient: gradients[k], inputGradients: inputGradients, context: context)
        }
    }

    /// BN recalibration: replaces every batch norm's running statistics by the average of the batch
    /// statistics over `batches` (training-mode forward passes, no weight change). With Keras's 0.99
    /// momentum a short run leaves the running statistics far from the data's (0.99^135 ≈ 0.26 of
    /// the initial 0/1 remain after 135 steps); this makes inference see the trained network.
    public func recalibrateBatchNormalization(_ batches: [(input: FloatBuffer, count: Int)]) {
        let norms = layers.compactMap { $0 as? BatchNormalization }
        for bn in norms { bn.recalibrationCount = 0 }
        for batch in batches { forward(batch.input, batch: batch.count, isTraining: true) }
        for bn in norms { bn.recalibrationCount = nil }
    }

    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.zero() }
    }
}
