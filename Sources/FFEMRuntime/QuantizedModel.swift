// FFEMRuntime — QuantizedModel.swift: an int8 model as a value — what the quantizer builds, the
// writer serialises, the reader returns and the interpreter runs.

/// An int8 network: metadata, activation tensors and the op list.
///
/// Tensor 0 is the network input (N × N × 3, scale 1/128, zero point 0); operation i writes
/// tensor i + 1 and may read only tensors 0...i; the last tensor (1 × 1 × E) is the int8 embedding.
///
/// Built op by op with `append(_:output:)`, which checks each op as it comes (shapes, references,
/// argument ranges) and infers the output shape:
///
/// ```swift
/// var model = QuantizedModel(metadata: ModelMetadata(inputSize: 112))
/// let stem = try model.append(.convolution3x3(WeightedLayer(
///     input: QuantizedModel.input, stride: 2, padding: 1,
///     weights: stemWeights,                      // OHWI [64][3][3][3], int8 in ±127
///     bias: stemBias,                            // int32, scale s_in·s_w[c]
///     requantization: ChannelRequantization(multipliers: m, shifts: s))),
///     output: ActivationQuantization(scale: 0.05, zeroPoint: -3))
/// // … more ops reading `stem` …
/// let bytes = try FFQWriter.serialize(model)     // then FileIO.writeAtomically(bytes, to: path)
/// ```
public struct QuantizedModel: Equatable, Sendable {
    /// The index of the network input tensor.
    public static let input = 0

    public var metadata: ModelMetadata
    public private(set) var tensors: [ActivationTensor]
    public private(set) var operations: [QuantizedOperation]

    /// A model with only its input tensor (metadata.inputSize² × 3, `ActivationQuantization.networkInput`).
    public init(metadata: ModelMetadata) {
        self.metadata = metadata
        let side = metadata.inputSize
        tensors = [ActivationTensor(shape: TensorShape(height: side, width: side, channels: 3),
                                    quantization: .networkInput)]
        operations = []
    }

    /// A model from its parts, unchecked (the reader validates it with `ModelValidator.validate`).
    init(metadata: ModelMetadata, tensors: [ActivationTensor], operations: [QuantizedOperation]) {
        self.metadata = metadata
        self.tensors = tensors
        self.operations = operations
    }

    /// Appends `operation`, which writes a new tensor quantized as `output`, and returns that
    /// tensor's index (`operations.count` after the call). Throws, leaving the model unchanged,
    /// when the op reads a tensor that does not exist yet, its weights or parameters do not fit its
    /// input's shape, an argument is out of range, or `output` is not a valid quantization.
    @discardableResult
    public mutating func append(_ operation: QuantizedOperation,
                                output: ActivationQuantization) throws(FFQError) -> Int {
        let index = operations.count
        guard index < ModelLimits.maximumOperations else {
            throw .invalidModel(reason: "more than \(ModelLimits.maximumOperations) ops")
        }
        if index == 0 { try ModelValidator.validate(metadata: metadata) }
        let shape = try ModelValidator.outputShape(of: operation, at: index, tensors: tensors)
        let tensor = ActivationTensor(shape: shape, quantization: output)
        try ModelValidator.validate(tensor: tensor, index: index + 1)
        if case .clamp(let layer) = operation, tensors[layer.input].quantization != output {
            throw .shapeMismatch(operation: index, reason: "clamp must keep its input's scale and zero point")
        }
        tensors.append(tensor)
        operations.append(operation)
        return index + 1
    }

    /// The index of the embedding tensor (the last one).
    public var outputTensor: Int { tensors.count - 1 }

    /// E, the embedding length.
    public var embeddingSize: Int { tensors[outputTensor].shape.channels }

    /// The embedding's quantization.
    public var outputQuantization: ActivationQuantization { tensors[outputTensor].quantization }
}
