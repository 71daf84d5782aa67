// ffem-edge — Gallery.swift: enrolled embeddings and the best match of a probe (identification).
import FFEMCore
import FFEMRuntime

/// A gallery file: JSON lines with at least {"name": NAME, "embedding": [E numbers]} (what
/// `ffem-edge enroll` appends). Entries are re-normalised at load, so the score of a probe p
/// (‖p‖ = 1) against entry g is the cosine similarity p·g.
final class Gallery {
    /// Names already quoted and escaped for the output line.
    let quotedNames: [String]
    /// E floats per entry, entry after entry.
    let embeddings: [Float]
    let embeddingSize: Int
    /// Probes scoring ≥ threshold are accepted as the best entry's person.
    let threshold: Float

    init(path: String, embeddingSize: Int, threshold: Float) throws(EdgeError) {
        let reader = try LineReader(path: path, capacity: 1 << 20)
        var names: [String] = []
        var values: [Float] = []
        try reader.forEachJSONLine { (value: JSONValue, place: String) throws(EdgeError) in
            guard let name = value["name"]?.stringValue else { throw .data("\(place): field 'name' must be a string") }
            guard let numbers = value["embedding"]?.arrayValue, numbers.count == embeddingSize else {
                throw .data("\(place): field 'embedding' must hold \(embeddingSize) numbers (the model's embedding size)")
            }
            var entry: [Float] = []
            var norm = 0.0
            for n in numbers {
                guard let v = n.doubleValue, v.isFinite else { throw .data("\(place): 'embedding' has a value that is not a finite number") }
                entry.append(Float(v))
                norm += v * v
            }
            guard norm > 0 else { throw .data("\(place): 'embedding' is all zeros") }
            let scale = Float(1 / norm.squareRoot())
            for v in entry { values.append(v * scale) }
            names.append(JSONText.quoted(name))
        }
        guard !names.isEmpty else { throw .data("\(reader.name): the gallery is empty (enroll someone first)") }
        quotedNames = names
        embeddings = values
        self.embeddingSize = embeddingSize
        self.threshold = threshold
    }

    /// The best entry for `probe` (an L2-normalised embedding) and its cosine score.
    func bestMatch(_ probe: UnsafeBufferPointer<Float>) -> (entry: Int, score: Float) {
        var best = (entry: 0, score: -Float.infinity)
        embeddings.withUnsafeBufferPointer { g in
            for entry in 0..<quotedNames.count {
                var dot: Float = 0
                let base = entry * embeddingSize
                for i in 0..<embeddingSize { dot += probe[i] * g[base + i] }
                if dot > best.score { best = (entry, dot) }
            }
        }
        return best
    }

    /// The threshold to use: `--threshold`, else the model's stored threshold with the lowest
    /// false accept rate; a usage error when there is neither.
    static func threshold(option: Double?, metadata: ModelMetadata) throws(EdgeError) -> Float {
        if let option {
            guard (-1...1).contains(option) else { throw .usage("--threshold: \(option) is outside -1...1 (a cosine)") }
            return Float(option)
        }
        guard let strictest = metadata.thresholds.min(by: { $0.falseAcceptRate < $1.falseAcceptRate }) else {
            throw .usage("the model stores no cosine threshold; give --threshold")
        }
        return strictest.cosine
    }
}
