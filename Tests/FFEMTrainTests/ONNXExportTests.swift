// FFEMTrainTests — ONNXExportTests.swift: the exported ModelProto read back with an independent
// protobuf reader and checked structurally (node types and order, attributes, initializer names,
// dims and layouts). Numeric agreement with onnxruntime is scripts/onnx-check.sh.
import Foundation
import Testing
@testable import FFEMTrain

/// The parts of an ONNX model the tests look at, decoded from the file bytes (onnx.proto field numbers).
struct DecodedONNX {
    struct Node {
        var opType: String, name: String, inputs: [String], outputs: [String]
        /// Attribute values by name: `ints` (field 8), `i` (field 3) and `f` (field 2).
        var intLists: [String: [Int64]] = [:], integers: [String: Int64] = [:], floats: [String: Float] = [:]
        func ints(_ name: String) -> [Int64] { intLists[name] ?? [] }
        func int(_ name: String) -> Int64? { integers[name] }
        func float(_ name: String) -> Float? { floats[name] }
    }
    struct Tensor {
        var name: String, dims: [Int], dataType: Int64, raw: [UInt8]
        var floats: [Float] {
            stride(from: 0, to: raw.count, by: 4).map { k in
                Float(bitPattern: UInt32(raw[k]) | UInt32(raw[k + 1]) << 8 | UInt32(raw[k + 2]) << 16 | UInt32(raw[k + 3]) << 24)
            }
        }
    }
    /// A graph input or output: name and dims ("N" for a symbolic dimension, else the number).
    struct Value { var name: String, dims: [String] }

    var irVersion: Int64, opsets: [(domain: String, version: Int64)], producer: String
    var metadata: [String: String]
    var nodes: [Node], initializers: [String: Tensor], initializerOrder: [String], inputs: [Value], outputs: [Value]

