// FFEMTrain — ONNXExport.swift: a Network (spec + current weights) as an ONNX model with the
// network's inference semantics (BN running statistics, dropout off), opset 13, IR version 7.
//
// The exported graph
//   input      "input"      float32 [N, C, H, W]  NCHW, pixels (p − 128)/128 as the trainer feeds them;
//                                                  the caller transposes its NHWC batch with perm (0, 3, 1, 2)
//   output     "embedding"  float32 [N, D]        D = per-sample size of the last node's output, in the
//                                                  trainer's NHWC flatten order
//   initializers  named after the network's parameters ("conv1.conv.weight", "conv1.bn.running_mean", …),
//                 converted to ONNX layouts:
//     convolution OHWI → OIHW; depthwise kh×kw×C → [C, 1, kh, kw] with group = C; PReLU slope [C] → [C, 1, 1]
//     on images; dense W (outputs × inputs over the NHWC-flattened sample) unchanged, used by Gemm with transB = 1.
//
// Operation → ONNX
//   convolution            Conv (kernel_shape, strides, symmetric pads ⌊(k − 1)/2⌋ for same, group 1)
//   depthwiseConvolution   Conv (group = C)
//   batchNormalization     BatchNormalization (epsilon; inference form)
//   prelu / relu / relu6   PRelu / Relu / Clip(x, 0, 6)
//   add                    Add
//   dense                  [Transpose(0, 2, 3, 1) when H·W > 1] → Flatten(axis 1) → Gemm(transB = 1)
//   flatten                the same Transpose → Flatten (our flatten is NHWC order)
//   dropout                Identity
//   globalAveragePooling   GlobalAveragePool
//   l2Normalization        x / Max(Sqrt(ReduceSumSquare(x, all axes but N)), 1e-12), as L2Normalization floors ‖x‖
// Each value is either an image [N, C, H, W] or a vector [N, n] (after flatten/dense); a vector that
// meets a spatial operation is reshaped to [N, n, 1, 1], and the last value is flattened to [N, D].

public enum ONNXExport {
    public static let inputName = "input"
    public static let outputName = "embedding"
    /// The symbolic batch dimension of the input and output.
    public static let batchDimension = "N"
    public static let opsetVersion = 13

    /// The ONNX model of `network` with its current weights.
    public static func model(of network: Network) throws(ModelError) -> ONNXModel {
        var lowering = ONNXLowering(spec: network.spec)
        for (index, node) in network.spec.nodes.enumerated() {
            try lowering.lower(node, layer: network.layers[index], outputShape: network.shapes[index])
        }
        var model = ONNXModel(graph: lowering.finish())
        model.opsetVersion = opsetVersion
        model.documentation = "FFEM \(network.spec.name): input NCHW float32 [N, \(network.spec.input.channels), "
            + "\(network.spec.input.height), \(network.spec.input.width)] with pixels (p − 128)/128; output [N, \(network.outputShape.count)]."
        model.metadata = [("ffem.architecture", network.spec.jsonText()), ("ffem.input_layout", "NCHW")]
        return model
    }

    /// The `.onnx` file bytes of `network`.
    public static func serialized(_ network: Network) throws(ModelError) -> [UInt8] {
        try model(of: network).serialized()
    }
}

/// Builds the ONNX graph node by node, tracking the ONNX name and layout of every spec node's output.
struct ONNXLowering {
    enum Layout { case image, vector }

    struct Value {
        var name: String
        var shape: Shape
        var layout: Layout
    }

    let spec: ModelSpec
    var graph: ONNXGraph
    var values: [Value] = []
    let input: Value
    var constantNames: Set<String> = []

    init(spec: ModelSpec) {
        self.spec = spec
        graph = ONNXGraph(name: spec.name, documentation: "FFEM \(spec.name) exported by ffem-train (inference mode).")
        input = Value(name: ONNXExport.inputName, shape: spec.input, layout: .image)
        let s = spec.input
        graph.inputs = [ONNXValueInfo(name: ONNXExport.inputName,
                                      dims: [.parameter(ONNXExport.batchDimension), .value(s.channels), .value(s.height), .value(s.width)])]
    }

