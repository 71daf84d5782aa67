// FFEMData — DatasetImport.swift: turning a folder of images plus a box file into a JPEG dataset
// (how `make data` prepares the ORL faces: PGM → JPEG with libjpeg, keys renamed to .jpg).
import FFEMCore
import FFEMImage

public enum DatasetImport {
    /// `path` with its extension replaced by `.jpg`.
    public static func jpegPath(for path: String) -> String {
        let bytes = Array(path.utf8)
        let slash = bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1
        if let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > slash {
            return String(decoding: bytes[..<dot], as: UTF8.self) + ".jpg"
        }
        return path + ".jpg"
    }

    /// Converts every image of `boxes` (an image_list.json over `sourceRoot`) to a JPEG under `outputRoot`,
    /// and writes `outputRoot/image_list.json` with the renamed keys, labels and boxes unchanged.
    public static func convertToJPEG(boxes: Dataset, outputRoot: String, quality: Int,
                                     progress: (Int) -> Void = { _ in }) throws(DatasetErrors) -> Dataset {
        var converted: [DatasetEntry] = []
        var lines: [String] = []
        for (k, entry) in boxes.entries.enumerated() {
            func fail(_ reason: String) -> DatasetErrors {
                DatasetErrors(problems: [DatasetProblem(file: boxes.sourceName, position: entry.position, key: entry.path, reason: reason)], totalCount: 1)
            }
            let target = jpegPath(for: entry.path)
            do {
                let image = try ImageCodecs.read(boxes.imagePath(k)).image
                let jpeg = try ImageCodecs.encodeJPEG(image, quality: quality)
                let destination = FileIO.join(outputRoot, target)
                try FileIO.makeDirectories(FileIO.directory(of: destination))
                try FileIO.writeAtomically(jpeg, to: destination)
            } catch let error as ImageError {
                throw fail(error.description)
            } catch let error as FileError {
                throw fail(error.description)
            } catch {
                throw fail("\(error)")
            }
            converted.append(DatasetEntry(path: target, label: entry.label, box: entry.box))
            let b = entry.box
            lines.append(" \(JSONText.quoted(target)): {\"label\": \(entry.label), \"x1\": \(format(b.x1)), \"y1\": \(format(b.y1)), \"x2\": \(format(b.x2)), \"y2\": \(format(b.y2))}")
            progress(k + 1)
        }
        let listPath = FileIO.join(outputRoot, "image_list.json")
        do {
            try FileIO.writeAtomically("{\n" + lines.joined(separator: ",\n") + "\n}\n", to: listPath)
        } catch {
            throw DatasetErrors(problems: [DatasetProblem(file: listPath, reason: error.description)], totalCount: 1)
        }
        return Dataset(entries: converted, imageRoot: outputRoot, identityCount: boxes.identityCount, sourceName: listPath)
    }

    /// Rewrites a pairs file (`path1 path2 same fold` per line) so that its paths name the JPEGs.
    public static func convertPairs(_ text: String) -> String {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2 {
                out.append(([jpegPath(for: String(fields[0])), jpegPath(for: String(fields[1]))] + fields.dropFirst(2).map(String.init)).joined(separator: " "))
            } else {
                out.append(String(line))
            }
        }
        return out.joined(separator: "\n")
    }
}
