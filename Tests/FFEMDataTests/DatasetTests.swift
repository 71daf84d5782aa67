import FFEMCore
import FFEMImage
import Foundation
import FFEMTestSupport
import Testing
@testable import FFEMData

/// Bad input is refused with the file, the line:column or key, and the reason (DESIGN.md §3).
@Suite struct DatasetTests {
    func problems(_ fixture: DatasetFixture, identities: Int? = nil) -> [String] {
        do {
            let dataset = try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root, identityCount: identities)
            _ = try DatasetValidator.validate(FolderStore(dataset: dataset))
            return []
        } catch {
            return error.problems.map { $0.description }
        }
    }

    @Test func validDatasetLoadsWithItsCounts() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let dataset = try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root, identityCount: 3)
        #expect(dataset.entries.count == 12 && dataset.identityCount == 3 && dataset.imagesPerIdentity == [4, 4, 4])
        #expect(dataset.entries[1].box == FaceBox(x1: 6, y1: 8.5, x2: 79, y2: 104))
        let report = try DatasetValidator.validate(FolderStore(dataset: dataset))
        #expect(report.imageSizes.allSatisfy { $0 == (92, 112) })
    }

    @Test func jsonSyntaxErrorNamesLineAndColumn() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        try fixture.replaceList("{\n \"p0/0.jpg\": {\"label\": 0, \"x1\": 1 \"y1\": 2}\n}")
        #expect(problems(fixture) == ["\(fixture.listPath):2:35: malformed JSON: unexpected '\"', expected ',' or '}'"])
    }

    @Test func labelOutOfRangeNamesTheKey() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let found = problems(fixture, identities: 2)
        #expect(found.count == 4)
        #expect(found.first == "\(fixture.listPath):10:3: \"p2/0.jpg\": label 2 is not in 0..<2 (num_identity = 2)")
    }

    @Test func missingImageNamesTheKey() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.root + "/p1/2.jpg")
        let found = problems(fixture)
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("\(fixture.listPath):8:3: \"p1/2.jpg\": missing or unreadable image: cannot open"))
    }

    @Test func truncatedJPEGNamesTheKey() throws {
        let fixture = try DatasetFixture.make()
        defer { fixture.remove() }
        let path = fixture.root + "/p0/3.jpg"
        let bytes = try FileIO.read(path)
        try FileIO.writeAtomically(Array(bytes.prefix(bytes.count * 2 / 3)), to: path)
        let found = problems(fixture)
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("\(fixture.listPath):5:3: \"p0/3.jpg\": cannot decode the image: corrupt JPEG"))
    }

    @Test func boxOutsideTheImageNamesTheKey() throws {
        let fixture = try DatasetFixture.make(identities: 1, perIdentity: 1)
        defer { fixture.remove() }
        try fixture.replaceList(#"{"p0/0.jpg": {"label": 0, "x1": 10, "y1": 10, "x2": 93, "y2": 50}}"#)
        #expect(problems(fixture) == ["\(fixture.listPath):1:2: \"p0/0.jpg\": box [10, 10, 93, 50] is outside the 92x112 image"])
    }

    @Test func structuralProblemsAreEachReported() throws {
        let fixture = try DatasetFixture.make(identities: 1, perIdentity: 1)
        defer { fixture.remove() }
        try fixture.replaceList("""
            {"a.jpg": {"label": 0, "x1": 5, "y1": 5, "x2": 5, "y2": 9},
             "b.jpg": {"label": 1.5, "x1": 0, "y1": 0, "x2": 1, "y2": 1},
             "c.jpg": {"label": 0, "x1": 0, "y1": 0, "x2": "1", "y2": 1},
             "d.jpg": {"label": 0, "x1": 0, "y1": 0, "x2": 1},
             "e.jpg": [1, 2],
             "f.jpg": {"label": -1, "x1": 0, "y1": 0, "x2": 1, "y2": 1}}
            """)
        #expect(problems(fixture) == [
            "\(fixture.listPath):1:2: \"a.jpg\": empty box [5, 5, 5, 9]: needs x2 > x1 and y2 > y1",
            "\(fixture.listPath):2:2: \"b.jpg\": \"label\" must be an integer, found a fraction",
            "\(fixture.listPath):3:2: \"c.jpg\": \"x2\" must be a number, found a string",
            "\(fixture.listPath):4:2: \"d.jpg\": missing field \"y2\"",
            "\(fixture.listPath):5:2: \"e.jpg\": expected an object {label, x1, y1, x2, y2}, found an array",
            "\(fixture.listPath):6:2: \"f.jpg\": label -1 is negative",
        ])
    }

    @Test func duplicateKeysAreRefused() throws {
        let fixture = try DatasetFixture.make(identities: 1, perIdentity: 1)
        defer { fixture.remove() }
        try fixture.replaceList(#"{"p0/0.jpg": {"label": 0, "x1": 1, "y1": 1, "x2": 9, "y2": 9}, "p0/0.jpg": {"label": 0, "x1": 1, "y1": 1, "x2": 9, "y2": 9}}"#)
        #expect(problems(fixture) == ["\(fixture.listPath):1:64: duplicate key \"p0/0.jpg\""])
    }

    @Test func fractionalCoordinatesAreAccepted() throws {
        let dataset = try Dataset.parse(Array(#"{"x.jpg": {"label": 0, "x1": 1.25, "y1": 0.5, "x2": 9.75, "y2": 9}}"#.utf8), sourceName: "t", imageRoot: ".")
        #expect(dataset.entries[0].box == FaceBox(x1: 1.25, y1: 0.5, x2: 9.75, y2: 9))
    }
}
