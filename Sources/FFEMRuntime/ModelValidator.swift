// FFEMRuntime — ModelValidator.swift: the semantic checks of a model (shapes, references, argument ranges).
//
// The reader checks the bytes (bounds, alignment, checksum); this file checks what they mean, for
// models read from files and models built by the quantizer alike. A model that passes can be
// planned, packed and run without any out-of-range index, overflowing size or unexecutable argument.

public enum ModelValidator {
    /// Checks the whole model: metadata, tensor table, and each op against the tensors before it.
    public static func validate(_ model: QuantizedModel) throws(FFQError) {
        try validate(metadata: model.metadata)
        let tensors = model.tensors
        guard !model.operations.isEmpty else { throw .invalidModel(reason: "no ops") }
        guard model.operations.count <= ModelLimits.maximumOperations else {
            throw .invalidModel(reason: "\(model.operations.count) ops, at most \(ModelLimits.maximumOperations)")
        }
        guard tensors.count == model.operations.count + 1 else {
            throw .invalidModel(reason: "\(tensors.count) tensors for \(model.operations.count) ops (op i writes tensor i + 1)")
        }
        for (index, tensor) in tensors.enumerated() { try validate(tensor: tensor, index: index) }
        let side = model.metadata.inputSize
        guard tensors[0].shape == TensorShape(height: side, width: side, channels: 3) else {
            throw .invalidTensor(index: 0, reason: "the network input must be \(side)x\(side)x3")
        }
        guard tensors[0].quantization.scale.bitPattern == ActivationQuantization.networkInput.scale.bitPattern,
              tensors[0].quantization.zeroPoint == 0 else {
            throw .invalidTensor(index: 0, reason: "the network input must have scale 1/128 and zero point 0")
        }
        for (index, operation) in model.operations.enumerated() {
            let shape = try outputShape(of: operation, at: index, tensors: tensors)
            let output = tensors[index + 1]
            guard shape == output.shape else {
                throw .shapeMismatch(operation: index, reason: "\(operation.name) computes \(describe(shape)), "
                    + "tensor \(index + 1) is \(describe(output.shape))")
            }
            if case .clamp(let layer) = operation, tensors[layer.input].quantization != output.quantization {
                throw .shapeMismatch(operation: index, reason: "clamp must keep its input's scale and zero point")
            }
        }
        let embedding = tensors[tensors.count - 1].shape
        guard embedding.height == 1, embedding.width == 1 else {
            throw .invalidModel(reason: "the last tensor (the embedding) must be 1x1xE, is \(describe(embedding))")
        }
    }

    static func validate(metadata: ModelMetadata) throws(FFQError) {
        guard (1...ModelLimits.maximumSide).contains(metadata.inputSize) else {
            throw .invalidHeader(field: "inputSize", reason: "\(metadata.inputSize) is outside 1...\(ModelLimits.maximumSide)")
        }
        guard metadata.cropPolicy.scaleQ16 > 0 else {
            throw .invalidHeader(field: "cropScaleQ16", reason: "\(metadata.cropPolicy.scaleQ16) is not positive")
        }
        guard metadata.thresholds.count <= ModelLimits.maximumThresholds else {
            throw .invalidHeader(field: "thresholdCount", reason: "\(metadata.thresholds.count) > \(ModelLimits.maximumThresholds)")
        }
        for threshold in metadata.thresholds {
            guard threshold.falseAcceptRate > 0, threshold.falseAcceptRate <= 1,
                  threshold.cosine >= -1, threshold.cosine <= 1 else {
                throw .invalidHeader(field: "thresholds", reason: "FAR must be in (0, 1] and cosine in [-1, 1]")
            }
        }
    }

    static func validate(tensor: ActivationTensor, index: Int) throws(FFQError) {
        let shape = tensor.shape
        guard (1...ModelLimits.maximumSide).contains(shape.height), (1...ModelLimits.maximumSide).contains(shape.width),
              (1...ModelLimits.maximumChannels).contains(shape.channels) else {
            throw .invalidTensor(index: index, reason: "shape \(describe(shape)) is outside "
                + "1...\(ModelLimits.maximumSide) x 1...\(ModelLimits.maximumSide) x 1...\(ModelLimits.maximumChannels)")
        }
        let elements = Int64(shape.height) * Int64(shape.width) * Int64(shape.channels)
        guard elements <= Int64(ModelLimits.maximumTensorElements) else {
            throw .invalidTensor(index: index, reason: "\(elements) elements, at most \(ModelLimits.maximumTensorElements)")
        }
        let scale = tensor.quantization.scale
        guard scale.isFinite, scale > 0 else { throw .invalidTensor(index: index, reason: "scale must be finite and > 0") }
        guard (-128...127).contains(tensor.quantization.zeroPoint) else {
            throw .invalidTensor(index: index, reason: "zero point \(tensor.quantization.zeroPoint) is outside -128...127")
        }
    }

