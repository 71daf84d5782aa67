// FFEMRuntime — FFQReader.swift: `.ffq` bytes to a validated QuantizedModel (layout in FFQFormat.swift).
import FFEMCore

/// Reads `.ffq` models. Order of checks: magic, version (by number), header size, recorded file
/// size against the bytes (truncation), CRC-32, header fields, section and buffer bounds and
/// alignment, op records, then `ModelValidator` (shapes, references, argument ranges). Every field
/// is bounds-checked before it is read: damage gives an `FFQError`, never a crash.
public enum FFQReader {
    /// The model in `bytes`, validated.
    public static func read(_ bytes: [UInt8]) throws(FFQError) -> QuantizedModel {
        let reader = ByteReader(bytes: bytes)
        try reader.require("header", offset: 0, count: FFQFormat.checksummedFrom)
        guard Array(bytes[0..<FFQFormat.magic.count]) == FFQFormat.magic else { throw .badMagic }
        let version = Int(reader.u16(at: FFQFormat.Field.version))
        guard version == FFQFormat.version else {
            throw .unsupportedVersion(found: version, supported: FFQFormat.version)
        }
        let headerBytes = Int(reader.u16(at: FFQFormat.Field.headerBytes))
        guard headerBytes == FFQFormat.headerBytes else {
            throw .invalidHeader(field: "headerBytes", reason: "\(headerBytes), version 1 has \(FFQFormat.headerBytes)")
        }
        let fileBytes = reader.int(at: FFQFormat.Field.fileBytes)
        guard fileBytes >= FFQFormat.headerBytes else {
            throw .invalidHeader(field: "fileBytes", reason: "\(fileBytes) is smaller than the header")
        }
        guard bytes.count >= fileBytes else { throw .truncated(expectedBytes: fileBytes, actualBytes: bytes.count) }
        guard bytes.count == fileBytes else { throw .trailingBytes(expectedBytes: fileBytes, actualBytes: bytes.count) }
        let stored = reader.u32(at: FFQFormat.Field.checksum)
        let computed = bytes.withUnsafeBufferPointer { all in
            CRC32.update(0, UnsafeBufferPointer(rebasing: all[FFQFormat.checksummedFrom...]))
        }
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        return try decode(reader)
    }

