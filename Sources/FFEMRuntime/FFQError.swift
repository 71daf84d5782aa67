// FFEMRuntime — FFQError.swift: why a `.ffq` model (file or value) was refused.

/// Every way a model can be refused by the reader, the validator or the writer. Each case names
/// what is wrong; `description` is the sentence to show a user.
public enum FFQError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first 8 bytes are not the `.ffq` magic (not a model, or damaged in transfer).
    case badMagic
    /// A format version this runtime does not know (newer, or 0).
    case unsupportedVersion(found: Int, supported: Int)
    /// The file is shorter than its header (or than the header's recorded size) says.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// Bytes after the recorded end of the model.
    case trailingBytes(expectedBytes: Int, actualBytes: Int)
    /// The CRC-32 of the bytes after the checksum field differs from the stored one.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// The header's rounding mode is not the double rounding this runtime executes.
    case unsupportedRoundingMode(UInt32)
    /// A header field is out of its range.
    case invalidHeader(field: String, reason: String)
    /// A section or buffer does not lie inside the file.
    case outOfBounds(what: String, offset: Int, byteCount: Int, fileBytes: Int)
    /// A section or buffer offset is not aligned as the format requires.
    case misaligned(what: String, offset: Int, alignment: Int)
    /// A tensor buffer record is malformed or of the wrong type or length for its use.
    case invalidBuffer(index: Int, reason: String)
    /// An op record has an unknown op code.
    case unknownOperation(index: Int, code: UInt32)
    /// A tensor of the tensor table is malformed (shape, scale, zero point).
    case invalidTensor(index: Int, reason: String)
    /// An op reads a tensor that does not exist or is not computed yet.
    case invalidReference(operation: Int, tensor: Int, reason: String)
    /// An op's tensors or weights have inconsistent shapes.
    case shapeMismatch(operation: Int, reason: String)
    /// An op argument (multiplier, shift, clamp, stride, …) is out of range.
    case argumentOutOfRange(operation: Int, argument: String, value: Int, range: String)
    /// The model as a whole is unusable (no ops, output not a vector, …).
    case invalidModel(reason: String)
    /// An interpreter option is out of range (not a property of the model).
    case invalidOption(name: String, reason: String)

    public var description: String {
        switch self {
        case .badMagic:
            return "not an .ffq model: bad magic"
        case .unsupportedVersion(let found, let supported):
            return "unsupported .ffq format version \(found): this runtime reads version \(supported)"
                + (found > supported ? " (the model is newer than the runtime)" : "")
        case .truncated(let expected, let actual):
            return "truncated .ffq model: \(actual) bytes, expected \(expected)"
        case .trailingBytes(let expected, let actual):
            return "damaged .ffq model: \(actual) bytes, the header records \(expected)"
        case .checksumMismatch(let stored, let computed):
            return "damaged .ffq model: CRC-32 \(hex(computed)) does not match the stored \(hex(stored))"
        case .unsupportedRoundingMode(let mode):
            return "unsupported rounding mode \(mode) (this runtime executes double rounding, mode 1)"
        case .invalidHeader(let field, let reason):
            return "invalid .ffq header field \(field): \(reason)"
        case .outOfBounds(let what, let offset, let count, let fileBytes):
            return "\(what) (\(count) bytes at byte \(offset)) lies outside the \(fileBytes)-byte model"
        case .misaligned(let what, let offset, let alignment):
            return "\(what) at byte \(offset) is not aligned to \(alignment) bytes"
        case .invalidBuffer(let index, let reason):
            return "tensor buffer \(index): \(reason)"
        case .unknownOperation(let index, let code):
            return "op \(index): unknown op code \(code)"
        case .invalidTensor(let index, let reason):
            return "tensor \(index): \(reason)"
        case .invalidReference(let operation, let tensor, let reason):
            return "op \(operation) reads tensor \(tensor): \(reason)"
        case .shapeMismatch(let operation, let reason):
            return "op \(operation): \(reason)"
        case .argumentOutOfRange(let operation, let argument, let value, let range):
            return "op \(operation): \(argument) = \(value) is outside \(range)"
        case .invalidModel(let reason):
            return "invalid model: \(reason)"
        case .invalidOption(let name, let reason):
            return "invalid interpreter option \(name): \(reason)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    var text = "0x"
    for nibble in (0..<8).reversed() { text.append(digits[Int((value >> UInt32(nibble * 4)) & 0xF)]) }
    return text
}