    init(_ bytes: [UInt8]) throws {
        let model = try ProtobufMessage(bytes)
        irVersion = try #require(try model.integer(1))
        producer = model.string(2) ?? ""
        opsets = try model.messages(8).map { ($0.string(1) ?? "", try #require(try $0.integer(2))) }
        metadata = Dictionary(uniqueKeysWithValues: try model.messages(14).map { ($0.string(1) ?? "", $0.string(2) ?? "") })
        let graph = try #require(try model.message(7))
        nodes = try graph.messages(1).map { node in
            var decoded = Node(opType: node.string(4) ?? "", name: node.string(3) ?? "", inputs: node.strings(1), outputs: node.strings(2))
            for attribute in try node.messages(5) {
                let name = attribute.string(1) ?? ""
                switch try attribute.integer(20) {
                case 1: decoded.floats[name] = attribute.float(2)
                case 2: decoded.integers[name] = try attribute.integer(3)
                case 7: decoded.intLists[name] = try attribute.integers(8)
                default: throw ProtobufDecodingError(description: "attribute \(name) has an unexpected type")
                }
            }
            return decoded
        }
        let tensors = try graph.messages(5).map { t in
            Tensor(name: t.string(8) ?? "", dims: try t.integers(1).map { Int($0) }, dataType: try t.integer(2) ?? 0, raw: t.bytes(9).last ?? [])
        }
        initializerOrder = tensors.map(\.name)
        initializers = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func value(_ info: ProtobufMessage) throws -> Value {
            let shape = try #require(try info.message(2)?.message(1)?.message(2))
            let dims = try shape.messages(1).map { d in try d.string(2) ?? String(try #require(try d.integer(1))) }
            return Value(name: info.string(1) ?? "", dims: dims)
        }
        inputs = try graph.messages(11).map(value)
        outputs = try graph.messages(12).map(value)
    }

    func node(_ name: String) throws -> Node { try #require(nodes.first { $0.name == name }, "no node '\(name)'") }
    func tensor(_ name: String) throws -> Tensor { try #require(initializers[name], "no initializer '\(name)'") }
}

@Suite struct ONNXExportTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx/all-operations.json")

    /// The all-operations fixture (every operation and layout change) with seeded weights, and its export.
    static func allOperations() throws -> (Network, DecodedONNX) {
        let spec = try ModelSpec.fromJSON(try String(contentsOf: fixture, encoding: .utf8))
        let network = try Network(spec: spec, seed: 7, threads: 1)
        return (network, try DecodedONNX(try ONNXExport.serialized(network)))
    }

    @Test func writerEncodesTheWireFormat() {
        var writer = ProtobufWriter()
        writer.writeInteger(1, 300)          // key 0x08, varint 300 = 0xAC 0x02
        writer.writeInteger(2, -1)           // key 0x10, ten bytes of two's complement
        writer.writeFloat(3, 1)              // key 0x1D, 0x3F800000 little-endian
        writer.writeString(4, "ab")          // key 0x22, length 2
        writer.writePackedIntegers(5, [1, 150])  // key 0x2A, length 3, 0x01 0x96 0x01
        let expected: [UInt8] = [0x08, 0xAC, 0x02, 0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01, 0x1D, 0x00, 0x00, 0x80, 0x3F,
                                 0x22, 0x02, 0x61, 0x62, 0x2A, 0x03, 0x01, 0x96, 0x01]
        #expect(writer.bytes == expected)
    }

    @Test func modelHeaderNamesOpset13AndIRVersion7() throws {
        let (network, onnx) = try Self.allOperations()
        #expect(onnx.irVersion == 7)
        #expect(onnx.opsets.count == 1 && onnx.opsets[0].domain == "" && onnx.opsets[0].version == 13)
        #expect(onnx.producer == "ffem-train")
        #expect(try ModelSpec.fromJSON(try #require(onnx.metadata["ffem.architecture"])) == network.spec)
    }

    @Test func inputIsNCHWAndOutputIsOneEmbeddingPerSample() throws {
        let (_, onnx) = try Self.allOperations()
        #expect(onnx.inputs.map(\.name) == ["input"])
        #expect(onnx.inputs.first?.dims == ["N", "3", "20", "18"])
        #expect(onnx.outputs.map(\.name) == ["embedding"])
        #expect(onnx.outputs.first?.dims == ["N", "12"])
        #expect(onnx.nodes.last?.outputs == ["embedding"])
    }

    @Test func everyOperationLowersToTheDocumentedNodes() throws {
        let (_, onnx) = try Self.allOperations()
        #expect(onnx.nodes.map(\.opType) == [
            "Conv", "BatchNormalization", "PRelu", "Conv", "BatchNormalization", "Clip", "Conv", "Add", "Relu", "Conv",
            "Identity", "Transpose", "Flatten", "Gemm", "BatchNormalization", "PRelu", "Reshape", "Conv",
            "GlobalAveragePool", "Flatten", "Gemm", "Flatten", "Add", "ReduceSumSquare", "Sqrt", "Max", "Div",
        ])
    }

    @Test func graphIsTopologicallyOrderedWithUniqueNames() throws {
        let (_, onnx) = try Self.allOperations()
        var defined = Set(onnx.inputs.map(\.name)).union(onnx.initializerOrder)
        #expect(defined.count == onnx.inputs.count + onnx.initializerOrder.count, "initializer names repeat")
        for node in onnx.nodes {
            for input in node.inputs { #expect(defined.contains(input), "\(node.name) reads '\(input)' before it is defined") }
            for output in node.outputs { #expect(defined.insert(output).inserted, "'\(output)' is defined twice") }
        }
    }

    @Test func convolutionWeightsAreTransposedFromOHWIToOIHW() throws {
        let (network, onnx) = try Self.allOperations()
        for (name, cout, cin, k) in [("c1", 8, 3, 3), ("c3", 6, 8, 3), ("c2", 8, 8, 1)] {
            let ours = try #require(network.parameters.first { $0.name == name + ".weight" })
            let tensor = try onnx.tensor(name + ".weight")
            #expect(tensor.dims == [cout, cin, k, k] && tensor.dataType == 1)
            let onnxValues = tensor.floats
            for o in 0..<cout { for i in 0..<cin { for y in 0..<k { for x in 0..<k {
                #expect(onnxValues[((o * cin + i) * k + y) * k + x] == ours.value[((o * k + y) * k + x) * cin + i])
            } } } }
        }
        let c1 = try onnx.node("c1")
        #expect(c1.inputs == ["input", "c1.weight", "c1.bias"])
        #expect(c1.ints("kernel_shape") == [3, 3] && c1.ints("strides") == [2, 2] && c1.ints("pads") == [1, 1, 1, 1])
        #expect(c1.int("group") == 1)
        #expect(try onnx.node("c3").ints("pads") == [0, 0, 0, 0])
    }

    @Test func depthwiseConvolutionIsAGroupedConvWithCx1xKxKWeights() throws {
        let (network, onnx) = try Self.allOperations()
        let node = try onnx.node("d1")
        #expect(node.opType == "Conv")
        #expect(node.int("group") == 8 && node.ints("strides") == [2, 2] && node.ints("pads") == [1, 1, 1, 1])
        let tensor = try onnx.tensor("d1.weight")
        #expect(tensor.dims == [8, 1, 3, 3])
        let ours = try #require(network.parameters.first { $0.name == "d1.weight" })
        let onnxValues = tensor.floats
        for c in 0..<8 { for y in 0..<3 { for x in 0..<3 {
            #expect(onnxValues[(c * 3 + y) * 3 + x] == ours.value[(y * 3 + x) * 8 + c])
        } } }
        #expect(try onnx.tensor("d1.bias").dims == [8])
    }

    @Test func batchNormalizationUsesTheRunningStatisticsAndEpsilon() throws {
        let (_, onnx) = try Self.allOperations()
        let node = try onnx.node("b1")
        #expect(node.inputs == ["c1", "b1.gamma", "b1.beta", "b1.running_mean", "b1.running_var"])
        #expect(node.float("epsilon") == 0.001)
        #expect(try onnx.tensor("b1.running_var").floats == [Float](repeating: 1, count: 8))
        #expect(try onnx.node("b3").inputs.first == "fc1", "BN of a vector reads the Gemm output directly")
    }

    @Test func preluSlopeBroadcastsOverImagesAndVectors() throws {
        let (_, onnx) = try Self.allOperations()
        let p1 = try onnx.tensor("p1.alpha"), p2 = try onnx.tensor("p2.alpha")
        #expect(p1.dims == [8, 1, 1])
        #expect(p2.dims == [16])
        #expect(p1.floats == [Float](repeating: 0.25, count: 8))
    }

    @Test func relu6IsClipBetweenScalarZeroAndSix() throws {
        let (_, onnx) = try Self.allOperations()
        let clip = try onnx.node("r6")
        #expect(clip.opType == "Clip" && clip.inputs.count == 3)
        let zero = try onnx.tensor(clip.inputs[1]), six = try onnx.tensor(clip.inputs[2])
        #expect(zero.dims == [] && zero.floats == [0])
        #expect(six.dims == [] && six.floats == [6])
    }

    @Test func flattenTransposesToNHWCOrderBeforeGemm() throws {
        let (network, onnx) = try Self.allOperations()
        let transpose = try onnx.node("flat/to_nhwc")
        #expect(transpose.inputs == ["drop"] && transpose.ints("perm") == [0, 2, 3, 1])
        let flatten = try onnx.node("flat/flatten")
        #expect(flatten.inputs == ["flat/to_nhwc"] && flatten.int("axis") == 1)
        let gemm = try onnx.node("fc1")
        #expect(gemm.inputs == ["flat/flatten", "fc1.weight", "fc1.bias"] && gemm.int("transB") == 1)
        let ours = try #require(network.parameters.first { $0.name == "fc1.weight" })
        let weight = try onnx.tensor("fc1.weight")
        #expect(weight.dims == [16, 54])
        #expect(weight.floats == ours.value.array, "dense weights keep the NHWC input order")
        // A 1×1 image needs no transpose: global pooling → Flatten → Gemm without bias.
        #expect(try onnx.node("fc2/flatten").inputs == ["gap"])
        #expect(try onnx.node("fc2").inputs == ["fc2/flatten", "fc2.weight"])
    }

    @Test func vectorsMeetingSpatialOperationsAreReshapedAndMixedAddsFlattened() throws {
        let (_, onnx) = try Self.allOperations()
        let reshape = try onnx.node("c4/to_image")
        #expect(reshape.opType == "Reshape" && reshape.inputs[0] == "p2")
        let shape = try onnx.tensor(reshape.inputs[1])
        #expect(shape.dataType == 7 && shape.dims == [4] && shape.raw.count == 32)
        #expect(try onnx.node("a2").inputs == ["a2/a/flatten", "fc2"])
    }

    @Test func l2NormalizationDividesByTheNormFlooredAt1e12() throws {
        let (_, onnx) = try Self.allOperations()
        let squares = try onnx.node("l2/sum_squares")
        #expect(squares.ints("axes") == [1] && squares.int("keepdims") == 1)
        let floor = try onnx.node("l2/floored_norm")
        #expect(floor.opType == "Max")
        #expect(try onnx.tensor(floor.inputs[1]).floats == [1e-12])
        let divide = try onnx.node("l2")
        #expect(divide.opType == "Div" && divide.inputs == ["a2", "l2/floored_norm"])
        #expect(divide.outputs == ["embedding"], "the last node's output is the graph output")
    }

    @Test func mobileFaceNetExportsEveryParameterAndBufferOnce() throws {
        let network = try Network(spec: Architectures.mobileFaceNet(), seed: 1, threads: 1)
        let onnx = try DecodedONNX(try ONNXExport.serialized(network))
        let tensors = network.parameters + network.buffers
        for p in tensors {
            let tensor = try onnx.tensor(p.name)
            #expect(tensor.dims.reduce(1, *) == p.count && tensor.raw.count == 4 * p.count, "\(p.name)")
        }
        #expect(Set(onnx.initializerOrder).subtracting(tensors.map(\.name)).isEmpty, "only weights, no constants here")
        let convolutions = network.spec.nodes.filter {
            switch $0.operation {
            case .convolution, .depthwiseConvolution: return true
            default: return false
            }
        }
        #expect(onnx.nodes.filter { $0.opType == "Conv" }.count == convolutions.count)
        let gdc = try onnx.node("gdc.dw")
        #expect(gdc.ints("kernel_shape") == [7, 7] && gdc.int("group") == 512 && gdc.ints("pads") == [0, 0, 0, 0])
        #expect(onnx.outputs.first?.dims == ["N", "128"])
        #expect(onnx.nodes.suffix(2).map(\.opType) == ["BatchNormalization", "Flatten"])
    }
}
