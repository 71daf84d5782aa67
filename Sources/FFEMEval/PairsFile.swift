// FFEMEval — PairsFile.swift: reading a pairs file in either supported format.
import FFEMCore

/// The pairs-file formats `PairsFile` reads.
public enum PairsFormat: String, Sendable, CaseIterable {
    /// `path1 path2 same fold` per line (`same` 0/1, `fold` 1-based); see `ORLPairsFormat`.
    case orl
    /// LFW's `pairs.txt`: a header line, then `name i j` and `name1 i name2 j` lines; see `LFWPairsFormat`.
    case lfw
}

/// Loads pairs files.
public enum PairsFile {
    /// Reads and parses a pairs file.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - format: the format, or nil to detect it: a file whose first non-blank line holds one or two
    ///     integers is LFW (`10 300`, `1100`), anything else is ORL.
    /// - Throws: `PairsFileError` naming the file, the line and the reason.
    public static func load(_ path: String, format: PairsFormat? = nil) throws(PairsFileError) -> PairList {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw PairsFileError(file: path, reason: error.description)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PairsFileError(file: path, reason: "the file is not UTF-8 text")
        }
        return try parse(text, sourceName: path, format: format)
    }

    /// Parses pairs-file text (see `load`); `sourceName` names the text in errors.
    public static func parse(_ text: String, sourceName: String, format: PairsFormat? = nil) throws(PairsFileError) -> PairList {
        let lines = PairsFileLine.split(text)
        switch format ?? detectFormat(lines) {
        case .orl: return try ORLPairsFormat.parse(lines, sourceName: sourceName)
        case .lfw: return try LFWPairsFormat.parse(lines, sourceName: sourceName)
        }
    }

    /// LFW when the first non-blank line is one or two integers, ORL otherwise.
    public static func detectFormat(_ lines: [PairsFileLine]) -> PairsFormat {
        guard let first = lines.first(where: { !$0.fields.isEmpty }) else { return .orl }
        let isHeader = (1...2).contains(first.fields.count) && first.fields.allSatisfy { Int($0) != nil }
        return isHeader ? .lfw : .orl
    }
}

/// One line of a pairs file split into whitespace-separated fields (spaces or tabs; a trailing `\r`
/// is dropped). Lines starting with `#` are comments and, like blank lines, have no fields.
public struct PairsFileLine: Sendable, Equatable {
    /// 1-based line number.
    public var number: Int
    public var fields: [String]

    public static func split(_ text: String) -> [PairsFileLine] {
        var lines: [PairsFileLine] = []
        var number = 0
        // "\r\n" is one Character in Swift, so both line ends are named.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#") {
                lines.append(PairsFileLine(number: number, fields: []))
                continue
            }
            let fields = raw.split { $0 == " " || $0 == "\t" || $0 == "\r" }.map(String.init)
            lines.append(PairsFileLine(number: number, fields: fields))
        }
        return lines
    }
}