    /// Reads and validates the model at `path` (one read of the whole file).
    public static func read(contentsOf path: String) throws(FFQError) -> QuantizedModel {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw .invalidModel(reason: "cannot read \(path): \(error.description)") }
        return try read(bytes)
    }

    /// Everything after the checksum: header fields, sections, records, then semantic validation.
    private static func decode(_ r: ByteReader) throws(FFQError) -> QuantizedModel {
        typealias F = FFQFormat.Field
        guard let rounding = RoundingMode(rawValue: r.u32(at: F.roundingMode)) else {
            throw .unsupportedRoundingMode(r.u32(at: F.roundingMode))
        }
        let height = r.int(at: F.inputHeight), width = r.int(at: F.inputWidth)
        guard height == width else { throw .invalidHeader(field: "inputWidth", reason: "\(height)x\(width) is not square") }
        guard r.u32(at: F.inputChannels) == 3 else { throw .invalidHeader(field: "inputChannels", reason: "must be 3 (RGB)") }
        let flags = r.u32(at: F.cropFlags)
        guard flags & ~1 == 0 else { throw .invalidHeader(field: "cropFlags", reason: "unknown flag bits \(flags & ~1)") }
        guard r.u32(at: F.inputScale) == ActivationQuantization.networkInput.scale.bitPattern,
              r.i32(at: F.inputZeroPoint) == 0 else {
            throw .invalidHeader(field: "inputScale", reason: "the normalisation must be scale 1/128, zero point 0")
        }
        for offset in stride(from: F.reserved, to: FFQFormat.headerBytes, by: 4) where r.u32(at: offset) != 0 {
            throw .invalidHeader(field: "reserved", reason: "byte \(offset) is not zero")
        }

        let thresholds = try section(r, "thresholds", at: F.thresholds, recordBytes: FFQFormat.thresholdRecordBytes,
                                     limit: ModelLimits.maximumThresholds)
        let tensors = try section(r, "tensors", at: F.tensors, recordBytes: FFQFormat.tensorRecordBytes,
                                  limit: ModelLimits.maximumOperations + 1)
        let operations = try section(r, "ops", at: F.operations, recordBytes: FFQFormat.operationRecordBytes,
                                     limit: ModelLimits.maximumOperations)
        let buffers = try section(r, "buffers", at: F.buffers, recordBytes: FFQFormat.bufferRecordBytes,
                                  limit: ModelLimits.maximumOperations * FFQFormat.operationBuffers)

        var metadata = ModelMetadata(inputSize: height,
                                     cropPolicy: CropPolicy(scaleQ16: r.i32(at: F.cropScale), makesSquare: flags & 1 != 0),
                                     roundingMode: rounding)
        for i in 0..<thresholds.count {
            let at = thresholds.offset + i * FFQFormat.thresholdRecordBytes
            metadata.thresholds.append(CosineThreshold(falseAcceptRate: r.f32(at: at), cosine: r.f32(at: at + 4)))
        }
        var tensorTable: [ActivationTensor] = []
        for i in 0..<tensors.count {
            let at = tensors.offset + i * FFQFormat.tensorRecordBytes
            guard r.u32(at: at + 20) == 0 else { throw .invalidTensor(index: i, reason: "reserved field is not zero") }
            let shape = TensorShape(height: r.int(at: at), width: r.int(at: at + 4), channels: r.int(at: at + 8))
            let tensor = ActivationTensor(shape: shape, quantization: ActivationQuantization(scale: r.f32(at: at + 12),
                                                                                             zeroPoint: r.i32(at: at + 16)))
            try ModelValidator.validate(tensor: tensor, index: i)
            tensorTable.append(tensor)
        }
        let payloads = BufferTable(reader: r, section: buffers)
        var operationList: [QuantizedOperation] = []
        for i in 0..<operations.count {
            operationList.append(try decodeOperation(r, at: operations.offset + i * FFQFormat.operationRecordBytes,
                                                     index: i, payloads: payloads))
        }
        let model = QuantizedModel(metadata: metadata, tensors: tensorTable, operations: operationList)
        try ModelValidator.validate(model)
        guard r.int(at: F.embeddingSize) == model.embeddingSize else {
            throw .invalidHeader(field: "embeddingSize", reason: "\(r.u32(at: F.embeddingSize)), the last tensor has \(model.embeddingSize)")
        }
        guard r.u32(at: F.outputScale) == model.outputQuantization.scale.bitPattern,
              r.i32(at: F.outputZeroPoint) == model.outputQuantization.zeroPoint else {
            throw .invalidHeader(field: "outputScale", reason: "the output quantization differs from the last tensor's")
        }
        return model
    }

    /// A (count, offset) section of fixed-size records, checked to lie inside the file, aligned.
    private static func section(_ r: ByteReader, _ what: String, at field: Int, recordBytes: Int,
                                limit: Int) throws(FFQError) -> (count: Int, offset: Int) {
        let count = r.int(at: field), offset = r.int(at: field + 4)
        guard count <= limit else { throw .invalidHeader(field: what, reason: "\(count) records, at most \(limit)") }
        guard offset % FFQFormat.sectionAlignment == 0 else {
            throw .misaligned(what: what, offset: offset, alignment: FFQFormat.sectionAlignment)
        }
        guard offset >= FFQFormat.headerBytes else {
            throw .outOfBounds(what: what, offset: offset, byteCount: count * recordBytes, fileBytes: r.bytes.count)
        }
        try r.require(what, offset: offset, count: count * recordBytes)
        return (count, offset)
    }

    private static func decodeOperation(_ r: ByteReader, at: Int, index: Int,
                                        payloads: BufferTable) throws(FFQError) -> QuantizedOperation {
        let rawCode = r.u32(at: at)
        guard let code = OperationCode(rawValue: rawCode) else { throw .unknownOperation(index: index, code: rawCode) }
        let a = tensorIndex(r.u32(at: at + 4)), rawB = r.u32(at: at + 8)
        guard r.u32(at: at + 12) == 0 else {
            throw .argumentOutOfRange(operation: index, argument: "reserved", value: r.int(at: at + 12), range: "0...0")
        }
        let usage = code.usage
        guard (rawB != FFQFormat.none) == (code == .add) else {
            throw .invalidReference(operation: index, tensor: tensorIndex(rawB),
                                    reason: code == .add ? "add needs a second input" : "only add has a second input")
        }
        var arguments: [Int32] = []
        for i in 0..<FFQFormat.operationArguments {
            let value = r.i32(at: at + 16 + 4 * i)
            guard i < usage.arguments || value == 0 else {
                throw .argumentOutOfRange(operation: index, argument: "unused argument \(i)", value: Int(value), range: "0...0")
            }
            arguments.append(value)
        }
        var buffers: [Int] = []
        for i in 0..<FFQFormat.operationBuffers {
            let value = r.u32(at: at + 64 + 4 * i)
            if i < usage.buffers.count {
                buffers.append(Int(value))
            } else if value != FFQFormat.none {
                throw .invalidBuffer(index: Int(value), reason: "op \(index) names a buffer in an unused slot \(i)")
            }
        }
        func int8(_ slot: Int) throws(FFQError) -> [Int8] { try payloads.int8(buffers[slot], operation: index) }
        func int32(_ slot: Int) throws(FFQError) -> [Int32] { try payloads.int32(buffers[slot], operation: index) }
        switch code {
        case .convolution3x3, .depthwiseConvolution3x3, .pointwiseConvolution, .fullyConnected,
             .globalDepthwiseConvolution:
            let layer = WeightedLayer(input: a, stride: Int(arguments[0]), padding: Int(arguments[1]),
                                      weights: try int8(0), bias: try int32(1),
                                      requantization: ChannelRequantization(multipliers: try int32(2), shifts: try int32(3),
                                                                            outputMin: arguments[2], outputMax: arguments[3]))
            switch code {
            case .convolution3x3: return .convolution3x3(layer)
            case .depthwiseConvolution3x3: return .depthwiseConvolution3x3(layer)
            case .pointwiseConvolution: return .pointwiseConvolution(layer)
            case .fullyConnected: return .fullyConnected(layer)
            default: return .globalDepthwiseConvolution(layer)
            }
        case .prelu:
            return .prelu(PReLULayer(input: a, alpha: try int8(0), alphaZeroPoint: arguments[0],
                                     positiveMultiplier: arguments[1], positiveShift: arguments[2],
                                     negativeMultipliers: try int32(1), negativeShifts: try int32(2),
                                     outputMin: arguments[3], outputMax: arguments[4]))
        case .add:
            return .add(AddLayer(a: a, b: tensorIndex(rawB), aMultiplier: arguments[0], aShift: arguments[1],
                                 bMultiplier: arguments[2], bShift: arguments[3], leftShift: arguments[4],
                                 outputMultiplier: arguments[5], outputShift: arguments[6],
                                 outputMin: arguments[7], outputMax: arguments[8]))
        case .globalAveragePooling:
            return .globalAveragePooling(GlobalAveragePoolingLayer(input: a, multiplier: arguments[0], shift: arguments[1],
                                                                   outputMin: arguments[2], outputMax: arguments[3]))
        case .clamp:
            return .clamp(ClampLayer(input: a, outputMin: arguments[0], outputMax: arguments[1]))
        }
    }

    /// A tensor index from a u32 field; values beyond Int32 map to −1 (no such tensor, also on 32-bit hosts).
    private static func tensorIndex(_ raw: UInt32) -> Int { raw > UInt32(Int32.max) ? -1 : Int(raw) }
}

