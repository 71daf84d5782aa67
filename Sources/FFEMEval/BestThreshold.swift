// FFEMEval — BestThreshold.swift: the accuracy-maximising threshold on a set of scored pairs.

/// The threshold that classifies a set of pairs best.
///
/// Accuracy of threshold t: `(TP(t) + TN(t)) / n`, with TP the genuine pairs with `score ≥ t` and TN
/// the impostor pairs with `score < t`. Only the m + 1 cuts of the `ScoreLadder` need trying, since
/// any other threshold accepts the same pairs as one of them.
///
/// **Ties**: when several cuts reach the best accuracy, the lower median of their indices is taken (the
/// middle of a plateau of equally good thresholds rather than its edge); the choice is deterministic.
public struct BestThreshold: Sendable, Equatable {
    /// The chosen threshold (a `ScoreLadder` cut: accept when `score ≥ threshold`).
    public var threshold: Double
    /// Accuracy of `threshold` on the pairs it was chosen on, in [0, 1].
    public var accuracy: Double

    public init(threshold: Double, accuracy: Double) {
        self.threshold = threshold
        self.accuracy = accuracy
    }

    /// Searches all cuts of `pairs` (which must not be empty).
    ///
    /// Example: scores genuine {0.9, 0.6}, impostor {0.7, 0.2}: cut 1 (t = 0.8) and cut 3 (t = 0.4) both
    /// classify 3 of 4 pairs, the lower median of {1, 3} is 1, so t = 0.8 with accuracy 0.75.
    ///
    /// - Throws: `MetricError.nonFiniteScore`; `.badFolds` for an empty set.
    public static func search(_ pairs: [ScoredPair]) throws(MetricError) -> BestThreshold {
        guard !pairs.isEmpty else { throw .badFolds("no pairs to choose a threshold on") }
        let ladder = try ScoreLadder(pairs)
        let (acceptedGenuine, acceptedImpostors) = ladder.cumulativeCounts()
        let impostorTotal = acceptedImpostors[ladder.count]
        var bestCorrect = -1
        var bestCuts: [Int] = []
        for cut in 0...ladder.count {
            let correct = acceptedGenuine[cut] + (impostorTotal - acceptedImpostors[cut])
            if correct > bestCorrect {
                bestCorrect = correct
                bestCuts = [cut]
            } else if correct == bestCorrect {
                bestCuts.append(cut)
            }
        }
        let chosen = bestCuts[(bestCuts.count - 1) / 2]
        return BestThreshold(threshold: ladder.threshold(ofCut: chosen), accuracy: Double(bestCorrect) / Double(pairs.count))
    }
}

/// Fraction of `pairs` classified correctly by "same when `score ≥ threshold`" (0 for no pairs).
public func accuracy(of pairs: [ScoredPair], threshold: Double) -> Double {
    guard !pairs.isEmpty else { return 0 }
    let correct = pairs.count(where: { ($0.score >= threshold) == $0.isSame })
    return Double(correct) / Double(pairs.count)
}
