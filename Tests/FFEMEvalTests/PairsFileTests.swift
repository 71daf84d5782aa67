import Foundation
import Testing
@testable import FFEMEval

/// Both pairs formats, and refusals that name the file, the line and the reason.
@Suite struct PairsFileTests {
    func failure(_ text: String, format: PairsFormat? = nil) -> String? {
        do {
            _ = try PairsFile.parse(text, sourceName: "pairs.txt", format: format)
            return nil
        } catch {
            return error.description
        }
    }

    /// Two folds of ORL-format pairs, with a comment, a blank line, tabs and a CRLF line end.
    let orlText = """
        # held-out pairs
        s31/8.pgm s31/9.pgm 1 1
        s31/7.pgm\ts32/9.pgm 0 1\r
        
        s33/1.pgm s33/2.pgm 1 2
        s34/1.pgm s35/2.pgm 0 2
        """

    @Test func orlFormatKeepsPathsLabelsFoldsAndLines() throws {
        let list = try PairsFile.parse(orlText, sourceName: "pairs.txt")
        #expect(list.foldCount == 2 && list.genuineCount == 2 && list.impostorCount == 2)
        #expect(list.pairs[1] == VerificationPair(path1: "s31/7.pgm", path2: "s32/9.pgm", isSame: false, fold: 1, line: 3))
        #expect(list.pairs[3] == VerificationPair(path1: "s34/1.pgm", path2: "s35/2.pgm", isSame: false, fold: 2, line: 6))
        #expect(list.distinctPaths == ["s31/8.pgm", "s31/9.pgm", "s31/7.pgm", "s32/9.pgm", "s33/1.pgm", "s33/2.pgm", "s34/1.pgm", "s35/2.pgm"])
    }

    @Test(arguments: [
        ("a.pgm b.pgm 1", "pairs.txt:2: expected 4 fields \"path1 path2 same fold\", found 3"),
        ("a.pgm b.pgm yes 1", "pairs.txt:2: \"same\" must be 0 or 1, found \"yes\""),
        ("a.pgm b.pgm 1 0", "pairs.txt:2: \"fold\" must be a positive integer, found \"0\""),
        ("a.pgm b.pgm 1 x", "pairs.txt:2: \"fold\" must be a positive integer, found \"x\""),
        ("a.pgm a.pgm 1 2", "pairs.txt:2: both paths are \"a.pgm\": a pair must compare two different images"),
        ("a.pgm b.pgm 1 3", "pairs.txt: fold 2 has no pairs (folds must be numbered 1...3 without gaps)"),
        ("a.pgm b.pgm 1 1", "pairs.txt: cross-validation needs at least 2 folds, the file has 1"),
    ])
    func malformedOrlLineIsRefusedWithLineAndReason(line: String, message: String) {
        #expect(failure("c.pgm d.pgm 0 1\n" + line + "\n", format: .orl) == message)
    }

    @Test func emptyFileIsRefused() {
        #expect(failure("\n# nothing\n") == "pairs.txt: the pairs file has no pairs")
        #expect(failure("", format: .lfw) == "pairs.txt: the pairs file is empty (expected a header \"sets n\" or \"n\")")
    }

    /// LFW View 2 in miniature: 2 sets of 2 matched + 2 mismatched pairs.
    let lfwText = """
        2\t2
        Abel_Pacheco\t1\t4
        Akhmed_Zakayev\t1\t3
        Abdel_Madi_Shabneh\t1\tDean_Barker\t1
        Abdel_Madi_Shabneh\t1\tGiancarlo_Fisichella\t1
        Aaron_Peirsol 1 2
        Aaron_Sorkin 11 12
        AJ_Cook 1 Marsha_Thomason 1
        Aaron_Sorkin 2 Frank_Solich 5
        """

