// FFEMQuant — ModelLowering.swift: a QuantizedPlan written as the runtime's `.ffq` model.
import FFEMRuntime
import FFEMTrain

extension QuantizedPlan {
    /// The plan as an FFEMRuntime model (each appended op validated by the runtime's builder).
    /// Runtime tensor i + 1 is plan node i's output; tensor 0 is the input.
    public func model(metadata: ModelMetadata) throws(QuantizationError) -> QuantizedModel {
        try model(metadata: metadata, through: nodes.count - 1)
    }

    /// The model of nodes 0…`last`, followed — when `last` is not the final node — by a global
    /// average pooling of node `last`'s output (the runtime's last tensor must be 1×1×C). After an
    /// invocation, node `last`'s tensor is intact (it is live until that final op), which is how the
    /// quantization report reads every intermediate int8 tensor.
    public func model(metadata: ModelMetadata, through last: Int) throws(QuantizationError) -> QuantizedModel {
        var model = QuantizedModel(metadata: metadata)
        func tensor(_ input: Int) -> Int { input + 1 }
        for node in nodes.prefix(last + 1) {
            let operation: QuantizedOperation
            func channels(_ r: Requantization) -> ChannelRequantization {
                ChannelRequantization(multipliers: r.multipliers, shifts: r.shifts, outputMin: r.outputMin, outputMax: r.outputMax)
            }
            let inputShape = node.inputs[0] == -1 ? input : nodes[node.inputs[0]].outputShape
            switch node.operation {
            case let .convolution(kernel, stride, padding, weights, bias, requantization):
                let layer = WeightedLayer(input: tensor(node.inputs[0]), stride: stride, padding: padding, weights: weights, bias: bias,
                                          requantization: channels(requantization))
                if kernel == 1 && stride == 1 && padding == 0 {
                    operation = .pointwiseConvolution(layer)
                } else if kernel == 3 {
                    operation = .convolution3x3(layer)
                } else {
                    throw QuantizationError("'\(node.name)': a \(kernel)×\(kernel) stride-\(stride) convolution has no int8 kernel (3×3 and 1×1 stride 1 do)")
                }
            case let .depthwiseConvolution(kernel, stride, padding, weights, bias, requantization):
                let layer = WeightedLayer(input: tensor(node.inputs[0]), stride: stride, padding: padding, weights: weights, bias: bias,
                                          requantization: channels(requantization))
                if kernel == inputShape.height && kernel == inputShape.width && padding == 0 {
                    operation = .globalDepthwiseConvolution(layer)
                } else if kernel == 3 {
                    operation = .depthwiseConvolution3x3(layer)
                } else {
                    throw QuantizationError("'\(node.name)': a \(kernel)×\(kernel) depthwise convolution has no int8 kernel")
                }
            case let .dense(weights, bias, requantization):
                operation = .fullyConnected(WeightedLayer(input: tensor(node.inputs[0]), weights: weights, bias: bias, requantization: channels(requantization)))
            case let .prelu(alpha, pm, ps, nm, ns, _, lo, hi):
                operation = .prelu(PReLULayer(input: tensor(node.inputs[0]), alpha: alpha, alphaZeroPoint: 0, positiveMultiplier: pm, positiveShift: ps,
                                              negativeMultipliers: nm, negativeShifts: ns, outputMin: lo, outputMax: hi))
            case let .add(am, ash, bm, bsh, left, om, osh, _, lo, hi):
                operation = .add(AddLayer(a: tensor(node.inputs[0]), b: tensor(node.inputs[1]), aMultiplier: am, aShift: ash, bMultiplier: bm,
                                          bShift: bsh, leftShift: left, outputMultiplier: om, outputShift: osh, outputMin: lo, outputMax: hi))
            case let .globalAveragePooling(m, s, _, lo, hi):
                operation = .globalAveragePooling(GlobalAveragePoolingLayer(input: tensor(node.inputs[0]), multiplier: m, shift: s, outputMin: lo, outputMax: hi))
            }
            do {
                _ = try model.append(operation, output: node.output)
            } catch {
                throw QuantizationError("'\(node.name)': the runtime refuses the op: \(error)")
            }
        }
        if last < nodes.count - 1 {
            let shape = nodes[last].outputShape
            let (multiplier, shift) = try quantizeMultiplier(1 / Double(shape.height * shape.width))
            do {
                _ = try model.append(.globalAveragePooling(GlobalAveragePoolingLayer(input: last + 1, multiplier: multiplier, shift: shift)),
                                     output: nodes[last].output)
            } catch {
                throw QuantizationError("'\(nodes[last].name)': cannot observe its tensor: \(error)")
            }
        }
        return model
    }
}
