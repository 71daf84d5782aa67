// FFEMEval — ROCCurve.swift: the receiver operating characteristic over all pairs, and its area.

/// One threshold's outcome on a pair set.
public struct OperatingPoint: Sendable, Equatable {
    /// Accept when `score ≥ threshold`.
    public var threshold: Double
    /// False accept rate `FAR = FP / N`: accepted impostors over all N impostors.
    public var falseAcceptRate: Double
    /// True accept rate `TAR = TP / P`: accepted genuine pairs over all P genuine pairs (VAL in FaceNet's
    /// terms, 1 − FRR).
    public var trueAcceptRate: Double
    /// TP and FP.
    public var acceptedGenuine: Int
    public var acceptedImpostors: Int
}

/// The exact ROC of a pair set: one vertex per `ScoreLadder` cut, from (FAR, TAR) = (0, 0) at cut 0
/// to (1, 1) at cut m, joined by straight segments. A segment across a tie (genuine and impostor
/// pairs at the same score) is diagonal: its points are the outcomes of accepting a random fraction
/// of the tied pairs.
public struct ROCCurve: Sendable, Equatable {
    /// Vertices in order of decreasing threshold (non-decreasing FAR and TAR).
    public let points: [OperatingPoint]
    /// P and N.
    public let genuineCount: Int
    public let impostorCount: Int

    /// - Throws: `MetricError.noGenuinePairs` / `.noImpostorPairs` when a class is missing;
    ///   `.nonFiniteScore`.
    public init(_ pairs: [ScoredPair]) throws(MetricError) {
        let ladder = try ScoreLadder(pairs)
        let (acceptedGenuine, acceptedImpostors) = ladder.cumulativeCounts()
        let positives = acceptedGenuine[ladder.count]
        let negatives = acceptedImpostors[ladder.count]
        guard positives > 0 else { throw .noGenuinePairs }
        guard negatives > 0 else { throw .noImpostorPairs }
        points = (0...ladder.count).map { cut in
            OperatingPoint(threshold: ladder.threshold(ofCut: cut),
                           falseAcceptRate: Double(acceptedImpostors[cut]) / Double(negatives),
                           trueAcceptRate: Double(acceptedGenuine[cut]) / Double(positives),
                           acceptedGenuine: acceptedGenuine[cut], acceptedImpostors: acceptedImpostors[cut])
        }
        genuineCount = positives
        impostorCount = negatives
    }

    /// Area under the curve by the trapezoid rule over all vertices:
    /// `AUC = Σ_k (FAR_{k+1} − FAR_k) · (TAR_k + TAR_{k+1}) / 2`.
    ///
    /// It equals the Mann–Whitney statistic `U / (P·N)`, the probability that a random genuine pair
    /// scores above a random impostor pair with ties counted as ½:
    /// `U = #{(g, i) : s_g > s_i} + ½ #{(g, i) : s_g = s_i}`. Summed in integers
    /// (`2U = Σ ΔFP · (TP_k + TP_{k+1})`), so it is exact up to the final division.
    public var areaUnderCurve: Double {
        var twiceU = 0
        for k in 0..<(points.count - 1) {
            let deltaFP = points[k + 1].acceptedImpostors - points[k].acceptedImpostors
            twiceU += deltaFP * (points[k].acceptedGenuine + points[k + 1].acceptedGenuine)
        }
        return Double(twiceU) / (2 * Double(genuineCount) * Double(impostorCount))
    }
}
