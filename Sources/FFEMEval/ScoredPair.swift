// FFEMEval — ScoredPair.swift: a verification pair reduced to what the metrics need.

/// A pair's similarity score, its ground truth and its fold. Every metric in FFEMEval is a pure
/// function of a list of these, so they apply to any score (cosine of float or int8 embeddings, or a
/// hand-made set in a test).
///
/// Decision rule everywhere: a pair is **accepted** (declared "same person") when `score ≥ threshold`.
public struct ScoredPair: Sendable, Equatable {
    /// Higher means more alike; for FFEM the cosine similarity of the two embeddings.
    public var score: Double
    /// `true` for a genuine pair, `false` for an impostor pair.
    public var isSame: Bool
    /// 1-based fold (use 1 when folds do not matter).
    public var fold: Int

    public init(score: Double, isSame: Bool, fold: Int = 1) {
        self.score = score
        self.isSame = isSame
        self.fold = fold
    }
}

/// Why metrics cannot be computed from a set of scores.
public enum MetricError: Error, Sendable, Equatable, CustomStringConvertible {
    /// FAR needs impostor pairs, TAR genuine ones.
    case noGenuinePairs
    case noImpostorPairs
    /// A score is NaN or infinite (at this index of the list).
    case nonFiniteScore(index: Int)
    /// A target false accept rate outside [0, 1].
    case farOutOfRange(Double)
    /// Fold cross-validation needs every fold in 1...foldCount present, and at least 2 folds.
    case badFolds(String)
    /// Recall@k needs k ≥ 1 and as many labels as embeddings.
    case badRetrievalInput(String)

    public var description: String {
        switch self {
        case .noGenuinePairs: return "no genuine (same identity) pairs: the true accept rate is undefined"
        case .noImpostorPairs: return "no impostor (different identity) pairs: the false accept rate is undefined"
        case .nonFiniteScore(let index): return "score \(index) is NaN or infinite"
        case .farOutOfRange(let far): return "target false accept rate \(far) is not in [0, 1]"
        case .badFolds(let reason): return reason
        case .badRetrievalInput(let reason): return reason
        }
    }
}
