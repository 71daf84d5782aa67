// FFEMEval — VerificationReport.swift: every verification figure of one evaluation, as a value.

/// The verification figures of a scored pair set: k-fold best-threshold accuracy (mean ± population
/// std), the ROC over all pairs with its AUC and EER, the operating points at target FARs (TAR and the
/// cosine threshold), VAL at FAR = 1e-3, and optionally Recall@k of a labelled set (attach it with
/// `recall`, since it comes from different data: all images, not pairs).
///
/// Render with `json(includingROC:)` or `summary`; plot `roc` with `ROCPlot`.
public struct VerificationReport: Sendable, Equatable {
    /// FARs reported when none are given.
    public static let defaultTargetFARs: [Double] = [1e-4, 1e-3, 1e-2, 1e-1]
    /// The FAR of VAL (LFW/FaceNet convention: VAL@FAR = 10⁻³).
    public static let valFAR = 1e-3

    /// Names the protocol (the pairs file) in renderings.
    public var source: String
    public var pairCount: Int
    public var genuineCount: Int
    public var impostorCount: Int
    public var foldAccuracy: FoldAccuracy
    public var roc: ROCCurve
    public var areaUnderCurve: Double
    public var equalErrorRate: EqualErrorRate
    /// One entry per requested target FAR, in the order requested.
    public var targetFARs: [TargetFAR]
    /// TAR at FAR = `valFAR`, conservative rule (see `TargetFAR`).
    public var val: TargetFAR
    /// Recall@k of a labelled embedding set, when the caller computed one.
    public var recall: RecallAtK?

    /// Computes every figure from scored pairs.
    ///
    /// - Parameters:
    ///   - foldCount: folds are `1...foldCount` (the pair list's).
    ///   - source: a name for the pairs (the pairs file).
    ///   - targetFARs: each in [0, 1].
    /// - Throws: `MetricError` for a missing class, a bad fold, a non-finite score or a FAR out of range.
    public init(scoredPairs: [ScoredPair], foldCount: Int, source: String,
                targetFARs: [Double] = VerificationReport.defaultTargetFARs, recall: RecallAtK? = nil) throws(MetricError) {
        let roc = try ROCCurve(scoredPairs)
        self.source = source
        pairCount = scoredPairs.count
        genuineCount = roc.genuineCount
        impostorCount = roc.impostorCount
        foldAccuracy = try FoldAccuracy.evaluate(scoredPairs, foldCount: foldCount)
        self.roc = roc
        areaUnderCurve = roc.areaUnderCurve
        equalErrorRate = EqualErrorRate(on: roc)
        var points: [TargetFAR] = []
        for far in targetFARs { points.append(try TargetFAR(far, on: roc)) }
        self.targetFARs = points
        val = try TargetFAR(VerificationReport.valFAR, on: roc)
        self.recall = recall
    }

    /// One line per figure, for a terminal:
    /// `accuracy 0.9133 ± 0.0285 (10 folds)`, `AUC 0.9712`, `EER 0.0844 (threshold 0.4312)`,
    /// `TAR 0.6044 @ FAR 0.01 (threshold 0.5671, measured FAR 0.0089)`, …
    public var summary: String {
        var lines = ["\(source): \(pairCount) pairs (\(genuineCount) genuine, \(impostorCount) impostor)"]
        lines.append("accuracy \(decimal(foldAccuracy.mean)) ± \(decimal(foldAccuracy.standardDeviation)) (\(foldAccuracy.folds.count) folds)")
        lines.append("AUC \(decimal(areaUnderCurve))")
        lines.append("EER \(decimal(equalErrorRate.rate)) (threshold \(decimal(equalErrorRate.threshold)))")
        lines.append("VAL \(decimal(val.trueAcceptRate)) @ FAR \(val.target)")
        for point in targetFARs {
            lines.append("TAR \(decimal(point.trueAcceptRate)) @ FAR \(point.target) (threshold \(decimal(point.threshold)), measured FAR \(decimal(point.falseAcceptRate)), interpolated TAR \(decimal(point.interpolatedTrueAcceptRate)))")
        }
        if let recall {
            let figures = zip(recall.ks, recall.recalls).map { "Recall@\($0) \(decimal($1))" }
            lines.append(figures.joined(separator: ", ") + " (\(recall.queryCount) queries)")
        }
        return lines.joined(separator: "\n")
    }
}
