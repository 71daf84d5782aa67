// ffem-eval — one evaluation path for every model kind: float checkpoints and int8 .ffq models.
import FFEMCore
import FFEMData
import FFEMImage
import FFEMRuntime
import FFEMTrain
import Foundation

/// Produces L2-normalised embeddings of dataset entries (optionally averaged with the mirrored crop's).
protocol Embedder {
    func embeddings(store: any SampleStore, indices: [Int], flip: Bool) throws -> [[Float]]
}

/// A float checkpoint through the trainer's network (inference mode).
struct FloatEmbedder: Embedder {
    let network: Network
    let policy: FFEMImage.CropPolicy
    let batchSize: Int

    init(path: String, threads: Int, batchSize: Int) throws {
        let file = try Checkpoint.read(path)
        network = try Network(spec: try Checkpoint.architecture(of: file, path: path), seed: 0, threads: threads)
        try Checkpoint.restore(network.parameters + network.buffers, from: file, path: path)
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data((file.metadata["config"] ?? "{}").utf8))
        policy = FFEMImage.CropPolicy(scale: configuration.cropScale, makesSquare: configuration.cropSquare)
        self.batchSize = batchSize
    }

    func embeddings(store: any SampleStore, indices: [Int], flip: Bool) throws -> [[Float]] {
        try EmbeddingExtractor.embeddings(network: network, store: store, indices: indices, policy: policy, batchSize: batchSize, flip: flip)
    }
}

/// An int8 `.ffq` model through the runtime's interpreter, with the model's own crop policy.
struct Int8Embedder: Embedder {
    let interpreter: Interpreter
    let policy: FFEMImage.CropPolicy
    let side: Int

    init(path: String, threads: Int) throws {
        let model = try FFQReader.read(contentsOf: path)
        interpreter = try Interpreter(model: model, options: InterpreterOptions(threads: threads))
        let stored = model.metadata.cropPolicy
        policy = FFEMImage.CropPolicy(scale: Double(stored.scaleQ16) / 65536, makesSquare: stored.makesSquare)
        side = model.metadata.inputSize
    }

    func embeddings(store: any SampleStore, indices: [Int], flip: Bool) throws -> [[Float]] {
        let loader = SampleLoader(store: store, cropSide: side, policy: policy, augmentation: .none)
        var result: [[Float]] = []
        for index in indices {
            var sum = [Float](repeating: 0, count: interpreter.embedding.count)
            for mirrored in flip ? [false, true] : [false] {
                var random = SeededRandom(seed: 0)
                var crop = try loader.loadCropImage(index, random: &random)
                if mirrored { crop = try crop.crop(box: FaceBox(x1: 0, y1: 0, x2: Double(side), y2: Double(side)), size: side, mirrored: true) }
                crop.pixels.withUnsafeBufferPointer { interpreter.invoke(pixels: $0) }
                for i in 0..<sum.count { sum[i] += interpreter.embedding[i] }
            }
            result.append(EmbeddingExtractor.normalized(sum))
        }
        return result
    }
}
