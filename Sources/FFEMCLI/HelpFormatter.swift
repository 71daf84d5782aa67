// FFEMCLI — HelpFormatter.swift: `--help` text in swift-argument-parser's layout.

public enum HelpFormatter {
    static let indent = "  "
    static let column = 30
    static let width = 100

    public static func help(for command: CommandSpec, path: [String]) -> String {
        let name = path.joined(separator: " ")
        var lines: [String] = ["OVERVIEW: \(command.abstract)", ""]
        if !command.discussion.isEmpty {
            lines += wrap(command.discussion, width: width, indent: "")
            lines.append("")
        }
        var usage = "USAGE: \(name)"
        if !command.subcommands.isEmpty && command.options.isEmpty { usage += " <subcommand>" }
        for option in command.options where option.isRequired {
            usage += " --\(option.name) <\(option.valueName ?? "value")>"
        }
        if command.options.contains(where: { !$0.isRequired }) { usage += " [<options>]" }
        lines += [usage, ""]
        if !command.options.isEmpty {
            lines.append("OPTIONS:")
            for option in command.options { lines += describe(option) }
            lines += describe(.flag("help", help: "Show help information."))
            lines.append("")
        }
        if !command.subcommands.isEmpty {
            lines.append("SUBCOMMANDS:")
            for sub in command.subcommands { lines += twoColumns(indent + sub.name, sub.abstract) }
            lines.append("")
            lines.append(indent + "See '\(name) <subcommand> --help' for detailed help.")
            lines.append("")
        }
        if !command.examples.isEmpty {
            lines.append("EXAMPLES:")
            for example in command.examples { lines.append(indent + example) }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ option: OptionSpec) -> [String] {
        var left = indent + "--\(option.name)"
        if let valueName = option.valueName { left += " <\(valueName)>" }
        var text = option.help
        if let value = option.defaultValue { text += " (default: \(value))" }
        if option.isRequired { text += " (required)" }
        if option.isRepeatable { text += " (repeatable)" }
        return twoColumns(left, text)
    }

    static func twoColumns(_ left: String, _ right: String) -> [String] {
        let pad = String(repeating: " ", count: column)
        let body = wrap(right, width: width - column, indent: "")
        var lines: [String] = []
        if left.utf8.count + 2 > column {
            lines.append(left)
            for line in body { lines.append(pad + line) }
        } else {
            for (k, line) in body.enumerated() {
                if k == 0 {
                    lines.append(left + String(repeating: " ", count: column - left.utf8.count) + line)
                } else {
                    lines.append(pad + line)
                }
            }
            if body.isEmpty { lines.append(left) }
        }
        return lines
    }

    /// Greedy word wrap.
    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && line.utf8.count + 1 + word.utf8.count > width {
                    lines.append(indent + line)
                    line = ""
                }
                line += line.isEmpty ? String(word) : " " + word
            }
            lines.append(indent + line)
        }
        return lines
    }
}