extension OperationCode {
    /// How many arguments and which buffer element types an op record of this code uses.
    var usage: (arguments: Int, buffers: [BufferElement]) {
        switch self {
        case .convolution3x3, .depthwiseConvolution3x3, .pointwiseConvolution, .fullyConnected,
             .globalDepthwiseConvolution:
            return (4, [.int8, .int32, .int32, .int32])
        case .prelu: return (5, [.int8, .int32, .int32])
        case .add: return (9, [])
        case .globalAveragePooling: return (4, [])
        case .clamp: return (2, [])
        }
    }
}

/// The buffer records of a model: each payload checked (type, bounds, 64-byte alignment) when read.
struct BufferTable {
    let reader: ByteReader
    let section: (count: Int, offset: Int)

    func int8(_ index: Int, operation: Int) throws(FFQError) -> [Int8] {
        let (count, offset) = try payload(index, element: .int8, operation: operation)
        var values: [Int8] = []
        values.reserveCapacity(count)
        for i in 0..<count { values.append(Int8(bitPattern: reader.bytes[offset + i])) }
        return values
    }

    func int32(_ index: Int, operation: Int) throws(FFQError) -> [Int32] {
        let (count, offset) = try payload(index, element: .int32, operation: operation)
        var values: [Int32] = []
        values.reserveCapacity(count)
        for i in 0..<count { values.append(reader.i32(at: offset + 4 * i)) }
        return values
    }

    private func payload(_ index: Int, element: BufferElement,
                         operation: Int) throws(FFQError) -> (count: Int, offset: Int) {
        guard index >= 0, index < section.count else {
            throw .invalidBuffer(index: index, reason: "op \(operation) names it, the model has \(section.count) buffers")
        }
        let at = section.offset + index * FFQFormat.bufferRecordBytes
        guard reader.u32(at: at) == element.rawValue else {
            throw .invalidBuffer(index: index, reason: "element size \(reader.u32(at: at)), op \(operation) needs \(element.rawValue)")
        }
        guard reader.u32(at: at + 12) == 0 else { throw .invalidBuffer(index: index, reason: "reserved field is not zero") }
        let count = reader.int(at: at + 4), offset = reader.int(at: at + 8)
        guard count <= ModelLimits.maximumTensorElements else {
            throw .invalidBuffer(index: index, reason: "\(count) elements, at most \(ModelLimits.maximumTensorElements)")
        }
        guard offset % FFQFormat.payloadAlignment == 0 else {
            throw .misaligned(what: "buffer \(index)", offset: offset, alignment: FFQFormat.payloadAlignment)
        }
        guard offset >= FFQFormat.headerBytes else {
            throw .outOfBounds(what: "buffer \(index)", offset: offset, byteCount: count, fileBytes: reader.bytes.count)
        }
        try reader.require("buffer \(index)", offset: offset, count: count * Int(element.rawValue))
        return (count, offset)
    }
}
