// FFEMCLI — ArgumentParser.swift: parsing `--name value`, `--name=value` and flags against a CommandSpec.

/// What the parser found: the subcommand path, option values and positional arguments.
public struct ParsedArguments: Sendable {
    /// Names of the chosen command and subcommands (`["ffem-data", "check"]`).
    public var commandPath: [String]
    public var command: CommandSpec
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    public var positionals: [String] = []

    /// True when `--help` was asked for (help text is in `helpText`).
    public var wantsHelp = false
    public var wantsVersion = false

    public var helpText: String { HelpFormatter.help(for: command, path: commandPath) }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// True when the option was given on the command line (not just defaulted).
    public func isGiven(_ name: String) -> Bool { values[name] != nil || flags.contains(name) }

    /// The option's value, its default, or nil.
    public func string(_ name: String) -> String? {
        if let given = values[name]?.last { return given }
        return command.option(named: name)?.defaultValue
    }

    /// Every value of a repeatable option, in order.
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    public func requiredString(_ name: String) throws(CommandError) -> String {
        guard let value = string(name) else { throw CommandError.usage("missing required option --\(name)") }
        return value
    }

    public func int(_ name: String) throws(CommandError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw CommandError.usage("--\(name): '\(text)' is not an integer") }
        return value
    }

    public func int(_ name: String, in range: ClosedRange<Int>) throws(CommandError) -> Int? {
        guard let value = try int(name) else { return nil }
        guard range.contains(value) else {
            throw CommandError.usage("--\(name): \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func double(_ name: String) throws(CommandError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite else { throw CommandError.usage("--\(name): '\(text)' is not a number") }
        return value
    }
}

public enum ArgumentParser {
    /// Parses `arguments` (without the program name) against `root`. Subcommands are chosen by the first
    /// words that name one. `--help`/`-h` and `--version` end parsing early.
    public static func parse(_ arguments: [String], root: CommandSpec) throws(CommandError) -> ParsedArguments {
        var command = root
        var path = [root.name]
        var index = 0
        while index < arguments.count, let sub = subcommand(named: arguments[index], in: command) {
            command = sub
            path.append(sub.name)
            index += 1
        }
        var parsed = ParsedArguments(commandPath: path, command: command)
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" {
                parsed.wantsHelp = true
                return parsed
            }
            if argument == "--version" {
                parsed.wantsVersion = true
                return parsed
            }
            if argument == "--" {
                parsed.positionals += arguments[index...]
                break
            }
            guard argument.hasPrefix("--") else {
                if !command.subcommands.isEmpty && parsed.positionals.isEmpty && !argument.hasPrefix("-") {
                    throw CommandError.usage("unknown subcommand '\(argument)' of \(path.joined(separator: " "))"
                        + " (expected one of: \(command.subcommands.map { $0.name }.joined(separator: ", ")))")
                }
                if argument.hasPrefix("-") && argument.count > 1 && !isNumber(argument) {
                    throw CommandError.usage("unknown option '\(argument)' (options are spelled --name)")
                }
                parsed.positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String? = nil
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = command.option(named: name) else {
                throw CommandError.usage("unknown option '--\(name)' for \(path.joined(separator: " "))"
                    + suggestion(for: name, in: command))
            }
            if option.isFlag {
                if let inlineValue {
                    guard let truth = parseBool(inlineValue) else {
                        throw CommandError.usage("--\(name) is a flag; '\(inlineValue)' is not true or false")
                    }
                    if truth { parsed.flags.insert(name) } else { parsed.flags.remove(name) }
                } else {
                    parsed.flags.insert(name)
                }
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else { throw CommandError.usage("--\(name) needs a value (\(option.valueName ?? "VALUE"))") }
                value = arguments[index]
                index += 1
            }
            if parsed.values[name] != nil && !option.isRepeatable {
                throw CommandError.usage("--\(name) is given more than once")
            }
            parsed.values[name, default: []].append(value)
        }
        for option in command.options where option.isRequired && parsed.values[option.name] == nil {
            throw CommandError.usage("missing required option --\(option.name) \(option.valueName ?? "")"
                + " (see \(path.joined(separator: " ")) --help)")
        }
        return parsed
    }

    static func subcommand(named name: String, in command: CommandSpec) -> CommandSpec? {
        for sub in command.subcommands where sub.name == name { return sub }
        return nil
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "1", "yes": return true
        case "false", "False", "0", "no": return false
        default: return nil
        }
    }

    static func isNumber(_ text: String) -> Bool { Double(text) != nil }

    /// " (did you mean --x?)" for a close option name, by edit distance.
    static func suggestion(for name: String, in command: CommandSpec) -> String {
        var best: (String, Int)? = nil
        for option in command.options {
            let distance = editDistance(Array(name.utf8), Array(option.name.utf8))
            if distance <= 2 && (best == nil || distance < best!.1) { best = (option.name, distance) }
        }
        if let best { return " (did you mean --\(best.0)?)" }
        return ""
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1..<(b.count + 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}
