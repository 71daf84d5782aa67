// FFEMRuntime — FFQWriter.swift: a QuantizedModel to `.ffq` bytes (layout in FFQFormat.swift).
import FFEMCore

/// Serialises models to the `.ffq` format.
///
/// The output is a pure function of the model: the same model always gives the same bytes (a
/// quantizer's golden test can compare files byte for byte). Writing the bytes to disk, atomically,
/// is the caller's step (`FileIO.writeAtomically(bytes, to: path)`).
public enum FFQWriter {
    /// The `.ffq` bytes of `model`, after `ModelValidator.validate(model)` (a model the runtime
    /// would refuse is never written).
    public static func serialize(_ model: QuantizedModel) throws(FFQError) -> [UInt8] {
        try ModelValidator.validate(model)
        var records: [OperationRecord] = []
        var buffers: [BufferPayload] = []
        for operation in model.operations { records.append(OperationRecord(operation, buffers: &buffers)) }

        let thresholdsOffset = FFQFormat.headerBytes
        let tensorsOffset = thresholdsOffset + model.metadata.thresholds.count * FFQFormat.thresholdRecordBytes
        let operationsOffset = tensorsOffset + model.tensors.count * FFQFormat.tensorRecordBytes
        let buffersOffset = operationsOffset + records.count * FFQFormat.operationRecordBytes
        var payloadOffsets: [Int] = []
        var end = buffersOffset + buffers.count * FFQFormat.bufferRecordBytes
        for buffer in buffers {
            end = roundUp(end, FFQFormat.payloadAlignment)
            payloadOffsets.append(end)
            end += buffer.byteCount
        }
        guard end <= Int(UInt32.max) else { throw .invalidModel(reason: "\(end) bytes do not fit the 32-bit file size") }

        var out = ByteWriter()
        out.bytes.reserveCapacity(end)
        out.bytes.append(contentsOf: FFQFormat.magic)
        out.u16(UInt16(FFQFormat.version))
        out.u16(UInt16(FFQFormat.headerBytes))
        out.u32(UInt32(end))
        out.u32(0)  // CRC-32, patched last
        let metadata = model.metadata
        out.u32(metadata.roundingMode.rawValue)
        out.u32(UInt32(metadata.inputSize))
        out.u32(UInt32(metadata.inputSize))
        out.u32(3)
        out.i32(metadata.cropPolicy.scaleQ16)
        out.u32(metadata.cropPolicy.makesSquare ? 1 : 0)
        out.f32(ActivationQuantization.networkInput.scale)
        out.i32(ActivationQuantization.networkInput.zeroPoint)
        out.u32(UInt32(model.embeddingSize))
        out.f32(model.outputQuantization.scale)
        out.i32(model.outputQuantization.zeroPoint)
        for (count, offset) in [(metadata.thresholds.count, thresholdsOffset), (model.tensors.count, tensorsOffset),
                                (records.count, operationsOffset), (buffers.count, buffersOffset)] {
            out.u32(UInt32(count))
            out.u32(UInt32(offset))
        }
        out.pad(to: FFQFormat.headerBytes)

        for threshold in metadata.thresholds {
            out.f32(threshold.falseAcceptRate)
            out.f32(threshold.cosine)
        }
        for tensor in model.tensors {
            out.u32(UInt32(tensor.shape.height))
            out.u32(UInt32(tensor.shape.width))
            out.u32(UInt32(tensor.shape.channels))
            out.f32(tensor.quantization.scale)
            out.i32(tensor.quantization.zeroPoint)
            out.u32(0)
        }
        for record in records { record.write(to: &out) }
        for (buffer, offset) in zip(buffers, payloadOffsets) {
            out.u32(buffer.element.rawValue)
            out.u32(UInt32(buffer.count))
            out.u32(UInt32(offset))
            out.u32(0)
        }
        for buffer in buffers {
            out.pad(to: FFQFormat.payloadAlignment)
            buffer.write(to: &out)
        }
        let crc = out.bytes.withUnsafeBufferPointer { all in
            CRC32.update(0, UnsafeBufferPointer(rebasing: all[FFQFormat.checksummedFrom...]))
        }
        out.patch(crc, at: FFQFormat.Field.checksum)
        return out.bytes
    }
}

