// FFEMData — SampleStore.swift: where a dataset's image bytes come from (a folder of files, or one packed file).
import FFEMCore

/// The entries of a dataset and a way to read each one's encoded image. Both stores give the same
/// entries in the same order and the same bytes, so the pipeline produces identical batches from either.
public protocol SampleStore: Sendable {
    var entries: [DatasetEntry] { get }
    var identityCount: Int { get }
    /// A name for messages (the list file or the packed file).
    var name: String { get }
    /// The encoded image of entry `index` (JPEG or PNM bytes).
    func imageBytes(at index: Int) throws(DatasetProblem) -> [UInt8]
}

/// Images as files under the dataset's image root.
public struct FolderStore: SampleStore {
    public let dataset: Dataset
    public init(dataset: Dataset) { self.dataset = dataset }
    public var entries: [DatasetEntry] { dataset.entries }
    public var identityCount: Int { dataset.identityCount }
    public var name: String { dataset.sourceName }

    public func imageBytes(at index: Int) throws(DatasetProblem) -> [UInt8] {
        do {
            return try FileIO.read(dataset.imagePath(index))
        } catch {
            let entry = dataset.entries[index]
            throw DatasetProblem(file: dataset.sourceName, position: entry.position, key: entry.path,
                                 reason: "missing or unreadable image: \(error.description)")
        }
    }
}
