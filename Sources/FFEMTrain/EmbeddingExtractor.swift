// FFEMTrain — EmbeddingExtractor.swift: L2-normalised embeddings of dataset entries (inference mode, no augmentation).
import FFEMCore
import FFEMData
import FFEMImage

public enum EmbeddingExtractor {
    /// Embeddings of `indices` of `store`, each L2-normalised, through the shared crop (no augmentation,
    /// with `policy`), in batches of `batchSize`. Optionally averages with the mirrored crop's embedding.
    public static func embeddings(network: Network, store: any SampleStore, indices: [Int], policy: CropPolicy,
                                  batchSize: Int = 64, flip: Bool = false) throws -> [[Float]] {
        let side = network.spec.input.height
        let loader = SampleLoader(store: store, cropSide: side, policy: policy, augmentation: .none)
        let perImage = side * side * 3
        let input = FloatBuffer(count: batchSize * perImage)
        var crop = [UInt8](repeating: 0, count: perImage)
        var result: [[Float]] = []
        let views = flip ? [false, true] : [false]
        var start = 0
        while start < indices.count {
            let chunk = Array(indices[start..<min(indices.count, start + batchSize)])
            var sums = [[Float]](repeating: [Float](repeating: 0, count: network.outputShape.count), count: chunk.count)
            for mirrored in views {
                for (k, index) in chunk.enumerated() {
                    var random = SeededRandom(seed: 0)
                    try crop.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws in
                        try loader.loadCrop(index, random: &random, into: buffer.baseAddress!)
                    }
                    for i in 0..<perImage {
                        let j = mirrored ? mirroredIndex(i, side: side) : i
                        input[k * perImage + i] = (Float(crop[j]) - 128) / 128
                    }
                }
                let output = network.forward(input, batch: chunk.count, isTraining: false)
                let d = network.outputShape.count
                for k in 0..<chunk.count { for i in 0..<d { sums[k][i] += output[k * d + i] } }
            }
            for vector in sums { result.append(normalized(vector)) }
            start += batchSize
        }
        return result
    }

    /// Index of the horizontally mirrored pixel byte in an RGB24 side×side crop.
    static func mirroredIndex(_ i: Int, side: Int) -> Int {
        let pixel = i / 3, channel = i % 3
        let row = pixel / side, column = pixel % side
        return (row * side + (side - 1 - column)) * 3 + channel
    }

    public static func normalized(_ v: [Float]) -> [Float] {
        var sum: Float = 0
        for x in v { sum += x * x }
        let inverse = 1 / max(sum.squareRoot(), 1e-12)
        return v.map { $0 * inverse }
    }
}
