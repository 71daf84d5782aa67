// FFEMTrainTests — ProtobufReader.swift: a minimal protocol-buffers decoder, written independently of
// the exporter's writer, so tests can read back what the writer produced.

struct ProtobufDecodingError: Error, CustomStringConvertible {
    var description: String
}

/// One decoded message: its fields in file order (wire types 0, 1, 2 and 5).
struct ProtobufMessage {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])
        case fixed32(UInt32)
    }

    var fields: [(number: Int, value: Value)] = []

    init(_ bytes: [UInt8]) throws {
        var position = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < bytes.count, shift < 64 else { throw ProtobufDecodingError(description: "truncated varint at \(position)") }
                let byte = bytes[position]
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }
        func fixed(_ count: Int) throws -> UInt64 {
            guard position + count <= bytes.count else { throw ProtobufDecodingError(description: "truncated fixed\(count * 8)") }
            var result: UInt64 = 0
            for k in 0..<count { result |= UInt64(bytes[position + k]) << UInt64(8 * k) }
            position += count
            return result
        }
        while position < bytes.count {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append((number, .varint(try varint())))
            case 1: fields.append((number, .fixed64(try fixed(8))))
            case 2:
                let length = Int(try varint())
                guard length >= 0, position + length <= bytes.count else { throw ProtobufDecodingError(description: "field \(number) overruns the message") }
                fields.append((number, .bytes(Array(bytes[position..<(position + length)]))))
                position += length
            case 5: fields.append((number, .fixed32(UInt32(try fixed(4)))))
            default: throw ProtobufDecodingError(description: "unknown wire type \(key & 7) of field \(number)")
            }
        }
    }

    func values(_ number: Int) -> [Value] { fields.filter { $0.number == number }.map(\.value) }

    func bytes(_ number: Int) -> [[UInt8]] {
        values(number).compactMap { if case .bytes(let b) = $0 { return b } else { return nil } }
    }

    func strings(_ number: Int) -> [String] { bytes(number).map { String(decoding: $0, as: UTF8.self) } }
    func string(_ number: Int) -> String? { strings(number).last }

    func messages(_ number: Int) throws -> [ProtobufMessage] { try bytes(number).map(ProtobufMessage.init) }
    func message(_ number: Int) throws -> ProtobufMessage? { try messages(number).last }

    /// A repeated integer field, packed or not (negative int64 as two's complement).
    func integers(_ number: Int) throws -> [Int64] {
        var result: [Int64] = []
        for value in values(number) {
            switch value {
            case .varint(let v): result.append(Int64(bitPattern: v))
            case .bytes(let packed):
                // A packed run is a message body of keyless varints; decode it by prefixing keys.
                var keyed: [UInt8] = []
                var start = 0
                for (k, byte) in packed.enumerated() where byte < 0x80 {
                    keyed.append(0x08)
                    keyed.append(contentsOf: packed[start...k])
                    start = k + 1
                }
                for field in try ProtobufMessage(keyed).fields {
                    if case .varint(let v) = field.value { result.append(Int64(bitPattern: v)) }
                }
            default: throw ProtobufDecodingError(description: "field \(number) is not an integer")
            }
        }
        return result
    }

    func integer(_ number: Int) throws -> Int64? { try integers(number).last }

    func float(_ number: Int) -> Float? {
        for case .fixed32(let bits) in values(number).reversed() { return Float(bitPattern: bits) }
        return nil
    }
}
