// ffem-bench — LayerShape.swift: one line of a Benchmarks/shapes/*.txt file.
import FFEMCLI

/// A layer to time: `op=<kind> name=<label> key=value … count=<times per network run>`.
struct LayerShape {
    var op: String
    var name: String
    var values: [String: Int]
    /// How many times one network run executes this shape (0: not in the network).
    var count: Int

    func value(_ key: String) throws(CommandError) -> Int {
        guard let value = values[key] else { throw .dataError("layer \(name): missing \(key)=") }
        return value
    }

    /// Parses a shapes file: `#` starts a comment, blank lines are skipped.
    static func parse(_ text: String) throws(CommandError) -> [LayerShape] {
        var layers: [LayerShape] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.isEmpty { continue }
            var op = "", name = "", values: [String: Int] = [:]
            for field in fields {
                let parts = field.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw .dataError("line \(index + 1): expected key=value, got '\(field)'") }
                let key = String(parts[0]), text = String(parts[1])
                switch key {
                case "op": op = text
                case "name": name = text
                default:
                    guard let number = Int(text), number >= 0 else {
                        throw .dataError("line \(index + 1): \(key) must be a non-negative integer, got '\(text)'")
                    }
                    values[key] = number
                }
            }
            guard !op.isEmpty, !name.isEmpty else { throw .dataError("line \(index + 1): op= and name= are required") }
            layers.append(LayerShape(op: op, name: name, values: values, count: values["count"] ?? 1))
        }
        return layers
    }
}
