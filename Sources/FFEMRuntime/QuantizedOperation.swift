// FFEMRuntime — QuantizedOperation.swift: the int8 operations a `.ffq` model is made of.
//
// Every op reads earlier tensors by index and writes one new tensor: operation i of a model writes
// tensor i + 1 (tensor 0 is the network input). Zero points are not repeated in the ops: an op
// uses the zero points of the tensors it reads and writes. Multipliers and shifts follow
// `FixedPointReference.quantizeMultiplier` (multiplier ∈ [2^30, 2^31) or 0, shift ∈ [−31, 30],
// positive = left). Clamps are int8 bounds −128 ≤ outputMin ≤ outputMax ≤ 127; fused ReLU/ReLU6
// are such clamps (`ffem_qs8_activation_bounds`).

/// Per-output-channel requantization of an int32 accumulator:
/// out[c] = clamp(zp_out + MultiplyByQuantizedMultiplier(acc, multipliers[c], shifts[c]), outputMin, outputMax),
/// multipliers[c]·2^shifts[c]/2^31 ≈ s_in · s_w[c] / s_out.
public struct ChannelRequantization: Equatable, Sendable {
    public var multipliers: [Int32]
    public var shifts: [Int32]
    public var outputMin: Int32
    public var outputMax: Int32

    public init(multipliers: [Int32], shifts: [Int32], outputMin: Int32 = -128, outputMax: Int32 = 127) {
        self.multipliers = multipliers
        self.shifts = shifts
        self.outputMin = outputMin
        self.outputMax = outputMax
    }
}

/// A layer with int8 weights, symmetric per output channel (zero point 0, values in [−127, 127]):
///   acc[c] = bias[c] + Σ (x − zp_in) · w[c][…],   out = requantization(acc)
/// Weights are OHWI:
/// - `.convolution3x3`: [outputChannels][3][3][inputChannels];
/// - `.depthwiseConvolution3x3`: [channels][3][3] (I = 1);
/// - `.pointwiseConvolution` (1×1, stride 1): [outputChannels][inputChannels];
/// - `.fullyConnected`: [outputs][H·W·C of the input, NHWC order] — the input is read flattened,
///   so no flatten op is needed; the output is 1 × 1 × outputs;
/// - `.globalDepthwiseConvolution` (GDC, kernel = input H × W, valid): [channels][H][W] → 1 × 1 × channels.
/// `bias` is int32 with scale s_in · s_w[c], one per output channel (its count fixes the output channels).
public struct WeightedLayer: Equatable, Sendable {
    public var input: Int
    /// 1 or 2 (3×3 ops only; 1 elsewhere).
    public var stride: Int
    /// Symmetric zero padding, 0 or 1 (3×3 ops only; 0 elsewhere). Output side ⌊(H + 2p − 3)/s⌋ + 1.
    public var padding: Int
    public var weights: [Int8]
    public var bias: [Int32]
    public var requantization: ChannelRequantization

    public init(input: Int, stride: Int = 1, padding: Int = 0, weights: [Int8], bias: [Int32],
                requantization: ChannelRequantization) {
        self.input = input
        self.stride = stride
        self.padding = padding
        self.weights = weights
        self.bias = bias
        self.requantization = requantization
    }

    /// Output channels (= bias count).
    public var outputChannels: Int { bias.count }
}

/// TFLite PRELU with a per-channel int8 alpha (`ffem_qs8_prelu_params`):
///   v = x − zp_in;  v ≥ 0: zp_out + MBQM(v, positiveMultiplier, positiveShift)
///                   v < 0: zp_out + MBQM(v · (alpha[c] − alphaZeroPoint), negativeMultipliers[c], negativeShifts[c])
/// then clamped; positive ≈ s_in/s_out, negative[c] ≈ s_in·s_alpha/s_out. Output shape = input shape.
public struct PReLULayer: Equatable, Sendable {
    public var input: Int
    public var alpha: [Int8]
    public var alphaZeroPoint: Int32
    public var positiveMultiplier: Int32
    public var positiveShift: Int32
    public var negativeMultipliers: [Int32]
    public var negativeShifts: [Int32]
    public var outputMin: Int32
    public var outputMax: Int32

    public init(input: Int, alpha: [Int8], alphaZeroPoint: Int32, positiveMultiplier: Int32, positiveShift: Int32,
                negativeMultipliers: [Int32], negativeShifts: [Int32], outputMin: Int32 = -128, outputMax: Int32 = 127) {
        self.input = input
        self.alpha = alpha
        self.alphaZeroPoint = alphaZeroPoint
        self.positiveMultiplier = positiveMultiplier
        self.positiveShift = positiveShift
        self.negativeMultipliers = negativeMultipliers
        self.negativeShifts = negativeShifts
        self.outputMin = outputMin
        self.outputMax = outputMax
    }
}

