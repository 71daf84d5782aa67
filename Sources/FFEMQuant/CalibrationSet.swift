// FFEMQuant — CalibrationSet.swift: a calibration config (Calibration/*/calibration.json) and its manifest.
import FFEMCore
import FFEMData
import Foundation

/// The settings of a calibration set (format in Calibration/README.md).
public struct CalibrationConfiguration: Codable, Sendable {
    public var name = "calibration"
    public var imageList = ""
    public var imgRootPath = ""
    public var manifest = ""
    public var count: Int? = nil
    public var observer = "percentile"
    public var percentile = 99.99
    public var seed: UInt64 = 1
    public var batchSize = 20
    /// Empirical bias correction after calibration (`BiasCorrection`), on the same images.
    public var biasCorrection = false

    enum CodingKeys: String, CodingKey {
        case name, imageList = "image_list", imgRootPath = "img_root_path", manifest, count, observer, percentile, seed
        case batchSize = "batch_size", biasCorrection = "bias_correction"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? name
        imageList = try c.decode(String.self, forKey: .imageList)
        imgRootPath = try c.decode(String.self, forKey: .imgRootPath)
        manifest = try c.decode(String.self, forKey: .manifest)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        observer = try c.decodeIfPresent(String.self, forKey: .observer) ?? observer
        percentile = try c.decodeIfPresent(Double.self, forKey: .percentile) ?? percentile
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        biasCorrection = try c.decodeIfPresent(Bool.self, forKey: .biasCorrection) ?? biasCorrection
    }

    public var observerKind: Observer? { Observer(name: observer, percentile: percentile) }
}

/// A loaded calibration set: the dataset with the boxes and the indices of the manifest's images.
public struct CalibrationSet {
    public var configuration: CalibrationConfiguration
    public var dataset: Dataset
    public var indices: [Int]

    /// Reads the config, its image list and its manifest; every error names the file (and line).
    public static func load(_ path: String) throws(QuantizationError) -> CalibrationSet {
        let configuration: CalibrationConfiguration
        do {
            let bytes = try FileIO.read(path)
            configuration = try JSONDecoder().decode(CalibrationConfiguration.self, from: Data(bytes))
        } catch let error as FileError {
            throw QuantizationError(error.description)
        } catch let DecodingError.keyNotFound(key, _) {
            throw QuantizationError("\(path): missing key '\(key.stringValue)'")
        } catch {
            throw QuantizationError("\(path): \(error)")
        }
        guard configuration.observerKind != nil else {
            throw QuantizationError("\(path): observer '\(configuration.observer)' is not one of minmax, percentile, mse")
        }
        guard configuration.batchSize > 0 else { throw QuantizationError("\(path): batch_size must be positive") }
        let dataset: Dataset
        do {
            dataset = try Dataset.load(listFile: configuration.imageList, imageRoot: configuration.imgRootPath)
        } catch {
            throw QuantizationError(error.description)
        }
        var position: [String: Int] = [:]
        for (k, entry) in dataset.entries.enumerated() { position[entry.path] = k }
        let text: String
        do {
            text = String(decoding: try FileIO.read(configuration.manifest), as: UTF8.self)
        } catch {
            throw QuantizationError(error.description)
        }
        var indices: [Int] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let index = position[line] else {
                throw QuantizationError("\(configuration.manifest):\(number + 1): '\(line)' has no entry in \(configuration.imageList)")
            }
            indices.append(index)
        }
        guard !indices.isEmpty else { throw QuantizationError("\(configuration.manifest): no images listed") }
        if let count = configuration.count, count < indices.count {
            var random = SeededRandom(seed: configuration.seed)
            indices.seededShuffle(using: &random)
            indices = Array(indices.prefix(count))
        }
        return CalibrationSet(configuration: configuration, dataset: dataset, indices: indices)
    }
}
