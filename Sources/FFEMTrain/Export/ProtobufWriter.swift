// FFEMTrain — ProtobufWriter.swift: the protocol-buffers wire format, write side only (enough for ONNX).
//
// A message is a sequence of fields; each field is a key varint (field number << 3 | wire type)
// followed by its payload:
//   wire type 0 (varint)            int32, int64, enums, bools: base-128, least significant group first;
//                                   negative values are sign-extended to 64 bits (10 bytes)
//   wire type 2 (length-delimited)  strings, bytes, nested messages, packed repeated scalars:
//                                   a varint byte count, then the bytes
//   wire type 5 (32-bit)            float: IEEE-754 binary32, little-endian
// Fields are written in the order the caller writes them; readers accept any order.

/// Appends protocol-buffers fields to a byte array.
public struct ProtobufWriter {
    /// The encoded message so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    enum WireType: UInt64 {
        case varint = 0
        case lengthDelimited = 2
        case fixed32 = 5
    }

    mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func appendKey(_ field: Int, _ wireType: WireType) {
        precondition(field > 0, "protobuf field numbers start at 1")
        appendVarint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// An int32/int64/enum field (varint; negative values take 10 bytes, as protobuf requires).
    public mutating func writeInteger(_ field: Int, _ value: Int64) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A float field (32-bit little-endian).
    public mutating func writeFloat(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    /// A string field (UTF-8 bytes).
    public mutating func writeString(_ field: Int, _ value: String) {
        writeBytes(field, Array(value.utf8))
    }

    /// A bytes field.
    public mutating func writeBytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A nested message field.
    public mutating func writeMessage(_ field: Int, _ message: ProtobufWriter) {
        writeBytes(field, message.bytes)
    }

    /// A nested message field built by `body`.
    public mutating func writeMessage(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var message = ProtobufWriter()
        body(&message)
        writeMessage(field, message)
    }

    /// A repeated int64 field in packed form (one length-delimited field holding the varints).
    public mutating func writePackedIntegers(_ field: Int, _ values: [Int64]) {
        var payload = ProtobufWriter()
        for value in values { payload.appendVarint(UInt64(bitPattern: value)) }
        writeBytes(field, payload.bytes)
    }

    /// A bytes field holding `values` as consecutive little-endian binary32 (ONNX `raw_data`).
    public mutating func writeFloatsAsBytes(_ field: Int, _ values: [Float]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(values.count * 4))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { appendLittleEndian(value.bitPattern) }
    }

    /// A bytes field holding `values` as consecutive little-endian 64-bit integers (ONNX `raw_data`).
    public mutating func writeIntegersAsBytes(_ field: Int, _ values: [Int64]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(values.count * 8))
        for value in values {
            let bits = UInt64(bitPattern: value)
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        }
    }

    mutating func appendLittleEndian(_ bits: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: bits))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
    }
}