    /// The shape op `index` writes, after checking its references and arguments. `tensors` must hold
    /// at least tensors 0...index, each already validated.
    static func outputShape(of operation: QuantizedOperation, at index: Int,
                            tensors: [ActivationTensor]) throws(FFQError) -> TensorShape {
        let (first, second) = operation.inputs
        let input = try reference(first, at: index, tensors: tensors).shape
        let check = ArgumentCheck(operation: index)
        switch operation {
        case .convolution3x3(let layer):
            try check.range("input channels", input.channels, 1...ModelLimits.maximumConvolution3x3InputChannels)
            let output = try window3x3(layer, input: input, check: check)
            try check.count("weights", layer.weights.count, layer.outputChannels * 9 * input.channels)
            return output
        case .depthwiseConvolution3x3(let layer):
            let output = try window3x3(layer, input: input, check: check)
            try check.count("output channels", layer.outputChannels, input.channels)
            try check.count("weights", layer.weights.count, input.channels * 9)
            return output
        case .pointwiseConvolution(let layer):
            try check.range("input channels", input.channels, 1...ModelLimits.maximumReductionDepth)
            try weighted(layer, isWindow: false, check: check)
            try check.count("weights", layer.weights.count, layer.outputChannels * input.channels)
            return TensorShape(height: input.height, width: input.width, channels: layer.outputChannels)
        case .fullyConnected(let layer):
            try check.range("input elements", input.elementCount, 1...ModelLimits.maximumReductionDepth)
            try weighted(layer, isWindow: false, check: check)
            try check.count("weights", layer.weights.count, layer.outputChannels * input.elementCount)
            return TensorShape(height: 1, width: 1, channels: layer.outputChannels)
        case .globalDepthwiseConvolution(let layer):
            try check.range("kernel pixels", input.pixelCount, 1...ModelLimits.maximumReductionDepth)
            try weighted(layer, isWindow: false, check: check)
            try check.count("output channels", layer.outputChannels, input.channels)
            try check.count("weights", layer.weights.count, input.channels * input.pixelCount)
            return TensorShape(height: 1, width: 1, channels: input.channels)
        case .prelu(let layer):
            try check.count("alpha", layer.alpha.count, input.channels)
            try check.range("alphaZeroPoint", Int(layer.alphaZeroPoint), -128...127)
            try check.multiplier("positiveMultiplier", layer.positiveMultiplier, shift: layer.positiveShift)
            try check.count("negativeMultipliers", layer.negativeMultipliers.count, input.channels)
            try check.count("negativeShifts", layer.negativeShifts.count, input.channels)
            for c in 0..<input.channels {
                try check.multiplier("negativeMultipliers[\(c)]", layer.negativeMultipliers[c], shift: layer.negativeShifts[c])
            }
            try check.clamp(layer.outputMin, layer.outputMax)
            return input
        case .add(let layer):
            let other = try reference(second ?? -1, at: index, tensors: tensors).shape
            guard other == input else {
                throw .shapeMismatch(operation: index, reason: "add of \(describe(input)) and \(describe(other))")
            }
            try check.multiplier("aMultiplier", layer.aMultiplier, shift: layer.aShift)
            try check.multiplier("bMultiplier", layer.bMultiplier, shift: layer.bShift)
            try check.multiplier("outputMultiplier", layer.outputMultiplier, shift: layer.outputShift)
            try check.range("leftShift", Int(layer.leftShift), 0...22)
            try check.clamp(layer.outputMin, layer.outputMax)
            return input
        case .globalAveragePooling(let layer):
            try check.range("pixels", input.pixelCount, 1...ModelLimits.maximumPoolPixels)
            try check.multiplier("multiplier", layer.multiplier, shift: layer.shift)
            try check.clamp(layer.outputMin, layer.outputMax)
            return TensorShape(height: 1, width: 1, channels: input.channels)
        case .clamp(let layer):
            try check.clamp(layer.outputMin, layer.outputMax)
            return input
        }
    }

