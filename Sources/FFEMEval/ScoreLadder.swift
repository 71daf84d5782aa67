// FFEMEval — ScoreLadder.swift: distinct scores, high to low, with the pairs at each, and the
// thresholds that cut between them. The ROC and the best-threshold search both walk it.

/// The distinct scores `u₀ > u₁ > … > u_{m−1}` of a pair set with, for each, how many genuine and
/// impostor pairs have exactly that score.
///
/// **Cut k** (k = 0…m) accepts the pairs of the k highest scores, that is every pair with
/// `score ≥ t_k`, where
/// - `t_0 = u₀.nextUp` (accepts nothing),
/// - `t_k = (u_{k−1} + u_k) / 2` for 0 < k < m (the midpoint of the gap, so the threshold does not sit
///   on a score; when the gap is too narrow for a midpoint, `u_{k−1}`),
/// - `t_m = u_{m−1}` (accepts everything).
///
/// Equal scores are never split: all pairs tied at a score are accepted or rejected together.
public struct ScoreLadder: Sendable {
    /// Distinct scores, strictly decreasing.
    public let scores: [Double]
    /// Genuine and impostor pairs at each distinct score.
    public let genuineCounts: [Int]
    public let impostorCounts: [Int]

    /// - Throws: `MetricError.nonFiniteScore` for a NaN or infinite score.
    public init(_ pairs: [ScoredPair]) throws(MetricError) {
        if let bad = pairs.firstIndex(where: { !$0.score.isFinite }) { throw .nonFiniteScore(index: bad) }
        let sorted = pairs.sorted { $0.score > $1.score }
        var scores: [Double] = []
        var genuine: [Int] = []
        var impostor: [Int] = []
        for pair in sorted {
            if scores.last != pair.score {
                scores.append(pair.score)
                genuine.append(0)
                impostor.append(0)
            }
            if pair.isSame { genuine[genuine.count - 1] += 1 } else { impostor[impostor.count - 1] += 1 }
        }
        self.scores = scores
        self.genuineCounts = genuine
        self.impostorCounts = impostor
    }

    /// m, the number of distinct scores; cuts run 0...m.
    public var count: Int { scores.count }

    /// The threshold `t_k` of cut k (see the type's documentation).
    public func threshold(ofCut k: Int) -> Double {
        precondition((0...count).contains(k), "cut \(k) is not in 0...\(count)")
        precondition(count > 0, "no scores")
        if k == 0 { return scores[0].nextUp }
        if k == count { return scores[count - 1] }
        let (upper, lower) = (scores[k - 1], scores[k])
        let midpoint = lower + (upper - lower) / 2
        return midpoint > lower && midpoint <= upper ? midpoint : upper
    }

    /// Accepted genuine and impostor pairs at every cut: element k counts the pairs of cut k, so both
    /// arrays have m + 1 elements and start at 0.
    public func cumulativeCounts() -> (genuine: [Int], impostor: [Int]) {
        var genuine = [0]
        var impostor = [0]
        for index in scores.indices {
            genuine.append(genuine[index] + genuineCounts[index])
            impostor.append(impostor[index] + impostorCounts[index])
        }
        return (genuine, impostor)
    }
}
