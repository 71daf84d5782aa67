// FFEMData — DatasetValidator.swift: checks that every image exists, decodes and contains its box.
import FFEMCore
import FFEMImage
import Foundation

/// What a full check of a dataset found.
public struct DatasetReport: Sendable {
    public var entryCount: Int
    public var identityCount: Int
    public var imagesPerIdentity: [Int]
    /// Sizes of the stored images (width, height), per entry.
    public var imageSizes: [(Int, Int)]
    public var boxWidths: [Double]
    public var boxHeights: [Double]
}

public enum DatasetValidator {
    /// Decodes every image completely (a truncated or corrupt JPEG is refused, not padded) and checks its
    /// box lies inside it: 0 ≤ x1 < x2 ≤ width, 0 ≤ y1 < y2 ≤ height. Runs on `threads` threads.
    public static func validate(_ store: any SampleStore, threads: Int = 2) throws(DatasetErrors) -> DatasetReport {
        let entries = store.entries
        var sizes = [(Int, Int)](repeating: (0, 0), count: entries.count)
        var problems = [DatasetProblem?](repeating: nil, count: entries.count)
        sizes.withUnsafeMutableBufferPointer { sizeBuffer in
            problems.withUnsafeMutableBufferPointer { problemBuffer in
                let sizeOut = UncheckedSendable(sizeBuffer)
                let problemOut = UncheckedSendable(problemBuffer)
                DispatchQueue.concurrentPerform(iterations: max(1, threads)) { worker in
                    var index = worker
                    while index < entries.count {
                        do throws(DatasetProblem) {
                            sizeOut.value[index] = try check(store, index)
                        } catch {
                            problemOut.value[index] = error
                        }
                        index += max(1, threads)
                    }
                }
            }
        }
        var collector = ProblemCollector()
        for problem in problems { if let problem { collector.add(problem) } }
        if let errors = collector.errors { throw errors }
        var perIdentity = [Int](repeating: 0, count: store.identityCount)
        for entry in entries { perIdentity[entry.label] += 1 }
        return DatasetReport(entryCount: entries.count, identityCount: store.identityCount, imagesPerIdentity: perIdentity,
                             imageSizes: sizes, boxWidths: entries.map { $0.box.width }, boxHeights: entries.map { $0.box.height })
    }

    static func check(_ store: any SampleStore, _ index: Int) throws(DatasetProblem) -> (Int, Int) {
        let entry = store.entries[index]
        func problem(_ reason: String) -> DatasetProblem {
            DatasetProblem(file: store.name, position: entry.position, key: entry.path, reason: reason)
        }
        let bytes = try store.imageBytes(at: index)
        let image: Image
        do {
            image = try ImageCodecs.decode(bytes).image
        } catch {
            throw problem("cannot decode the image: \(error.description)")
        }
        let b = entry.box
        if b.x1 < 0 || b.y1 < 0 || b.x2 > Double(image.width) || b.y2 > Double(image.height) {
            throw problem("box [\(format(b.x1)), \(format(b.y1)), \(format(b.x2)), \(format(b.y2))] is outside the \(image.width)x\(image.height) image")
        }
        return (image.width, image.height)
    }
}

/// Wraps a value for use from `concurrentPerform` workers that write disjoint elements.
struct UncheckedSendable<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
