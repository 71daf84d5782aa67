// Every command's --help, read as a user reads it: the same sections everywhere, examples for every
// command that does work, and no example that uses an option the command does not have.
import Foundation
import Testing

@Suite struct HelpConsistencyTests {
    static let tools = ["ffem-data", "ffem-train", "ffem-eval", "ffem-quantize", "ffem-bench", "ffem-edge"]

    /// The help page of `tool` (and `subcommand`), with its exit status.
    struct HelpPage {
        var command: [String]
        var status: Int32
        var text: String

        /// The lines of one section (`OPTIONS:`, `EXAMPLES:`, …), up to the next section header.
        func section(_ header: String) -> [String] {
            var lines: [String] = []
            var inside = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasSuffix(":") && line.uppercased() == line && !line.hasPrefix(" ") {
                    inside = line == header + ":"
                } else if inside {
                    lines.append(String(line))
                }
            }
            return lines
        }

        var subcommands: [String] {
            section("SUBCOMMANDS").compactMap { line in
                let trimmed = line.drop { $0 == " " }
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = trimmed.split(separator: " ").first,
                      !line.contains("See '") else { return nil }
                return String(name)
            }
        }

        /// `--name` of every option the page lists.
        var optionNames: Set<String> {
            Set(section("OPTIONS").compactMap { line -> String? in
                let trimmed = line.drop { $0 == " " }
                guard trimmed.hasPrefix("--") else { return nil }
                return String(trimmed.prefix { $0 != " " && $0 != "\n" })
            })
        }

        /// The examples, with `\`-continued lines joined.
        var examples: [String] {
            var joined: [String] = []
            var continuing = false
            for line in section("EXAMPLES").map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty {
                let body = line.hasSuffix("\\") ? String(line.dropLast()) : line
                if continuing { joined[joined.count - 1] += " " + body } else { joined.append(body) }
                continuing = line.hasSuffix("\\")
            }
            return joined
        }
    }

    static func help(_ command: [String]) throws -> HelpPage {
        let result = try ToolRunner.run(command[0], Array(command.dropFirst()) + ["--help"])
        return HelpPage(command: command, status: result.status, text: result.standardOutput + result.standardError)
    }

    /// Every command and subcommand of every tool.
    static func allPages() throws -> [HelpPage] {
        var pages: [HelpPage] = []
        for tool in tools {
            let root = try help([tool])
            pages.append(root)
            for subcommand in root.subcommands { pages.append(try help([tool, subcommand])) }
        }
        return pages
    }

    @Test func everyHelpPageHasTheSameSections() throws {
        let pages = try Self.allPages()
        // 6 tools; subcommands: ffem-data 5, ffem-train 2, ffem-bench 3, ffem-edge 2.
        #expect(pages.count >= 18, "only \(pages.count) help pages found: the SUBCOMMANDS parser missed some")
        for page in pages {
            let name = page.command.joined(separator: " ")
            #expect(page.status == 0, "\(name) --help exits \(page.status)")
            #expect(page.text.hasPrefix("OVERVIEW: "), "\(name) --help has no OVERVIEW")
            #expect(page.text.contains("\nUSAGE: \(name)"), "\(name) --help has no USAGE line naming it")
            if !page.optionNames.isEmpty {
                #expect(page.optionNames.contains("--help"), "\(name) does not list --help")
            }
        }
    }

    @Test func everyCommandThatDoesWorkHasExamplesThatUseItsOwnOptions() throws {
        for page in try Self.allPages() where page.optionNames.count > 1 {
            let name = page.command.joined(separator: " ")
            #expect(!page.examples.isEmpty, "\(name) --help shows no example")
            for example in page.examples {
                // An example may be fed by a pipe: `detector | ffem-edge …`.
                guard let start = example.range(of: name) else {
                    Issue.record("\(name) --help: example does not run \(name): \(example)")
                    continue
                }
                let tokens = example[start.upperBound...].split(separator: " ").map(String.init)
                for token in tokens where token.hasPrefix("--") {
                    #expect(page.optionNames.contains(token), "\(name) --help: example uses \(token), which is not an option: \(example)")
                }
            }
        }
    }
}
