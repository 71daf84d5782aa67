import FFEMCore
import FFEMImage
import Foundation
import Testing

/// `ffem-data` as a user runs it: exit statuses (0, 64 usage, 65 bad data), messages and help.
@Suite struct FFEMDataCLITests {
    /// A two-image dataset in a fresh folder.
    static func makeDataset() throws -> String {
        let root = NSTemporaryDirectory() + "ffem-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        let pixels = (0..<(40 * 50)).map { UInt8($0 % 251) }
        for name in ["a/1.jpg", "a/2.jpg"] {
            try FileIO.writeAtomically(try ImageCodecs.encodeJPEG(Image(width: 40, height: 50, format: .grey, pixels: pixels)), to: root + "/" + name)
        }
        try FileIO.writeAtomically("""
            {
              "a/1.jpg": {"label": 0, "x1": 2, "y1": 3, "x2": 38, "y2": 47},
              "a/2.jpg": {"label": 1, "x1": 2, "y1": 3, "x2": 38, "y2": 47}
            }
            """, to: root + "/list.json")
        return root
    }

    func check(_ root: String, _ extra: [String] = []) throws -> ToolResult {
        try ToolRunner.run("ffem-data", ["check", "--train-file", root + "/list.json", "--img-root-path", root] + extra)
    }

    @Test func checkReportsIdentitiesAndWritesThePreview() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try check(root, ["--preview", root + "/preview.png"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("identities: 2 × 1 images"))
        #expect(FileManager.default.fileExists(atPath: root + "/preview.png"))
    }

    @Test func labelBeyondNumIdentityExits65NamingTheEntry() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try check(root, ["--num-identity", "1"])
        #expect(result.status == 65)
        #expect(result.standardError.contains("list.json:3:3: \"a/2.jpg\": label 1 is not in 0..<1"))
    }

    @Test func truncatedJPEGExits65NamingTheEntry() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bytes = try FileIO.read(root + "/a/1.jpg")
        try FileIO.writeAtomically(Array(bytes.prefix(bytes.count / 2)), to: root + "/a/1.jpg")
        let result = try check(root)
        #expect(result.status == 65)
        #expect(result.standardError.contains("\"a/1.jpg\": cannot decode the image: corrupt JPEG"))
    }

    @Test func missingFileAndBoxOutsideExit65() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.removeItem(atPath: root + "/a/2.jpg")
        try FileIO.writeAtomically("""
            {"a/1.jpg": {"label": 0, "x1": 2, "y1": 3, "x2": 41, "y2": 47},
             "a/2.jpg": {"label": 1, "x1": 2, "y1": 3, "x2": 38, "y2": 47}}
            """, to: root + "/list.json")
        let result = try check(root)
        #expect(result.status == 65)
        #expect(result.standardError.contains("\"a/1.jpg\": box [2, 3, 41, 47] is outside the 40x50 image"))
        #expect(result.standardError.contains("\"a/2.jpg\": missing or unreadable image"))
    }

    @Test func jsonSyntaxErrorExits65WithLineAndColumn() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileIO.writeAtomically("{\n  \"a/1.jpg\": {\"label\": 0,,}\n}", to: root + "/list.json")
        let result = try check(root)
        #expect(result.status == 65)
        #expect(result.standardError.contains("list.json:2:26: malformed JSON: unexpected ','"))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try ToolRunner.run("ffem-data", ["check"]).status == 64)
        let unknown = try ToolRunner.run("ffem-data", ["check", "--train-fil", "x", "--img-root-path", "y"])
        #expect(unknown.status == 64)
        #expect(unknown.standardError.contains("did you mean --train-file?"))
        #expect(try ToolRunner.run("ffem-data", ["frobnicate"]).status == 64)
        #expect(try ToolRunner.run("ffem-data", []).status == 64)
    }

    @Test func helpAndVersionExit0() throws {
        let help = try ToolRunner.run("ffem-data", ["check", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE: ffem-data check --train-file <FILE> --img-root-path <DIR> [<options>]"))
        #expect(help.standardOutput.contains("--crop-size <N>"))
        #expect(help.standardOutput.contains("(default: 112)"))
        let root = try ToolRunner.run("ffem-data", ["--help"])
        #expect(root.standardOutput.contains("SUBCOMMANDS:"))
        #expect(try ToolRunner.run("ffem-data", ["--version"]).standardOutput.hasPrefix("ffem-data "))
    }
}
