// FFEMCLI — CommandRunner.swift: the common main() of every FFEM command line.
import FFEMCore

/// The FFEM version every tool reports with `--version`.
public let ffemVersion = "0.1.0"

public enum CommandRunner {
    /// Parses the process arguments, prints help/version, runs `body` and exits with its status:
    /// 0 on success, 64 on a usage error, 65 on bad input data, 1 otherwise (messages on stderr).
    public static func main(root: CommandSpec, arguments: [String], _ body: (ParsedArguments) throws(CommandError) -> Void) -> Never {
        Process.lineBufferStandardOutput()
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(arguments, root: root)
        } catch {
            Process.printError("Error: \(error.message)")
            Process.printError("Usage: see '\(root.name) --help'.")
            Process.exit(error.exitStatus)
        }
        if parsed.wantsHelp {
            print(parsed.helpText)
            Process.exit(ExitStatus.success)
        }
        if parsed.wantsVersion {
            print("\(root.name) \(ffemVersion)")
            Process.exit(ExitStatus.success)
        }
        if !parsed.command.subcommands.isEmpty && parsed.command.options.isEmpty {
            Process.printError("Error: \(parsed.commandPath.joined(separator: " ")) needs a subcommand.\n")
            Process.printError(parsed.helpText)
            Process.exit(ExitStatus.usage)
        }
        do {
            try body(parsed)
        } catch {
            Process.printError("Error: \(error.message)")
            Process.exit(error.exitStatus)
        }
        Process.exit(ExitStatus.success)
    }
}