    @Test func lfwFormatMapsNamesToImagePathsAndSetsToFolds() throws {
        let list = try PairsFile.parse(lfwText, sourceName: "pairs.txt")
        #expect(list.foldCount == 2 && list.pairs.count == 8 && list.genuineCount == 4)
        #expect(list.pairs[0] == VerificationPair(path1: "Abel_Pacheco/Abel_Pacheco_0001.jpg", path2: "Abel_Pacheco/Abel_Pacheco_0004.jpg",
                                                  isSame: true, fold: 1, line: 2))
        #expect(list.pairs[3] == VerificationPair(path1: "Abdel_Madi_Shabneh/Abdel_Madi_Shabneh_0001.jpg",
                                                  path2: "Giancarlo_Fisichella/Giancarlo_Fisichella_0001.jpg", isSame: false, fold: 1, line: 5))
        #expect(list.pairs[5].path2 == "Aaron_Sorkin/Aaron_Sorkin_0012.jpg" && list.pairs[5].fold == 2 && list.pairs[5].isSame)
        #expect(list.pairs[7].fold == 2 && !list.pairs[7].isSame)
        #expect(LFWPairsFormat.imagePath(name: "X", number: 12345) == "X/X_12345.jpg")
    }

    @Test func singleSetLfwFileIsCutIntoTenBalancedFolds() throws {
        var lines = ["20"]
        for i in 0..<20 { lines.append("P\(i) 1 2") }
        for i in 0..<20 { lines.append("P\(i) 1 Q\(i) 1") }
        let list = try PairsFile.parse(lines.joined(separator: "\n"), sourceName: "pairsDevTrain.txt")
        #expect(list.foldCount == 10)
        for fold in 1...10 {
            let members = list.pairs.filter { $0.fold == fold }
            #expect(members.count(where: \.isSame) == 2 && members.count(where: { !$0.isSame }) == 2)
        }
        // Consecutive blocks: matched lines 0 and 1 (file lines 2, 3) are fold 1, lines 18 and 19 fold 10.
        #expect(list.pairs[0].fold == 1 && list.pairs[1].fold == 1 && list.pairs[2].fold == 2 && list.pairs[19].fold == 10)
        #expect(list.pairs[20].fold == 1 && list.pairs[39].fold == 10)
    }

    @Test func formatIsDetectedFromTheFirstLine() {
        #expect(PairsFile.detectFormat(PairsFileLine.split("10 300\nA 1 2")) == .lfw)
        #expect(PairsFile.detectFormat(PairsFileLine.split("\n1100\n")) == .lfw)
        #expect(PairsFile.detectFormat(PairsFileLine.split("# c\ns1/1.pgm s1/2.pgm 1 1")) == .orl)
    }

    @Test(arguments: [
        ("2 x\n", "pairs.txt:1: expected a header \"sets n\" or \"n\" of positive integers, found \"2 x\""),
        ("1 2 3\nA 1 2", "pairs.txt:1: expected a header \"sets n\" or \"n\" of positive integers, found \"1 2 3\""),
        ("5\nA 1 2", "pairs.txt:1: a single set of 5 + 5 pairs cannot be cut into 10 folds (needs n ≥ 10)"),
        ("2 1\nA 1 2\nA 1 B 1\nC 1 2", "pairs.txt:4: the header announces 2 × (1 + 1) = 4 pairs, the file ends after 3"),
        ("2 1\nA 1 2\nA 1 B 1\nC 1 2\nC 1 D 1\nE 1 2", "pairs.txt:6: more pairs than the header announces (2 × (1 + 1) = 4)"),
        ("2 1\nA 1 B 1\nA 1 2\nC 1 2\nC 1 D 1", "pairs.txt:2: expected a matched pair \"name i j\" (set 1), found 4 fields"),
        ("2 1\nA 1 2\nA 1 3\nC 1 2\nC 1 D 1", "pairs.txt:3: expected a mismatched pair \"name1 i name2 j\" (set 1), found 3 fields"),
        ("2 1\nA 1 2\nA 1 B 1\nC 1 -2\nC 1 D 1", "pairs.txt:4: an image number must be a positive integer, found \"-2\""),
        ("2 1\nA 1 2\nA 1 B 1\nC 3 3\nC 1 D 1", "pairs.txt:4: a matched pair compares image 3 of C with itself"),
        ("2 1\nA 1 2\nA 1 B 1\nC 1 2\nC 1 C 2", "pairs.txt:5: a mismatched pair names the same person \"C\" twice"),
    ])
    func malformedLfwLineIsRefusedWithLineAndReason(text: String, message: String) {
        #expect(failure(text, format: .lfw) == message)
    }

    @Test func unreadableFileIsNamed() {
        let error = #expect(throws: PairsFileError.self) { try PairsFile.load("/nonexistent/pairs.txt") }
        #expect(error?.file == "/nonexistent/pairs.txt" && error?.line == nil)
    }

    @Test func loadReadsAFileFromDisk() throws {
        let path = NSTemporaryDirectory() + "ffem-eval-pairs-\(getpid()).txt"
        try orlText.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let list = try PairsFile.load(path)
        #expect(list.pairs.count == 4 && list.sourceName == path)
    }

    static let heldOutPairs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/orl/pairs-heldout.txt").standardizedFileURL.path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: heldOutPairs)))
    func orlHeldOutPairsParseAsDocumented() throws {
        // ../shared/data/orl/README.md: 900 pairs, 450 genuine, 10 folds of 45 + 45.
        let list = try PairsFile.load(Self.heldOutPairs)
        #expect(list.pairs.count == 900 && list.genuineCount == 450 && list.foldCount == 10)
        for fold in 1...10 {
            let members = list.pairs.filter { $0.fold == fold }
            #expect(members.count(where: \.isSame) == 45 && members.count(where: { !$0.isSame }) == 45)
        }
        #expect(list.distinctPaths.count == 100)
    }
}
