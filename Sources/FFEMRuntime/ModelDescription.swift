// FFEMRuntime — ModelDescription.swift: the vocabulary of an int8 model (shapes, quantization, metadata).

/// Per-sample NHWC shape of an activation tensor: height × width × channels (a vector is 1 × 1 × n).
public struct TensorShape: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// height · width · channels (the tensor's bytes, int8).
    public var elementCount: Int { height * width * channels }
    /// height · width.
    public var pixelCount: Int { height * width }
}

/// Per-tensor asymmetric int8 quantization: real = scale · (q − zeroPoint) (DESIGN.md §7).
public struct ActivationQuantization: Equatable, Sendable {
    /// > 0 and finite.
    public var scale: Float
    /// In [−128, 127]; real 0 is exactly q = zeroPoint.
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The network input (DESIGN.md §4): (p − 128)/128 is q = p − 128 with scale 1/128, zero point 0.
    public static let networkInput = ActivationQuantization(scale: 1.0 / 128.0, zeroPoint: 0)
}

/// An activation tensor of the model: its shape and its quantization.
public struct ActivationTensor: Equatable, Sendable {
    public var shape: TensorShape
    public var quantization: ActivationQuantization

    public init(shape: TensorShape, quantization: ActivationQuantization) {
        self.shape = shape
        self.quantization = quantization
    }
}

/// How the face box is transformed before the crop (DESIGN.md §4): scaled about its centre by
/// `scaleQ16 / 65536`, then, if `makesSquare`, widened to a square about the same centre.
public struct CropPolicy: Equatable, Sendable {
    /// Box scale in Q16 (65536 = 1.0); > 0.
    public var scaleQ16: Int32
    public var makesSquare: Bool

    public init(scaleQ16: Int32 = 65536, makesSquare: Bool = false) {
        self.scaleQ16 = scaleQ16
        self.makesSquare = makesSquare
    }
}

/// A recommended cosine threshold: pairs scoring ≥ `cosine` are accepted, which falsely accepted
/// `falseAcceptRate` of the impostor pairs of the quantizer's evaluation set.
public struct CosineThreshold: Equatable, Sendable {
    public var falseAcceptRate: Float
    public var cosine: Float

    public init(falseAcceptRate: Float, cosine: Float) {
        self.falseAcceptRate = falseAcceptRate
        self.cosine = cosine
    }
}

/// The requantization rounding of the numeric contract, recorded because TFLite ships two.
public enum RoundingMode: UInt32, Equatable, Sendable {
    /// gemmlowp double rounding: RDBPOT(SRDHM(x · 2^max(shift,0), M), max(−shift,0)) (DESIGN.md §7).
    /// The only mode this runtime executes. (Code 2 is reserved for TFLITE_SINGLE_ROUNDING.)
    case doubleRounding = 1
}

/// Everything in the `.ffq` header that is not derived from the op list.
public struct ModelMetadata: Equatable, Sendable {
    public var roundingMode: RoundingMode
    /// The crop side N: the network input is N × N × 3 (RGB).
    public var inputSize: Int
    public var cropPolicy: CropPolicy
    /// Recommended thresholds, in any order (may be empty).
    public var thresholds: [CosineThreshold]

    public init(inputSize: Int = 112, cropPolicy: CropPolicy = CropPolicy(), thresholds: [CosineThreshold] = [],
                roundingMode: RoundingMode = .doubleRounding) {
        self.roundingMode = roundingMode
        self.inputSize = inputSize
        self.cropPolicy = cropPolicy
        self.thresholds = thresholds
    }
}
