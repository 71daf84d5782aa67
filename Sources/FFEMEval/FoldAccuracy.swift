// FFEMEval — FoldAccuracy.swift: k-fold best-threshold verification accuracy (the LFW protocol).

/// k-fold cross-validated verification accuracy, as in the LFW protocol (Huang et al. 2007):
/// for each fold f, the threshold is the `BestThreshold` of the pairs of the **other** k − 1 folds, and
/// fold f's accuracy `a_f` is measured with it. Reported: `mean = (1/k) Σ a_f` and the population standard
/// deviation `std = √((1/k) Σ (a_f − mean)²)` (the ORL protocol's choice; LFW's published tables use the
/// standard error instead).
public struct FoldAccuracy: Sendable, Equatable {
    /// One fold's figures.
    public struct Fold: Sendable, Equatable {
        /// 1-based fold number.
        public var fold: Int
        /// Threshold chosen on the other folds.
        public var threshold: Double
        /// Accuracy of that threshold on the other folds (where it was chosen).
        public var trainingAccuracy: Double
        /// Accuracy of that threshold on this fold: the figure that is averaged.
        public var accuracy: Double
        /// Pairs in this fold.
        public var pairCount: Int
    }

    public var folds: [Fold]
    /// Mean of the fold accuracies.
    public var mean: Double
    /// Population standard deviation of the fold accuracies.
    public var standardDeviation: Double

    /// Cross-validates over folds `1...foldCount`.
    ///
    /// - Throws: `MetricError.badFolds` when `foldCount < 2`, a fold is outside `1...foldCount` or
    ///   empty; `.nonFiniteScore`.
    public static func evaluate(_ pairs: [ScoredPair], foldCount: Int) throws(MetricError) -> FoldAccuracy {
        guard foldCount >= 2 else { throw .badFolds("cross-validation needs at least 2 folds, got \(foldCount)") }
        var byFold = [[ScoredPair]](repeating: [], count: foldCount)
        for pair in pairs {
            guard (1...foldCount).contains(pair.fold) else {
                throw .badFolds("fold \(pair.fold) is not in 1...\(foldCount)")
            }
            byFold[pair.fold - 1].append(pair)
        }
        if let empty = byFold.firstIndex(where: { $0.isEmpty }) { throw .badFolds("fold \(empty + 1) has no pairs") }
        var folds: [Fold] = []
        for fold in 1...foldCount {
            let training = pairs.filter { $0.fold != fold }
            let best = try BestThreshold.search(training)
            let test = byFold[fold - 1]
            folds.append(Fold(fold: fold, threshold: best.threshold, trainingAccuracy: best.accuracy,
                              accuracy: accuracy(of: test, threshold: best.threshold), pairCount: test.count))
        }
        let accuracies = folds.map(\.accuracy)
        let mean = accuracies.reduce(0, +) / Double(foldCount)
        let variance = accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(foldCount)
        return FoldAccuracy(folds: folds, mean: mean, standardDeviation: variance.squareRoot())
    }
}