    /// Tensor `tensor` as read by op `index`: it must exist and be computed already (≤ index).
    private static func reference(_ tensor: Int, at index: Int,
                                  tensors: [ActivationTensor]) throws(FFQError) -> ActivationTensor {
        guard tensor >= 0, tensor < tensors.count else {
            throw .invalidReference(operation: index, tensor: tensor, reason: "no such tensor (the model has \(tensors.count))")
        }
        guard tensor <= index else {
            throw .invalidReference(operation: index, tensor: tensor,
                                    reason: "not computed yet (op \(index) may read tensors 0...\(index))")
        }
        return tensors[tensor]
    }

    private static func window3x3(_ layer: WeightedLayer, input: TensorShape,
                                  check: ArgumentCheck) throws(FFQError) -> TensorShape {
        try check.range("stride", layer.stride, 1...2)
        try check.range("padding", layer.padding, 0...1)
        try check.range("input height + 2·padding", input.height + 2 * layer.padding, 3...Int.max)
        try check.range("input width + 2·padding", input.width + 2 * layer.padding, 3...Int.max)
        try weighted(layer, isWindow: true, check: check)
        return TensorShape(height: (input.height + 2 * layer.padding - 3) / layer.stride + 1,
                           width: (input.width + 2 * layer.padding - 3) / layer.stride + 1,
                           channels: layer.outputChannels)
    }

    /// Bias, weights, requantization and (for non-3×3 ops) stride 1 / padding 0 of a weighted layer.
    private static func weighted(_ layer: WeightedLayer, isWindow: Bool, check: ArgumentCheck) throws(FFQError) {
        try check.range("output channels", layer.outputChannels, 1...ModelLimits.maximumChannels)
        try check.count("multipliers", layer.requantization.multipliers.count, layer.outputChannels)
        try check.count("shifts", layer.requantization.shifts.count, layer.outputChannels)
        if !isWindow {
            try check.range("stride", layer.stride, 1...1)
            try check.range("padding", layer.padding, 0...0)
        }
        for c in 0..<layer.outputChannels {
            try check.multiplier("multipliers[\(c)]", layer.requantization.multipliers[c], shift: layer.requantization.shifts[c])
            let bound = Int(ModelLimits.maximumBiasMagnitude)
            try check.range("bias[\(c)]", Int(layer.bias[c]), -bound...bound)
        }
        for w in layer.weights where w == -128 {
            try check.range("weight", Int(w), -127...127)
        }
        try check.clamp(layer.requantization.outputMin, layer.requantization.outputMax)
    }
}

/// Range checks of one op's arguments, throwing `argumentOutOfRange` / `shapeMismatch` named by argument.
struct ArgumentCheck {
    let operation: Int

    func range(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws(FFQError) {
        guard range.contains(value) else {
            let upper = range.upperBound == Int.max ? "" : "\(range.upperBound)"
            throw .argumentOutOfRange(operation: operation, argument: name, value: value, range: "\(range.lowerBound)...\(upper)")
        }
    }

    func count(_ name: String, _ actual: Int, _ expected: Int) throws(FFQError) {
        guard actual == expected else {
            throw .shapeMismatch(operation: operation, reason: "\(name) has \(actual) elements, expected \(expected)")
        }
    }

    /// multiplier ∈ {0} ∪ [2^30, 2^31), shift ∈ [−31, 30] (ffem_fixedpoint.h).
    func multiplier(_ name: String, _ multiplier: Int32, shift: Int32) throws(FFQError) {
        if multiplier != 0 { try range(name, Int(multiplier), (1 << 30)...Int(Int32.max)) }
        try range(name + " shift", Int(shift), FixedPointReference.minimumShift...FixedPointReference.maximumShift)
    }

    /// −128 ≤ min ≤ max ≤ 127.
    func clamp(_ minimum: Int32, _ maximum: Int32) throws(FFQError) {
        try range("outputMin", Int(minimum), -128...127)
        try range("outputMax", Int(maximum), Int(minimum)...127)
    }
}

func describe(_ shape: TensorShape) -> String { "\(shape.height)x\(shape.width)x\(shape.channels)" }
