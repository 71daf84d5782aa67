// FFEMEval — EqualErrorRate.swift: where false accepts and false rejects are equally frequent.

/// The equal error rate: the rate `e` at which `FAR = FRR = e` on the ROC polyline, `FRR = 1 − TAR`.
///
/// Along the vertices `g_k = FAR_k − FRR_k = FAR_k + TAR_k − 1` rises from −1 (cut 0) to +1 (cut m)
/// without ever decreasing; the EER is where the polyline crosses `g = 0`. With `g_{k−1} < 0 ≤ g_k`
/// and `λ = −g_{k−1} / (g_k − g_{k−1})`: `EER = FAR_{k−1} + λ (FAR_k − FAR_{k−1})` (which equals
/// `1 − TAR` at the same point). A perfectly separable set has a vertex at (FAR, TAR) = (0, 1), so EER 0.
///
/// Example: genuine {0.9, 0.6}, impostor {0.7, 0.2}: vertices (0, 0), (0, ½), (½, ½), (½, 1), (1, 1);
/// g = −1, −½, 0, … so the EER is 0.5 at the vertex with threshold 0.65.
public struct EqualErrorRate: Sendable, Equatable {
    /// e, in [0, 1].
    public var rate: Double
    /// The threshold of the vertex nearer the crossing (the one with smaller |g|; on a tie, the
    /// stricter, higher threshold): a deployable threshold close to the EER.
    public var threshold: Double

    public init(on curve: ROCCurve) {
        let points = curve.points
        func g(_ k: Int) -> Double { points[k].falseAcceptRate + points[k].trueAcceptRate - 1 }
        // g(0) = −1 and g(last) = +1, so a first k ≥ 1 with g(k) ≥ 0 exists.
        let k = (1..<points.count).first { g($0) >= 0 }!
        let (before, after) = (g(k - 1), g(k))
        let lambda = after == 0 ? 1 : -before / (after - before)
        rate = points[k - 1].falseAcceptRate + lambda * (points[k].falseAcceptRate - points[k - 1].falseAcceptRate)
        threshold = -before <= after ? points[k - 1].threshold : points[k].threshold
    }
}
