// FFEMEval — VerificationEvaluator.swift: from a pairs protocol and embeddings to a report.

/// Scores a `PairList` with the cosine similarity of embeddings and computes its `VerificationReport`.
/// Where embeddings come from (a float checkpoint, an int8 model, a file) is the caller's business:
/// pass a closure or a dictionary from image path to embedding.
///
/// ```swift
/// let pairs = try PairsFile.load("pairs-heldout.txt")
/// let report = try VerificationEvaluator.evaluate(pairs: pairs) { path in try model.embed(root + "/" + path) }
/// print(report.summary)
/// ```
public enum VerificationEvaluator {
    /// Scores every pair: `score = cos θ` of the L2-normalised embeddings of its two images.
    ///
    /// `embeddingFor` is called exactly once per distinct path, in order of first appearance in the pair
    /// list, so an expensive embedder is never run twice on one image.
    ///
    /// - Throws: whatever `embeddingFor` throws, unchanged; `EvaluationError.embedding` for a zero, empty
    ///   or non-finite embedding, or one whose dimension differs from the first (naming the path).
    public static func scores(for pairs: PairList, embeddingFor: (String) throws -> [Float]) throws -> [ScoredPair] {
        var table = EmbeddingTable()
        for path in pairs.distinctPaths { try table.add(embeddingFor(path), path: path) }
        return table.score(pairs)
    }

    /// Scores every pair from precomputed embeddings (see `scores(for:embeddingFor:)`).
    ///
    /// - Throws: `EvaluationError.embedding(.missing(path:))` for the first path without an embedding,
    ///   and the errors above.
    public static func scores(for pairs: PairList, embeddings: [String: [Float]]) throws(EvaluationError) -> [ScoredPair] {
        var table = EmbeddingTable()
        for path in pairs.distinctPaths {
            guard let embedding = embeddings[path] else { throw .embedding(.missing(path: path)) }
            try table.add(embedding, path: path)
        }
        return table.score(pairs)
    }

    /// Scores the pairs and computes the full report (fold accuracy over the list's folds, ROC, AUC,
    /// EER, TAR at `targetFARs` and VAL at FAR = 1e-3).
    ///
    /// - Throws: as `scores(for:embeddingFor:)`; `EvaluationError.metric` when a class is missing.
    public static func evaluate(pairs: PairList, targetFARs: [Double] = VerificationReport.defaultTargetFARs,
                                embeddingFor: (String) throws -> [Float]) throws -> VerificationReport {
        let scored = try scores(for: pairs, embeddingFor: embeddingFor)
        do {
            return try VerificationReport(scoredPairs: scored, foldCount: pairs.foldCount, source: pairs.sourceName, targetFARs: targetFARs)
        } catch {
            throw EvaluationError.metric(error)
        }
    }

    /// `evaluate(pairs:targetFARs:embeddingFor:)` over precomputed embeddings.
    public static func evaluate(pairs: PairList, targetFARs: [Double] = VerificationReport.defaultTargetFARs,
                                embeddings: [String: [Float]]) throws(EvaluationError) -> VerificationReport {
        let scored = try scores(for: pairs, embeddings: embeddings)
        do {
            return try VerificationReport(scoredPairs: scored, foldCount: pairs.foldCount, source: pairs.sourceName, targetFARs: targetFARs)
        } catch {
            throw .metric(error)
        }
    }
}

/// Unit embeddings by path, all of one dimension.
private struct EmbeddingTable {
    var units: [String: UnitEmbedding] = [:]
    var dimension: Int?

    mutating func add(_ raw: [Float], path: String) throws(EvaluationError) {
        let unit: UnitEmbedding
        do { unit = try UnitEmbedding(raw, path: path) } catch { throw .embedding(error) }
        if let dimension, unit.dimension != dimension {
            throw .embedding(.dimensionMismatch(expected: dimension, found: unit.dimension, path: path))
        }
        dimension = unit.dimension
        units[path] = unit
    }

    /// Every pair's cosine; each path must have been added.
    func score(_ pairs: PairList) -> [ScoredPair] {
        pairs.pairs.map { pair in
            ScoredPair(score: units[pair.path1]!.cosine(units[pair.path2]!), isSame: pair.isSame, fold: pair.fold)
        }
    }
}
