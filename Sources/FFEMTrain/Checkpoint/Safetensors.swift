// FFEMTrain — Safetensors.swift: the safetensors file format (what the Python ecosystem reads).
//
//   u64 little-endian N | N bytes of JSON header | tensor data
//   header: {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …,
//            "__metadata__": {"key": "string value", …}}
// Offsets are relative to the start of the data; tensors are stored back to back, little-endian.
import FFEMCore
import Foundation

public struct SafetensorsError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct Safetensors {
    public var tensors: [(name: String, shape: [Int], values: [Float])] = []
    public var metadata: [String: String] = [:]

    public init() {}

    public mutating func add(_ name: String, shape: [Int], values: [Float]) {
        tensors.append((name, shape, values))
    }

    public func tensor(_ name: String) -> (shape: [Int], values: [Float])? {
        for t in tensors where t.name == name { return (t.shape, t.values) }
        return nil
    }

    /// The file bytes. The header is padded with spaces to a multiple of 8 bytes (as the reference writer does).
    public func encoded() -> [UInt8] {
        var header: [String] = []
        var offset = 0
        for t in tensors {
            let end = offset + t.values.count * 4
            header.append("\(JSONText.quoted(t.name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        let metadataText = metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0]!))" }.joined(separator: ",")
        header.insert("\"__metadata__\":{\(metadataText)}", at: 0)
        var headerBytes = Array(("{" + header.joined(separator: ",") + "}").utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out += $0 }
        out += headerBytes
        for t in tensors {
            t.values.withUnsafeBytes { out += $0 }  // x86-64 and aarch64 are little-endian
        }
        return out
    }

    /// Parses and validates a file's bytes: header length, JSON, dtypes, shapes against offsets, bounds.
    public static func decode(_ bytes: [UInt8], name: String) throws(SafetensorsError) -> Safetensors {
        func fail(_ reason: String) -> SafetensorsError { SafetensorsError("\(name): \(reason)") }
        guard bytes.count >= 8 else { throw fail("not a safetensors file (shorter than 8 bytes)") }
        var length: UInt64 = 0
        for k in 0..<8 { length |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard length <= UInt64(bytes.count - 8), length <= 100_000_000 else { throw fail("header length \(length) exceeds the file (truncated?)") }
        let headerEnd = 8 + Int(length)
        let header: JSONValue
        do {
            header = try parseJSON(Array(bytes[8..<headerEnd]))
        } catch {
            throw fail("damaged header: \(error)")
        }
        guard let members = header.objectMembers else { throw fail("damaged header: not a JSON object") }
        var result = Safetensors()
        let dataSize = bytes.count - headerEnd
        for member in members {
            if member.key == "__metadata__" {
                for entry in member.value.objectMembers ?? [] { result.metadata[entry.key] = entry.value.stringValue ?? "" }
                continue
            }
            guard member.value["dtype"]?.stringValue == "F32" else { throw fail("tensor \(member.key): only F32 is supported") }
            guard let shape = member.value["shape"]?.arrayValue?.compactMap({ $0.intValue }),
                  let offsets = member.value["data_offsets"]?.arrayValue?.compactMap({ $0.intValue }), offsets.count == 2 else {
                throw fail("tensor \(member.key): missing shape or data_offsets")
            }
            let count = shape.reduce(1, *)
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] <= dataSize, offsets[1] - offsets[0] == count * 4 else {
                throw fail("tensor \(member.key): offsets \(offsets) do not match shape \(shape) within \(dataSize) data bytes")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { raw in
                bytes.withUnsafeBytes { source in
                    raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(headerEnd + offsets[0])..<(headerEnd + offsets[1])]))
                }
            }
            result.tensors.append((member.key, shape, values))
        }
        return result
    }
}
