// FFEMRuntime — ByteCursor.swift: little-endian fields of a byte array, bounds-checked (reader) and appended (writer).

/// Reads little-endian fields of `bytes` at absolute offsets. Every read is bounds-checked first,
/// so a damaged model can only produce an `FFQError`, never an out-of-bounds access.
struct ByteReader {
    let bytes: [UInt8]

    /// Throws `outOfBounds` unless offset..<offset+count lies inside the bytes.
    func require(_ what: String, offset: Int, count: Int) throws(FFQError) {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw .outOfBounds(what: what, offset: offset, byteCount: count, fileBytes: bytes.count)
        }
    }

    /// The caller has checked the range with `require`.
    func u16(at offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }

    func u32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    func i32(at offset: Int) -> Int32 { Int32(bitPattern: u32(at: offset)) }

    /// A u32 field as Int; Int.max when it does not fit (32-bit hosts), which every range check refuses.
    func int(at offset: Int) -> Int { Int(exactly: u32(at: offset)) ?? Int.max }
    func f32(at offset: Int) -> Float { Float(bitPattern: u32(at: offset)) }
}

/// Appends little-endian fields to a growing byte array (the writer).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for byte in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * byte))) }
    }

    mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    mutating func f32(_ value: Float) { u32(value.bitPattern) }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Overwrites a u32 at `offset` (fields filled in after their sections are laid out).
    mutating func patch(_ value: UInt32, at offset: Int) {
        for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> UInt32(8 * byte)) }
    }
}
