// FFEMEval — TargetFAR.swift: the threshold and true accept rate at a target false accept rate.

/// The operating point for a target false accept rate `f`.
///
/// **Rule (conservative, no interpolation):** the threshold is that of the lowest-threshold ROC vertex
/// whose measured `FAR ≤ f`: of all the thresholds that keep the false accepts within the target on this
/// data, the one that accepts the most genuine pairs. Equal scores are never split, so when a tie
/// straddles the target the whole tie is rejected. TAR@FAR and VAL@FAR (FaceNet) are this vertex's TAR.
///
/// **Interpolated TAR:** additionally, `interpolatedTrueAcceptRate` reads the ROC polyline at exactly
/// `FAR = f`, linearly between the chosen vertex and the next one:
/// `TAR_k + (f − FAR_k)/(FAR_{k+1} − FAR_k) · (TAR_{k+1} − TAR_k)`. It is what a randomised
/// threshold would reach, and it is ≥ the conservative TAR; it is reported for comparison with tools
/// that interpolate, and because with N impostors any f < 1/N leaves the conservative rule no false accept
/// at all.
///
/// Example: 4 impostors at scores {0.9, 0.5, 0.4, 0.1}, 2 genuine at {0.8, 0.45}, f = 0.25: the vertices
/// are (0, 0) t > 0.9, (¼, 0), (¼, ½) t = 0.65, (½, ½), (½, 1), (¾, 1), (1, 1); the last with FAR ≤ ¼ is
/// (¼, ½), so TAR = 0.5 at threshold 0.65, and the interpolated TAR is also 0.5.
public struct TargetFAR: Sendable, Equatable {
    /// The requested false accept rate f.
    public var target: Double
    /// The vertex the conservative rule chose (its FAR ≤ target).
    public var point: OperatingPoint
    /// TAR of the ROC polyline at FAR = target.
    public var interpolatedTrueAcceptRate: Double

    public var threshold: Double { point.threshold }
    public var trueAcceptRate: Double { point.trueAcceptRate }
    public var falseAcceptRate: Double { point.falseAcceptRate }

    /// - Throws: `MetricError.farOutOfRange` unless `0 ≤ target ≤ 1`.
    public init(_ target: Double, on curve: ROCCurve) throws(MetricError) {
        guard target >= 0 && target <= 1 else { throw .farOutOfRange(target) }
        let points = curve.points
        // FAR is non-decreasing along the vertices and vertex 0 has FAR 0, so a last fit exists.
        let k = points.lastIndex { $0.falseAcceptRate <= target }!
        self.target = target
        self.point = points[k]
        if points[k].falseAcceptRate == target || k == points.count - 1 {
            interpolatedTrueAcceptRate = points[k].trueAcceptRate
        } else {
            let (a, b) = (points[k], points[k + 1])
            let fraction = (target - a.falseAcceptRate) / (b.falseAcceptRate - a.falseAcceptRate)
            interpolatedTrueAcceptRate = a.trueAcceptRate + fraction * (b.trueAcceptRate - a.trueAcceptRate)
        }
    }
}
