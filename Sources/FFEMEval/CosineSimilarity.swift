// FFEMEval — CosineSimilarity.swift: the verification score.

/// Why an embedding cannot be scored.
public enum EmbeddingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// All components are zero, so the vector has no direction (a collapsed network gives these).
    case zeroVector(path: String?)
    /// A component is NaN or infinite.
    case nonFinite(path: String?)
    /// The embedding is empty.
    case empty(path: String?)
    /// Two embeddings have different lengths.
    case dimensionMismatch(expected: Int, found: Int, path: String?)
    /// No embedding was given for an image the protocol needs.
    case missing(path: String)

    public var description: String {
        func at(_ path: String?) -> String { path.map { "\($0): " } ?? "" }
        switch self {
        case .zeroVector(let path):
            return "\(at(path))the embedding is the zero vector, which has no direction (cosine similarity undefined; has the network collapsed?)"
        case .nonFinite(let path): return "\(at(path))the embedding holds NaN or infinity"
        case .empty(let path): return "\(at(path))the embedding is empty"
        case .dimensionMismatch(let expected, let found, let path):
            return "\(at(path))the embedding has \(found) components, expected \(expected) like the others"
        case .missing(let path): return "\(path): no embedding for this image"
        }
    }
}

/// An embedding scaled to unit Euclidean length, held in `Double`.
public struct UnitEmbedding: Sendable, Equatable {
    /// `v / ‖v‖₂`, so that `Σ components² = 1` up to rounding.
    public let components: [Double]

    /// Normalises `v` to `v / ‖v‖₂`, with `‖v‖₂ = √(Σ vᵢ²)` accumulated in `Double`.
    ///
    /// - Parameter path: names the image in errors.
    /// - Throws: `EmbeddingError.zeroVector` when `‖v‖₂ = 0`, `.nonFinite` for NaN/∞ components,
    ///   `.empty` for an empty vector.
    public init(_ vector: [Float], path: String? = nil) throws(EmbeddingError) {
        guard !vector.isEmpty else { throw .empty(path: path) }
        var sumOfSquares = 0.0
        for value in vector {
            guard value.isFinite else { throw .nonFinite(path: path) }
            sumOfSquares += Double(value) * Double(value)
        }
        guard sumOfSquares > 0 else { throw .zeroVector(path: path) }
        // Squares of any Float, subnormal or huge, are normal Doubles: no scaling needed.
        let norm = sumOfSquares.squareRoot()
        components = vector.map { Double($0) / norm }
    }

    public var dimension: Int { components.count }

    /// Cosine similarity `cos θ = a·b` of two unit embeddings, in [−1, 1] (clamped against rounding).
    ///
    /// - Precondition: equal dimensions (`VerificationEvaluator` checks this with a clear error).
    public func cosine(_ other: UnitEmbedding) -> Double {
        precondition(dimension == other.dimension, "cosine of embeddings of dimension \(dimension) and \(other.dimension)")
        var dot = 0.0
        for index in components.indices { dot += components[index] * other.components[index] }
        return min(1, max(-1, dot))
    }
}

/// Cosine similarity of two raw embeddings: `cos θ = (a·b) / (‖a‖₂ ‖b‖₂)`, computed as the dot product
/// of the L2-normalised vectors.
///
/// Example: `cosineSimilarity([1, 0], [1, 1])` is `1/√2 ≈ 0.7071`.
///
/// - Throws: `EmbeddingError` when either vector is zero, empty or non-finite, or the lengths differ.
public func cosineSimilarity(_ a: [Float], _ b: [Float]) throws(EmbeddingError) -> Double {
    guard a.count == b.count else { throw .dimensionMismatch(expected: a.count, found: b.count, path: nil) }
    return try UnitEmbedding(a).cosine(UnitEmbedding(b))
}
