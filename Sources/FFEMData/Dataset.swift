// FFEMData — Dataset.swift: the original project's `image_list.json` (DESIGN.md §3).
import FFEMCore
import FFEMImage

/// One face: an image path relative to the image root, its identity label and its face box.
public struct DatasetEntry: Sendable, Equatable {
    /// The key in `image_list.json`: a path relative to `img_root_path`.
    public var path: String
    public var label: Int
    /// [left, top, right, bottom] in pixels of the stored image.
    public var box: FaceBox
    /// Where the entry's key stands in the list file (nil for entries from a packed file).
    public var position: SourcePosition?

    public init(path: String, label: Int, box: FaceBox, position: SourcePosition? = nil) {
        self.path = path
        self.label = label
        self.box = box
        self.position = position
    }
}

/// A problem with one entry (or the whole file), stated so that a person can find and fix it:
/// `image_list.json:12:3: "s1/1.jpg": label 45 is not in 0..<40`.
public struct DatasetProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition?
    public var key: String?
    public var reason: String

    public init(file: String, position: SourcePosition? = nil, key: String? = nil, reason: String) {
        self.file = file
        self.position = position
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var text = file
        if let position { text += ":\(position)" }
        text += ": "
        if let key { text += "\(JSONText.quoted(key)): " }
        return text + reason
    }
}

/// All problems found in a dataset (at least one).
public struct DatasetErrors: Error, Sendable, CustomStringConvertible {
    public var problems: [DatasetProblem]
    /// How many problems were found in all (the list may be cut short).
    public var totalCount: Int

    public var description: String {
        var lines = problems.map { $0.description }
        if totalCount > problems.count { lines.append("… and \(totalCount - problems.count) more problems") }
        return lines.joined(separator: "\n")
    }
}

/// A labelled face dataset: entries in file order plus where their images live.
public struct Dataset: Sendable {
    public var entries: [DatasetEntry]
    /// Folder the entry paths are relative to.
    public var imageRoot: String
    /// Labels are 0..<identityCount.
    public var identityCount: Int
    /// The list file it came from (for messages).
    public var sourceName: String

    public init(entries: [DatasetEntry], imageRoot: String, identityCount: Int, sourceName: String) {
        self.entries = entries
        self.imageRoot = imageRoot
        self.identityCount = identityCount
        self.sourceName = sourceName
    }

    /// Parses and checks the structure of an `image_list.json` (not the images; see `DatasetValidator`).
    ///
    /// - Parameter identityCount: `--num-identity`; labels must lie in 0..<identityCount. When nil, it is
    ///   the largest label + 1.
    /// - Throws: every structural problem found (malformed JSON with line:column, a non-object value,
    ///   a missing or non-numeric field, an empty or negative box, a label out of range, duplicate keys).
    public static func load(listFile: String, imageRoot: String, identityCount: Int? = nil) throws(DatasetErrors) -> Dataset {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(listFile)
        } catch {
            throw DatasetErrors(problems: [DatasetProblem(file: listFile, reason: error.description)], totalCount: 1)
        }
        return try parse(bytes, sourceName: listFile, imageRoot: imageRoot, identityCount: identityCount)
    }

    /// Parses `image_list.json` text (see `load`).
    public static func parse(_ bytes: [UInt8], sourceName: String, imageRoot: String,
                             identityCount: Int? = nil) throws(DatasetErrors) -> Dataset {
        var collector = ProblemCollector()
        let document: JSONValue
        do {
            document = try parseJSON(bytes)
        } catch {
            let reason = error.reason.hasPrefix("duplicate key") ? error.reason : "malformed JSON: \(error.reason)"
            throw DatasetErrors(problems: [DatasetProblem(file: sourceName, position: error.position, reason: reason)], totalCount: 1)
        }
        guard let members = document.objectMembers else {
            throw DatasetErrors(problems: [DatasetProblem(file: sourceName, position: SourcePosition(line: 1, column: 1),
                                                          reason: "expected a JSON object of path → {label, x1, y1, x2, y2}, found \(document.kindName)")], totalCount: 1)
        }
        if let identityCount, identityCount <= 0 {
            throw DatasetErrors(problems: [DatasetProblem(file: sourceName, reason: "num_identity must be positive, got \(identityCount)")], totalCount: 1)
        }
        var entries: [DatasetEntry] = []
        entries.reserveCapacity(members.count)
        for member in members {
            func problem(_ reason: String) {
                collector.add(DatasetProblem(file: sourceName, position: member.position, key: member.key, reason: reason))
            }
            guard member.value.objectMembers != nil else {
                problem("expected an object {label, x1, y1, x2, y2}, found \(member.value.kindName)")
                continue
            }
            guard let labelValue = member.value["label"] else {
                problem("missing field \"label\"")
                continue
            }
            guard let label = labelValue.intValue else {
                problem("\"label\" must be an integer, found \(labelValue.kindName == "a number" ? "a fraction" : labelValue.kindName)")
                continue
            }
            var coordinates: [Double] = []
            var isComplete = true
            for name in ["x1", "y1", "x2", "y2"] {
                guard let value = member.value[name] else {
                    problem("missing field \"\(name)\"")
                    isComplete = false
                    break
                }
                guard let number = value.doubleValue else {
                    problem("\"\(name)\" must be a number, found \(value.kindName)")
                    isComplete = false
                    break
                }
                coordinates.append(number)
            }
            guard isComplete else { continue }
            let box = FaceBox(x1: coordinates[0], y1: coordinates[1], x2: coordinates[2], y2: coordinates[3])
            if label < 0 { problem("label \(label) is negative"); continue }
            if let identityCount, label >= identityCount {
                problem("label \(label) is not in 0..<\(identityCount) (num_identity = \(identityCount))")
                continue
            }
            if !(box.x2 > box.x1) || !(box.y2 > box.y1) {
                problem("empty box [\(format(box.x1)), \(format(box.y1)), \(format(box.x2)), \(format(box.y2))]: needs x2 > x1 and y2 > y1")
                continue
            }
            if member.key.isEmpty { problem("empty image path"); continue }
            entries.append(DatasetEntry(path: member.key, label: label, box: box, position: member.position))
        }
        if entries.isEmpty && collector.problems.isEmpty {
            collector.add(DatasetProblem(file: sourceName, reason: "the dataset has no entries"))
        }
        if let errors = collector.errors { throw errors }
        let count = identityCount ?? (entries.map { $0.label }.max() ?? -1) + 1
        return Dataset(entries: entries, imageRoot: imageRoot, identityCount: count, sourceName: sourceName)
    }

    /// The absolute or root-relative path of entry `index`'s image.
    public func imagePath(_ index: Int) -> String { FileIO.join(imageRoot, entries[index].path) }

    /// Images per identity, indexed by label.
    public var imagesPerIdentity: [Int] {
        var counts = [Int](repeating: 0, count: identityCount)
        for entry in entries { counts[entry.label] += 1 }
        return counts
    }
}

func format(_ value: Double) -> String { JSONText.number(value) }

/// Collects problems, keeping the first `limit` for the message and counting the rest.
struct ProblemCollector {
    static let limit = 20
    var problems: [DatasetProblem] = []
    var totalCount = 0

    mutating func add(_ problem: DatasetProblem) {
        totalCount += 1
        if problems.count < ProblemCollector.limit { problems.append(problem) }
    }

    var errors: DatasetErrors? {
        problems.isEmpty ? nil : DatasetErrors(problems: problems, totalCount: totalCount)
    }
}
