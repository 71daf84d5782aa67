// FFEMEval — RecallAtK.swift: identification by cosine nearest neighbour over a labelled set.

/// Recall@k of a labelled embedding set (leave-one-out retrieval, as in the original project's
/// Recall@1): every embedding q in turn is the query and all the others are the gallery, ranked by
/// cosine similarity; q is a hit at k when an embedding of its own label is among the k nearest.
///
/// `Recall@k = (1/|Q|) Σ_{q∈Q} [rank(q) ≤ k]`, where Q is the set of queries whose label has at least
/// one other embedding (the others cannot be hits and are counted in `skippedQueryCount`), and
/// `rank(q) = 1 + #{j ≠ q : label_j ≠ label_q, cos(q, j) ≥ max_{i ≠ q, label_i = label_q} cos(q, i)}`.
/// **Ties** rank against the query: a different-label neighbour exactly as similar as the best
/// same-label one comes first, so a collapsed network (all cosines equal) scores no hits rather than
/// hits by index order.
public struct RecallAtK: Sendable, Equatable {
    /// The k values asked for, in the order asked.
    public var ks: [Int]
    /// Recall@k for each element of `ks`, in [0, 1].
    public var recalls: [Double]
    /// |Q|, the queries that count.
    public var queryCount: Int
    /// Embeddings whose label occurs only once (not queried).
    public var skippedQueryCount: Int

    /// Recall at `k`, if it was computed.
    public func recall(at k: Int) -> Double? {
        ks.firstIndex(of: k).map { recalls[$0] }
    }

    /// Computes Recall@k for each k in `ks` (O(n² · d)).
    ///
    /// - Parameters:
    ///   - embeddings: unit embeddings, all of one dimension.
    ///   - labels: identity of each embedding (same count).
    ///   - ks: the k values, each ≥ 1 (default 1 and 5).
    /// - Throws: `MetricError.badRetrievalInput` for mismatched counts or dimensions, k < 1, or no query
    ///   with a same-label partner.
    public static func evaluate(embeddings: [UnitEmbedding], labels: [Int], ks: [Int] = [1, 5]) throws(MetricError) -> RecallAtK {
        guard embeddings.count == labels.count else {
            throw .badRetrievalInput("\(embeddings.count) embeddings but \(labels.count) labels")
        }
        guard !ks.isEmpty, ks.allSatisfy({ $0 >= 1 }) else {
            throw .badRetrievalInput("every k of Recall@k must be at least 1, got \(ks)")
        }
        if let first = embeddings.first, let odd = embeddings.firstIndex(where: { $0.dimension != first.dimension }) {
            throw .badRetrievalInput("embedding \(odd) has dimension \(embeddings[odd].dimension), embedding 0 has \(first.dimension)")
        }
        var hits = [Int](repeating: 0, count: ks.count)
        var queryCount = 0
        for query in embeddings.indices {
            let similarities = embeddings.indices.map { $0 == query ? -Double.infinity : embeddings[query].cosine(embeddings[$0]) }
            let sameLabel = embeddings.indices.filter { $0 != query && labels[$0] == labels[query] }
            guard let best = sameLabel.map({ similarities[$0] }).max() else { continue }
            queryCount += 1
            let rank = 1 + embeddings.indices.count(where: { $0 != query && labels[$0] != labels[query] && similarities[$0] >= best })
            for (index, k) in ks.enumerated() where rank <= k { hits[index] += 1 }
        }
        guard queryCount > 0 else {
            throw .badRetrievalInput("no label has two embeddings, so no query can find a match")
        }
        return RecallAtK(ks: ks, recalls: hits.map { Double($0) / Double(queryCount) },
                         queryCount: queryCount, skippedQueryCount: embeddings.count - queryCount)
    }

    /// Convenience over raw embeddings: normalises each (see `UnitEmbedding`) and evaluates.
    ///
    /// - Throws: `EmbeddingError` for a zero, empty or non-finite embedding (named by index), then as above
    ///   (wrapped as `EvaluationError`).
    public static func evaluate(rawEmbeddings: [[Float]], labels: [Int], ks: [Int] = [1, 5]) throws(EvaluationError) -> RecallAtK {
        var units: [UnitEmbedding] = []
        units.reserveCapacity(rawEmbeddings.count)
        for (index, raw) in rawEmbeddings.enumerated() {
            do { units.append(try UnitEmbedding(raw, path: "embedding \(index)")) } catch { throw .embedding(error) }
        }
        do { return try evaluate(embeddings: units, labels: labels, ks: ks) } catch { throw .metric(error) }
    }
}