    /// Appends a node whose single output is named `name`, returns that name.
    @discardableResult
    mutating func emit(_ opType: String, _ name: String, _ inputs: [String], _ attributes: [ONNXAttribute] = []) -> String {
        graph.nodes.append(ONNXNode(opType: opType, name: name, inputs: inputs, outputs: [name], attributes: attributes))
        return name
    }

    mutating func initializer(_ name: String, dims: [Int], _ values: [Float]) -> String {
        graph.initializers.append(ONNXTensor(name: name, dims: dims, values: .float(values)))
        return name
    }

    /// A shared constant, added on first use.
    mutating func constant(_ name: String, dims: [Int], _ values: ONNXTensor.Values) -> String {
        if constantNames.insert(name).inserted {
            graph.initializers.append(ONNXTensor(name: name, dims: dims, values: values))
        }
        return name
    }

    /// `value` as [N, C, H, W]: a vector [N, n] becomes [N, n, 1, 1].
    mutating func image(_ value: Value, for node: String) -> Value {
        guard value.layout == .vector else { return value }
        let shape = constant("ffem.vector_to_image_shape", dims: [4], .int64([0, -1, 1, 1]))
        return Value(name: emit("Reshape", node + "/to_image", [value.name, shape]), shape: value.shape, layout: .image)
    }

    /// `value` as [N, H·W·C] in NHWC order: Transpose(0, 2, 3, 1) when H·W > 1, then Flatten(axis 1).
    mutating func vector(_ value: Value, for node: String) -> Value {
        guard value.layout == .image else { return value }
        var name = value.name
        if value.shape.height * value.shape.width > 1 {
            name = emit("Transpose", node + "/to_nhwc", [name], [ONNXAttribute("perm", .ints([0, 2, 3, 1]))])
        }
        name = emit("Flatten", node + "/flatten", [name], [ONNXAttribute("axis", .int(1))])
        return Value(name: name, shape: Shape(1, 1, value.shape.count), layout: .vector)
    }

    func layer<T>(_ layer: Layer, as type: T.Type, node: NodeSpec) throws(ModelError) -> T {
        guard let typed = layer as? T else { throw ModelError("node '\(node.name)': layer \(Swift.type(of: layer)) does not match \(node.operation)") }
        return typed
    }

