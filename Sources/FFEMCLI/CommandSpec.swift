// FFEMCLI — CommandSpec.swift: a command line described as data (shaped like swift-argument-parser).

/// One `--long-option` of a command: a flag (no value) or an option with a value.
public struct OptionSpec: Sendable {
    /// Long name without the dashes, kebab case (`train-file`).
    public var name: String
    /// Placeholder in help (`FILE`); nil for a flag.
    public var valueName: String?
    public var help: String
    /// Shown in help and returned when the option is absent.
    public var defaultValue: String?
    public var isRequired: Bool
    public var isRepeatable: Bool

    /// An option that takes a value.
    public static func option(_ name: String, _ valueName: String, help: String, default defaultValue: String? = nil,
                              required isRequired: Bool = false, repeatable isRepeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue, isRequired: isRequired,
                   isRepeatable: isRepeatable)
    }

    /// A boolean flag.
    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, defaultValue: nil, isRequired: false, isRepeatable: false)
    }

    public var isFlag: Bool { valueName == nil }
}

/// A command or subcommand: its options, subcommands, help text and examples.
public struct CommandSpec: Sendable {
    public var name: String
    public var abstract: String
    public var discussion: String
    public var options: [OptionSpec]
    public var subcommands: [CommandSpec]
    public var examples: [String]

    public init(name: String, abstract: String, discussion: String = "", options: [OptionSpec] = [],
                subcommands: [CommandSpec] = [], examples: [String] = []) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.subcommands = subcommands
        self.examples = examples
    }

    func option(named name: String) -> OptionSpec? {
        for option in options where option.name == name { return option }
        return nil
    }
}

/// Exit statuses (sysexits.h), DESIGN.md §9.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
}

/// Why a command stopped: a usage error (64), bad input data (65) or another failure (1).
public enum CommandError: Error, Sendable {
    case usage(String)
    case dataError(String)
    case failure(String)

    public var exitStatus: Int32 {
        switch self {
        case .usage: return ExitStatus.usage
        case .dataError: return ExitStatus.dataError
        case .failure: return ExitStatus.failure
        }
    }

    public var message: String {
        switch self {
        case .usage(let text), .dataError(let text), .failure(let text): return text
        }
    }
}
