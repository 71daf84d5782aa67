// FFEMTrain — Layer.swift: what every layer provides: shapes, parameters, forward and backward.

/// What a forward or backward pass needs besides tensors.
public struct PassContext: Sendable {
    public var batch: Int
    public var isTraining: Bool
    public var threads: Int
    /// Seed and step of the run, for layers that draw random numbers (dropout).
    public var seed: UInt64
    public var step: Int
    /// Set by the network for one backward call of a layer whose `canOverwriteInputGradient` is true
    /// when no other node reads its input: the layer then stores ∂L/∂input (every element) instead of
    /// adding it, and the network skips zeroing that buffer.
    public var overwritesInputGradients = false
    public init(batch: Int, isTraining: Bool, threads: Int, seed: UInt64 = 0, step: Int = 0) {
        self.batch = batch
        self.isTraining = isTraining
        self.threads = threads
        self.seed = seed
        self.step = step
    }
}

/// A layer of the network. Tensors are NHWC float buffers holding `batch` samples.
///
/// `backward` adds ∂L/∂input into `inputGradients` (several consumers may feed one activation) and
/// ∂L/∂parameter into each parameter's `gradient`; the network zeroes both before a backward pass
/// (except input gradients that a sole consumer overwrites, see `canOverwriteInputGradient`).
public protocol Layer: AnyObject {
    var outputShape: Shape { get }
    var parameters: [Parameter] { get }
    /// Non-learned tensors saved in checkpoints (BN running statistics).
    var buffers: [Parameter] { get }
    /// Multiply-adds of the forward pass for one sample.
    var multiplyAdds: Int { get }
    func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext)
    func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                  inputGradients: [FloatBuffer?], context: PassContext)
    /// Whether backward honours `PassContext.overwritesInputGradients` (stores every element of
    /// ∂L/∂input instead of adding). Single-input layers only.
    var canOverwriteInputGradient: Bool { get }
}

extension Layer {
    public var buffers: [Parameter] { [] }
    public var multiplyAdds: Int { 0 }
    public var canOverwriteInputGradient: Bool { false }
}

/// Output size of a convolution window along one axis (symmetric padding).
func convolutionOutputSize(_ size: Int, kernel: Int, stride: Int, padding: Padding) -> (size: Int, pad: Int) {
    let pad = padding == .same ? (kernel - 1) / 2 : 0
    return ((size + 2 * pad - kernel) / stride + 1, pad)
}