    mutating func lower(_ node: NodeSpec, layer: Layer, outputShape: Shape) throws(ModelError) {
        let inputs = node.inputs.map { $0 == -1 ? input : values[$0] }
        let x = inputs[0], name = node.name
        let result: Value
        switch node.operation {
        case let .convolution(kernel, stride, padding, outputChannels, _):
            let convolution = try self.layer(layer, as: Convolution.self, node: node)
            let source = image(x, for: name)
            let cin = source.shape.channels
            let weight = initializer(convolution.weight.name, dims: [outputChannels, cin, kernel, kernel],
                                     ONNXLayouts.oihw(fromOHWI: convolution.weight.value.array, outputs: outputChannels, kernel: kernel, inputs: cin))
            var operands = [source.name, weight]
            if let bias = convolution.bias { operands.append(initializer(bias.name, dims: [outputChannels], bias.value.array)) }
            emit("Conv", name, operands, convolutionAttributes(kernel: kernel, stride: stride, padding: padding, group: 1))
            result = Value(name: name, shape: outputShape, layout: .image)
        case let .depthwiseConvolution(kernel, stride, padding, _):
            let depthwise = try self.layer(layer, as: DepthwiseConvolution.self, node: node)
            let source = image(x, for: name)
            let c = source.shape.channels
            let weight = initializer(depthwise.weight.name, dims: [c, 1, kernel, kernel],
                                     ONNXLayouts.depthwiseOIHW(fromHWC: depthwise.weight.value.array, kernel: kernel, channels: c))
            var operands = [source.name, weight]
            if let bias = depthwise.bias { operands.append(initializer(bias.name, dims: [c], bias.value.array)) }
            emit("Conv", name, operands, convolutionAttributes(kernel: kernel, stride: stride, padding: padding, group: c))
            result = Value(name: name, shape: outputShape, layout: .image)
        case let .batchNormalization(epsilon, _):
            let norm = try self.layer(layer, as: BatchNormalization.self, node: node)
            let c = x.shape.channels
            let operands = [x.name] + [norm.gamma, norm.beta, norm.runningMean, norm.runningVariance].map {
                initializer($0.name, dims: [c], $0.value.array)
            }
            emit("BatchNormalization", name, operands, [ONNXAttribute("epsilon", .float(epsilon))])
            result = Value(name: name, shape: outputShape, layout: x.layout)
        case .prelu:
            let prelu = try self.layer(layer, as: PReLU.self, node: node)
            let c = x.shape.channels
            let slope = initializer(prelu.slope.name, dims: x.layout == .image ? [c, 1, 1] : [c], prelu.slope.value.array)
            emit("PRelu", name, [x.name, slope])
            result = Value(name: name, shape: outputShape, layout: x.layout)
        case .relu:
            emit("Relu", name, [x.name])
            result = Value(name: name, shape: outputShape, layout: x.layout)
        case .relu6:
            let zero = constant("ffem.zero", dims: [], .float([0]))
            let six = constant("ffem.six", dims: [], .float([6]))
            emit("Clip", name, [x.name, zero, six])
            result = Value(name: name, shape: outputShape, layout: x.layout)
        case .add:
            var a = inputs[0], b = inputs[1]
            if a.layout != b.layout {
                a = vector(a, for: name + "/a")
                b = vector(b, for: name + "/b")
            }
            emit("Add", name, [a.name, b.name])
            result = Value(name: name, shape: outputShape, layout: a.layout)
        case let .dense(outputs, _):
            let dense = try self.layer(layer, as: Dense.self, node: node)
            let flat = vector(x, for: name)
            var operands = [flat.name, initializer(dense.weight.name, dims: [outputs, flat.shape.count], dense.weight.value.array)]
            if let bias = dense.bias { operands.append(initializer(bias.name, dims: [outputs], bias.value.array)) }
            emit("Gemm", name, operands, [ONNXAttribute("transB", .int(1))])
            result = Value(name: name, shape: outputShape, layout: .vector)
        case .dropout:
            emit("Identity", name, [x.name])
            result = Value(name: name, shape: outputShape, layout: x.layout)
        case .flatten:
            result = vector(x, for: name)
        case .globalAveragePooling:
            emit("GlobalAveragePool", name, [image(x, for: name).name])
            result = Value(name: name, shape: outputShape, layout: .image)
        case .l2Normalization:
            let axes = x.layout == .image ? [1, 2, 3] : [1]
            let squares = emit("ReduceSumSquare", name + "/sum_squares", [x.name],
                               [ONNXAttribute("axes", .ints(axes)), ONNXAttribute("keepdims", .int(1))])
            let norm = emit("Sqrt", name + "/norm", [squares])
            let floor = constant("ffem.l2_norm_floor", dims: [], .float([1e-12]))
            let floored = emit("Max", name + "/floored_norm", [norm, floor])
            emit("Div", name, [x.name, floored])
            result = Value(name: name, shape: outputShape, layout: x.layout)
        }
        values.append(result)
    }

    func convolutionAttributes(kernel: Int, stride: Int, padding: Padding, group: Int) -> [ONNXAttribute] {
        let pad = padding == .same ? (kernel - 1) / 2 : 0
        return [
            ONNXAttribute("kernel_shape", .ints([kernel, kernel])),
            ONNXAttribute("strides", .ints([stride, stride])),
            ONNXAttribute("pads", .ints([pad, pad, pad, pad])),
            ONNXAttribute("group", .int(group)),
        ]
    }

    /// The graph with the last value flattened to [N, D] and named `embedding`.
    mutating func finish() -> ONNXGraph {
        let last = values[values.count - 1]
        let flat = vector(last, for: spec.nodes[spec.nodes.count - 1].name)
        if let index = graph.nodes.indices.last, graph.nodes[index].outputs == [flat.name] {
            graph.nodes[index].outputs = [ONNXExport.outputName]
        } else {
            emit("Identity", ONNXExport.outputName, [flat.name])
        }
        graph.outputs = [ONNXValueInfo(name: ONNXExport.outputName, dims: [.parameter(ONNXExport.batchDimension), .value(flat.shape.count)])]
        return graph
    }
}
