// FFEMEval — PairsFileError.swift: why a pairs file was refused, and where.

/// A problem with a pairs file, stated so that a person can find and fix it:
/// `pairs.txt:12: expected "same" to be 0 or 1, found "yes"`.
public struct PairsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (as named by the caller).
    public var file: String
    /// 1-based line number, or nil for a problem with the whole file (unreadable, empty, a missing fold).
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