/// TFLite ADD of two tensors of the same shape (`ffem_qs8_add_params`):
///   a' = MBQM((a − zp_a)·2^leftShift, aMultiplier, aShift), b' likewise,
///   out = clamp(zp_out + MBQM(a' + b', outputMultiplier, outputShift), outputMin, outputMax),
/// TFLite's choice: leftShift 20, aMultiplier ≈ s_a/(2·max(s_a, s_b)), outputMultiplier ≈ 2·max(s_a, s_b)/(2^20·s_out).
public struct AddLayer: Equatable, Sendable {
    public var a: Int
    public var b: Int
    public var aMultiplier: Int32
    public var aShift: Int32
    public var bMultiplier: Int32
    public var bShift: Int32
    /// [0, 22]: |a − zp|·2^leftShift stays below 2^31.
    public var leftShift: Int32
    public var outputMultiplier: Int32
    public var outputShift: Int32
    public var outputMin: Int32
    public var outputMax: Int32

    public init(a: Int, b: Int, aMultiplier: Int32, aShift: Int32, bMultiplier: Int32, bShift: Int32,
                leftShift: Int32 = 20, outputMultiplier: Int32, outputShift: Int32,
                outputMin: Int32 = -128, outputMax: Int32 = 127) {
        self.a = a
        self.b = b
        self.aMultiplier = aMultiplier
        self.aShift = aShift
        self.bMultiplier = bMultiplier
        self.bShift = bShift
        self.leftShift = leftShift
        self.outputMultiplier = outputMultiplier
        self.outputShift = outputShift
        self.outputMin = outputMin
        self.outputMax = outputMax
    }
}

/// Global average pooling H × W × C → 1 × 1 × C (`ffem_qs8_gavgpool_params`):
///   acc[c] = Σ_p x[p][c] − H·W·zp_in,  out = clamp(zp_out + MBQM(acc, multiplier, shift), outputMin, outputMax),
/// multiplier·2^shift/2^31 ≈ s_in / (H·W·s_out).
public struct GlobalAveragePoolingLayer: Equatable, Sendable {
    public var input: Int
    public var multiplier: Int32
    public var shift: Int32
    public var outputMin: Int32
    public var outputMax: Int32

    public init(input: Int, multiplier: Int32, shift: Int32, outputMin: Int32 = -128, outputMax: Int32 = 127) {
        self.input = input
        self.multiplier = multiplier
        self.shift = shift
        self.outputMin = outputMin
        self.outputMax = outputMax
    }
}

/// A standalone ReLU/ReLU6 (an activation that could not be fused): out = clamp(x, outputMin, outputMax).
/// The output tensor must have the input's quantization.
public struct ClampLayer: Equatable, Sendable {
    public var input: Int
    public var outputMin: Int32
    public var outputMax: Int32

    public init(input: Int, outputMin: Int32, outputMax: Int32) {
        self.input = input
        self.outputMin = outputMin
        self.outputMax = outputMax
    }
}

/// One op of the list. Batch norm is folded into the weights by the quantizer; dropout and flatten
/// disappear (fully connected reads its input flattened); the final L2 normalisation is the
/// interpreter's float output step.
public enum QuantizedOperation: Equatable, Sendable {
    case convolution3x3(WeightedLayer)
    case depthwiseConvolution3x3(WeightedLayer)
    case pointwiseConvolution(WeightedLayer)
    case fullyConnected(WeightedLayer)
    case globalDepthwiseConvolution(WeightedLayer)
    case prelu(PReLULayer)
    case add(AddLayer)
    case globalAveragePooling(GlobalAveragePoolingLayer)
    case clamp(ClampLayer)

    /// The op's name in error messages and docs.
    public var name: String {
        switch self {
        case .convolution3x3: return "convolution3x3"
        case .depthwiseConvolution3x3: return "depthwiseConvolution3x3"
        case .pointwiseConvolution: return "pointwiseConvolution"
        case .fullyConnected: return "fullyConnected"
        case .globalDepthwiseConvolution: return "globalDepthwiseConvolution"
        case .prelu: return "prelu"
        case .add: return "add"
        case .globalAveragePooling: return "globalAveragePooling"
        case .clamp: return "clamp"
        }
    }

    /// The tensors the op reads: (first, second or nil).
    public var inputs: (Int, Int?) {
        switch self {
        case .convolution3x3(let l), .depthwiseConvolution3x3(let l), .pointwiseConvolution(let l),
             .fullyConnected(let l), .globalDepthwiseConvolution(let l):
            return (l.input, nil)
        case .prelu(let l): return (l.input, nil)
        case .add(let l): return (l.a, l.b)
        case .globalAveragePooling(let l): return (l.input, nil)
        case .clamp(let l): return (l.input, nil)
        }
    }
}
