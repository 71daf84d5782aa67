// FFEMTrain — ONNXModel.swift: the part of the ONNX protobuf schema (onnx.proto) that the exporter
// writes, as value types, and their encoding. Field numbers are onnx.proto's:
//
//   ModelProto        ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7,
//                     opset_import 8, metadata_props 14
//   OperatorSetIdProto domain 1, version 2
//   StringStringEntryProto key 1, value 2
//   GraphProto        node 1, name 2, initializer 5, doc_string 10, input 11, output 12
//   NodeProto         input 1, output 2, name 3, op_type 4, attribute 5
//   AttributeProto    name 1, f 2, i 3, ints 8, type 20 (FLOAT 1, INT 2, INTS 7)
//   TensorProto       dims 1, data_type 2 (FLOAT 1, INT64 7), name 8, raw_data 9 (little-endian)
//   ValueInfoProto    name 1, type 2;  TypeProto tensor_type 1;  TypeProto.Tensor elem_type 1, shape 2
//   TensorShapeProto  dim 1;  Dimension dim_value 1, dim_param 2

/// A constant tensor of the graph (an ONNX initializer), stored as `raw_data`.
public struct ONNXTensor: Equatable, Sendable {
    public enum Values: Equatable, Sendable {
        case float([Float])
        case int64([Int64])
    }
    public var name: String
    /// Row-major dimensions; [] is a scalar.
    public var dims: [Int]
    public var values: Values

    public init(name: String, dims: [Int], values: Values) {
        let count = dims.reduce(1, *)
        switch values {
        case .float(let v): precondition(v.count == count, "\(name): \(v.count) values for dims \(dims)")
        case .int64(let v): precondition(v.count == count, "\(name): \(v.count) values for dims \(dims)")
        }
        self.name = name
        self.dims = dims
        self.values = values
    }

    func encode(into message: inout ProtobufWriter) {
        message.writePackedIntegers(1, dims.map(Int64.init))
        switch values {
        case .float(let v):
            message.writeInteger(2, 1)
            message.writeString(8, name)
            message.writeFloatsAsBytes(9, v)
        case .int64(let v):
            message.writeInteger(2, 7)
            message.writeString(8, name)
            message.writeIntegersAsBytes(9, v)
        }
    }
}

/// A node attribute: one float, one integer or a list of integers.
public struct ONNXAttribute: Equatable, Sendable {
    public enum Value: Equatable, Sendable {
        case float(Float)
        case int(Int)
        case ints([Int])
    }
    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    func encode(into message: inout ProtobufWriter) {
        message.writeString(1, name)
        switch value {
        case .float(let f):
            message.writeFloat(2, f)
            message.writeInteger(20, 1)
        case .int(let i):
            message.writeInteger(3, Int64(i))
            message.writeInteger(20, 2)
        case .ints(let list):
            message.writePackedIntegers(8, list.map(Int64.init))
            message.writeInteger(20, 7)
        }
    }
}

/// One operator application: `outputs = opType(inputs; attributes)` (default ONNX domain).
public struct ONNXNode: Equatable, Sendable {
    public var opType: String
    public var name: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [ONNXAttribute]

    public init(opType: String, name: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = []) {
        self.opType = opType
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    func encode(into message: inout ProtobufWriter) {
        for input in inputs { message.writeString(1, input) }
        for output in outputs { message.writeString(2, output) }
        message.writeString(3, name)
        message.writeString(4, opType)
        for attribute in attributes { message.writeMessage(5) { attribute.encode(into: &$0) } }
    }
}

/// A float32 graph input or output with its shape; a dimension is a number or a symbolic name ("N").
public struct ONNXValueInfo: Equatable, Sendable {
    public enum Dimension: Equatable, Sendable {
        case value(Int)
        case parameter(String)
    }
    public var name: String
    public var dims: [Dimension]

    public init(name: String, dims: [Dimension]) {
        self.name = name
        self.dims = dims
    }

    func encode(into message: inout ProtobufWriter) {
        message.writeString(1, name)
        message.writeMessage(2) { type in
            type.writeMessage(1) { tensor in
                tensor.writeInteger(1, 1)
                tensor.writeMessage(2) { shape in
                    for dim in dims {
                        shape.writeMessage(1) { dimension in
                            switch dim {
                            case .value(let v): dimension.writeInteger(1, Int64(v))
                            case .parameter(let p): dimension.writeString(2, p)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A graph: nodes in topological order, constant tensors, inputs and outputs.
public struct ONNXGraph: Equatable, Sendable {
    public var name: String
    public var documentation: String
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []

    public init(name: String, documentation: String = "") {
        self.name = name
        self.documentation = documentation
    }

    func encode(into message: inout ProtobufWriter) {
        for node in nodes { message.writeMessage(1) { node.encode(into: &$0) } }
        message.writeString(2, name)
        for tensor in initializers { message.writeMessage(5) { tensor.encode(into: &$0) } }
        if !documentation.isEmpty { message.writeString(10, documentation) }
        for input in inputs { message.writeMessage(11) { input.encode(into: &$0) } }
        for output in outputs { message.writeMessage(12) { output.encode(into: &$0) } }
    }
}

/// A whole ONNX model (ModelProto) using the default operator set at `opsetVersion`.
public struct ONNXModel: Equatable, Sendable {
    /// ONNX IR version 7 is the one released with opset 13.
    public var irVersion = 7
    public var opsetVersion = 13
    public var producerName = "ffem-train"
    public var producerVersion = ""
    public var documentation = ""
    /// Key/value pairs stored as ModelProto.metadata_props, in order.
    public var metadata: [(key: String, value: String)] = []
    public var graph: ONNXGraph

    public init(graph: ONNXGraph) {
        self.graph = graph
    }

    public static func == (a: ONNXModel, b: ONNXModel) -> Bool {
        a.irVersion == b.irVersion && a.opsetVersion == b.opsetVersion && a.producerName == b.producerName
            && a.producerVersion == b.producerVersion && a.documentation == b.documentation && a.graph == b.graph
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
    }

    /// The ModelProto bytes (what a `.onnx` file holds).
    public func serialized() -> [UInt8] {
        var message = ProtobufWriter()
        message.writeInteger(1, Int64(irVersion))
        message.writeString(2, producerName)
        if !producerVersion.isEmpty { message.writeString(3, producerVersion) }
        if !documentation.isEmpty { message.writeString(6, documentation) }
        message.writeMessage(7) { graph.encode(into: &$0) }
        message.writeMessage(8) { opset in
            opset.writeString(1, "")
            opset.writeInteger(2, Int64(opsetVersion))
        }
        for entry in metadata {
            message.writeMessage(14) { pair in
                pair.writeString(1, entry.key)
                pair.writeString(2, entry.value)
            }
        }
        return message.bytes
    }
}
