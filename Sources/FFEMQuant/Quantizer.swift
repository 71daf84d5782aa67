// FFEMQuant — Quantizer.swift: checkpoint network + calibration set → integer plan (the whole PTQ flow).
import FFEMCore
import FFEMData
import FFEMImage
import FFEMRuntime
import FFEMTrain

/// Crops of dataset entries as the network sees them: float batches (p − 128)/128 and the bytes.
public struct CropSource {
    public let loader: SampleLoader
    public var side: Int { loader.cropSide }

    public init(store: any SampleStore, side: Int, policy: FFEMImage.CropPolicy) {
        loader = SampleLoader(store: store, cropSide: side, policy: policy, augmentation: .none)
    }

    /// The RGB24 crop bytes of entry `index`.
    public func pixels(_ index: Int) throws -> [UInt8] {
        var random = SeededRandom(seed: 0)
        return try loader.loadCropImage(index, random: &random).pixels
    }

    /// A float batch of the entries `indices`.
    public func batch(_ indices: ArraySlice<Int>) throws -> FloatBuffer {
        let perImage = side * side * 3
        let buffer = FloatBuffer(count: indices.count * perImage)
        for (k, index) in indices.enumerated() {
            let bytes = try pixels(index)
            for i in 0..<perImage { buffer[k * perImage + i] = (Float(bytes[i]) - 128) / 128 }
        }
        return buffer
    }
}

public enum Quantizer {
    /// Folds `network`, calibrates it on `calibration` with `observer` and returns the integer plan.
    public static func plan(network: Network, crops: CropSource, calibration: CalibrationSet, observer: Observer,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> (FoldedGraph, QuantizedPlan) {
        let graph = try FoldedGraph.fold(network)
        var calibrator = Calibrator(network: network, graph: graph)
        let batchSize = calibration.configuration.batchSize
        var batches: [(FloatBuffer, Int)] = []
        var start = 0
        while start < calibration.indices.count {
            let slice = calibration.indices[start..<min(calibration.indices.count, start + batchSize)]
            batches.append((try crops.batch(slice), slice.count))
            start += batchSize
        }
        for (k, (buffer, count)) in batches.enumerated() {
            calibrator.observe(batch: buffer, count: count, histogramPass: false)
            progress(k + 1, 2 * batches.count)
        }
        for (k, (buffer, count)) in batches.enumerated() {
            calibrator.observe(batch: buffer, count: count, histogramPass: true)
            progress(batches.count + k + 1, 2 * batches.count)
        }
        return (graph, try QuantizedPlan.make(graph, activations: calibrator.quantizations(observer)))
    }
}