func roundUp(_ value: Int, _ multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }

/// One tensor payload waiting to be written.
enum BufferPayload {
    case int8([Int8])
    case int32([Int32])

    var element: BufferElement {
        switch self {
        case .int8: return .int8
        case .int32: return .int32
        }
    }

    var count: Int {
        switch self {
        case .int8(let values): return values.count
        case .int32(let values): return values.count
        }
    }

    var byteCount: Int { count * Int(element.rawValue) }

    func write(to out: inout ByteWriter) {
        switch self {
        case .int8(let values): for v in values { out.bytes.append(UInt8(bitPattern: v)) }
        case .int32(let values): for v in values { out.i32(v) }
        }
    }
}

/// The fixed-size record of one op (FFQFormat.swift lists the arguments per op code).
struct OperationRecord {
    var code: OperationCode
    var a: UInt32
    var b: UInt32 = FFQFormat.none
    var arguments: [Int32] = []
    var buffers: [UInt32] = []

    init(_ operation: QuantizedOperation, buffers payloads: inout [BufferPayload]) {
        func add(_ payload: BufferPayload) -> UInt32 {
            payloads.append(payload)
            return UInt32(payloads.count - 1)
        }
        func weighted(_ code: OperationCode, _ l: WeightedLayer) -> OperationRecord {
            var record = OperationRecord(code: code, a: UInt32(l.input))
            record.arguments = [Int32(l.stride), Int32(l.padding), l.requantization.outputMin, l.requantization.outputMax]
            record.buffers = [add(.int8(l.weights)), add(.int32(l.bias)), add(.int32(l.requantization.multipliers)),
                              add(.int32(l.requantization.shifts))]
            return record
        }
        switch operation {
        case .convolution3x3(let l): self = weighted(.convolution3x3, l)
        case .depthwiseConvolution3x3(let l): self = weighted(.depthwiseConvolution3x3, l)
        case .pointwiseConvolution(let l): self = weighted(.pointwiseConvolution, l)
        case .fullyConnected(let l): self = weighted(.fullyConnected, l)
        case .globalDepthwiseConvolution(let l): self = weighted(.globalDepthwiseConvolution, l)
        case .prelu(let l):
            self = OperationRecord(code: .prelu, a: UInt32(l.input))
            arguments = [l.alphaZeroPoint, l.positiveMultiplier, l.positiveShift, l.outputMin, l.outputMax]
            buffers = [add(.int8(l.alpha)), add(.int32(l.negativeMultipliers)), add(.int32(l.negativeShifts))]
        case .add(let l):
            self = OperationRecord(code: .add, a: UInt32(l.a), b: UInt32(l.b))
            arguments = [l.aMultiplier, l.aShift, l.bMultiplier, l.bShift, l.leftShift, l.outputMultiplier,
                         l.outputShift, l.outputMin, l.outputMax]
        case .globalAveragePooling(let l):
            self = OperationRecord(code: .globalAveragePooling, a: UInt32(l.input))
            arguments = [l.multiplier, l.shift, l.outputMin, l.outputMax]
        case .clamp(let l):
            self = OperationRecord(code: .clamp, a: UInt32(l.input))
            arguments = [l.outputMin, l.outputMax]
        }
    }

    private init(code: OperationCode, a: UInt32, b: UInt32 = FFQFormat.none) {
        self.code = code
        self.a = a
        self.b = b
    }

    func write(to out: inout ByteWriter) {
        out.u32(code.rawValue)
        out.u32(a)
        out.u32(b)
        out.u32(0)
        for i in 0..<FFQFormat.operationArguments { out.i32(i < arguments.count ? arguments[i] : 0) }
        for i in 0..<FFQFormat.operationBuffers { out.u32(i < buffers.count ? buffers[i] : FFQFormat.none) }
    }
}
