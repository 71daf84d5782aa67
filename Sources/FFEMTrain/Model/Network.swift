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
    /// A BN node's PReLU reader and the pair's fused passes.
    struct FusedPair {
        let reader: Int
        let layers: BatchNormPReLU
    }
    /// BN → PReLU pairs run fused in training, keyed by the BN node (see `planBackward`).
    let fusedPairs: [Int: FusedPair]
    /// The PReLU nodes of `fusedPairs` (their work is done at the BN node's turn).
    var fusedReaders: Set<Int> { Set(fusedPairs.values.map(\.reader)) }
    /// Whether node i's gradient is stored by its only reader, so backward does not zero it.
    let overwrittenGradients: [Bool]
    /// Set to false for the plain schedule (the reference the tests compare with): every layer runs on
    /// its own, and every input gradient is zeroed, then accumulated.
    public var fusesLayers = true
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
        (fusedPairs, overwrittenGradients) = Network.planBackward(spec: spec, layers: layers)
    }

    /// Training-pass fusions and gradient buffers that need no zeroing, from the DAG:
    /// - a BN node whose only reader is a PReLU node runs fused with it (`BatchNormPReLU`), keyed by
    ///   the BN node;
    /// - node i's gradient is overwritten (not zeroed, then accumulated) when exactly one input edge
    ///   reads node i and the reader can store its input gradient (a fused pair, or a layer with
    ///   `canOverwriteInputGradient`).
    static func planBackward(spec: ModelSpec, layers: [Layer]) -> (fused: [Int: FusedPair], overwritten: [Bool]) {
        var readers = [[Int]](repeating: [], count: spec.nodes.count)
        for (k, node) in spec.nodes.enumerated() { for i in node.inputs where i >= 0 { readers[i].append(k) } }
        var fused: [Int: FusedPair] = [:]
        for (k, layer) in layers.enumerated() {
            guard let bn = layer as? BatchNormalization, readers[k].count == 1, let next = readers[k].first,
                  let prelu = layers[next] as? PReLU, spec.nodes[next].inputs == [k], spec.nodes[k].inputs.count == 1 else { continue }
            fused[k] = FusedPair(reader: next, layers: BatchNormPReLU(batchNorm: bn, prelu: prelu))
        }
        let overwritten = readers.map { r in
            r.count == 1 && (fused[r[0]] != nil || (layers[r[0]].canOverwriteInputGradient && spec.nodes[r[0]].inputs.count == 1))
        }
        return (fused, overwritten)
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

    /// Whether the last forward pass ran fused pairs (a training pass with `fusesLayers`).
    private var lastForwardFused = false

    func prepare(batch: Int, fused: Bool) {
        self.batch = batch
        for (k, shape) in shapes.enumerated() {
            // A fused BN's output and gradient are never touched in training: no memory for them.
            let unused = fused && fusedPairs[k] != nil
            activations[k].resize(unused ? 0 : batch * shape.count)
            gradients[k].resize(unused ? 0 : batch * shape.count)
        }
    }

    /// Runs the network on `batch` samples at `input` (NHWC, batch × input shape) and returns the output buffer.
    /// In training (with `fusesLayers`), the outputs of BN nodes fused with their PReLU are not stored.
    @discardableResult
    public func forward(_ input: FloatBuffer, batch: Int, isTraining: Bool, seed: UInt64 = 0, step: Int = 0) -> FloatBuffer {
        precondition(input.count >= batch * spec.input.count, "input holds \(input.count) values, needs \(batch * spec.input.count)")
        let fused = isTraining && fusesLayers && !fusedPairs.isEmpty
        prepare(batch: batch, fused: fused)
        lastForwardFused = fused
        let context = PassContext(batch: batch, isTraining: isTraining, threads: threads, seed: seed, step: step)
        let skipped = fused ? fusedReaders : []
        for (k, node) in spec.nodes.enumerated() where !skipped.contains(k) {
            let inputs = node.inputs.map { $0 == -1 ? input : activations[$0] }
            if fused, let pair = fusedPairs[k] {
                pair.layers.forward(inputs[0], output: activations[pair.reader], context: context)
            } else {
                layers[k].forward(inputs, output: activations[k], context: context)
            }
        }
        return output
    }

    /// Backpropagates `outputGradient` (filled by the caller) through the last training forward pass,
    /// accumulating into every parameter's gradient (zero them first with `zeroGradients()`).
    public func backward(input: FloatBuffer, seed: UInt64 = 0, step: Int = 0, computeInputGradient: Bool = false) {
        let context = PassContext(batch: batch, isTraining: true, threads: threads, seed: seed, step: step)
        let fused = lastForwardFused, skipped = fused ? fusedReaders : []
        let overwritten = fusesLayers ? overwrittenGradients : overwrittenGradients.map { _ in false }
        for k in 0..<(gradients.count - 1) where !overwritten[k] && !(fused && fusedPairs[k] != nil) { gradients[k].zero() }
        if computeInputGradient {
            inputGradient.resize(batch * spec.input.count)
            inputGradient.zero()
        }
        for k in stride(from: spec.nodes.count - 1, through: 0, by: -1) where !skipped.contains(k) {
            let node = spec.nodes[k]
            let inputs = node.inputs.map { $0 == -1 ? input : activations[$0] }
            let inputGradients: [FloatBuffer?] = node.inputs.map { i in
                i == -1 ? (computeInputGradient ? inputGradient : nil) : gradients[i]
            }
            var layerContext = context
            layerContext.overwritesInputGradients = node.inputs.count == 1 && node.inputs[0] >= 0 && overwritten[node.inputs[0]]
            if fused, let pair = fusedPairs[k] {
                pair.layers.backward(inputs[0], outputGradient: gradients[pair.reader], inputGradient: inputGradients[0], context: layerContext)
            } else {
                layers[k].backward(inputs, output: activations[k], outputGradient: gradients[k], inputGradients: inputGradients,
                                   context: layerContext)
            }
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
