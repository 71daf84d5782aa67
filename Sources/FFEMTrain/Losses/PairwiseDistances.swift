// FFEMTrain — PairwiseDistances.swift: distances between L2-normalised embeddings, and their backward pass.

/// The distance the triplet losses compare, between L2-normalised embeddings x̂ = x/‖x‖.
public enum TripletDistance: Equatable, Sendable {
    /// d = ‖x̂ᵢ − x̂ⱼ‖² ∈ [0, 4], as in FaceNet (Schroff et al. 2015, eq. 1).
    case squaredEuclidean
    /// d = ‖x̂ᵢ − x̂ⱼ‖ ∈ [0, 2], as in Hermans et al. 2017 (§2), who found it more stable to optimise than
    /// the squared distance. The square root is made safe at 0 by `PairwiseDistances.safeRoot`.
    case euclidean
}

/// All N×N distances of one batch, computed in float64 from float32 embeddings.
///
/// Forward: x̂ᵢ = xᵢ / max(‖xᵢ‖, 10⁻¹²), sᵢⱼ = ‖x̂ᵢ − x̂ⱼ‖² (summed coordinate-wise, so sᵢᵢ = 0 exactly),
/// dᵢⱼ = sᵢⱼ or safeRoot(sᵢⱼ).
///
/// Backward, for G = ∂L/∂d (N×N): with Hᵢⱼ = Gᵢⱼ·d′(sᵢⱼ) + Gⱼᵢ·d′(sⱼᵢ),
/// ∂L/∂x̂ᵢ = 2 Σⱼ Hᵢⱼ (x̂ᵢ − x̂ⱼ), and through the normalisation ∂L/∂xᵢ = (g − x̂ᵢ⟨g, x̂ᵢ⟩)/‖xᵢ‖.
struct PairwiseDistances {
    /// Below this distance (ε = 10⁻⁶ on the unit sphere) the square root is replaced by its tangent.
    static let rootEpsilon = 1e-6
    /// Floor of ‖x‖ in the normalisation (as in `ClassificationHead.normalizeRows`).
    static let normFloor = 1e-12

    let count: Int
    let dimension: Int
    let distance: TripletDistance
    /// N×D unit rows.
    private(set) var normalized: [Double]
    /// ‖xᵢ‖ before normalisation (floored at `normFloor`).
    private(set) var norms: [Double]
    /// N×N distances dᵢⱼ (dᵢᵢ is never used by a loss).
    private(set) var values: [Double]
    /// N×N slopes ∂dᵢⱼ/∂sᵢⱼ (1 for squared distances).
    private var slopes: [Double]

    /// √s for s ≥ ε², and the tangent at ε², ε/2 + s/(2ε), below it: continuous with a continuous
    /// slope, finite at s = 0 (value ε/2 = 5·10⁻⁷, slope 1/(2ε)). Identical embeddings therefore get a
    /// zero gradient (0 × finite slope) instead of 0 × ∞ = NaN, and near-identical ones a gradient of
    /// norm ≤ 1. The value differs from √s by at most ε/2.
    static func safeRoot(_ s: Double) -> (value: Double, slope: Double) {
        let e = rootEpsilon
        if s >= e * e {
            let root = s.squareRoot()
            return (root, 0.5 / root)
        }
        return (0.5 * e + s / (2 * e), 1 / (2 * e))
    }

    init(embeddings x: UnsafePointer<Float>, count n: Int, dimension d: Int, distance: TripletDistance) {
        count = n
        dimension = d
        self.distance = distance
        normalized = [Double](repeating: 0, count: n * d)
        norms = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = 0.0
            for k in 0..<d { sum += Double(x[i * d + k]) * Double(x[i * d + k]) }
            norms[i] = max(sum.squareRoot(), PairwiseDistances.normFloor)
            for k in 0..<d { normalized[i * d + k] = Double(x[i * d + k]) / norms[i] }
        }
        values = [Double](repeating: 0, count: n * n)
        slopes = [Double](repeating: 1, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                var s = 0.0
                for k in 0..<d {
                    let difference = normalized[i * d + k] - normalized[j * d + k]
                    s += difference * difference
                }
                var value = s, slope = 1.0
                if distance == .euclidean { (value, slope) = PairwiseDistances.safeRoot(s) }
                values[i * n + j] = value
                values[j * n + i] = value
                slopes[i * n + j] = slope
                slopes[j * n + i] = slope
            }
        }
    }

    subscript(i: Int, j: Int) -> Double { values[i * count + j] }

    /// Writes ∂L/∂x (N×D, overwriting) for `distanceGradient` = ∂L/∂d (N×N).
    func backward(distanceGradient g: [Double], into out: UnsafeMutablePointer<Float>) {
        let n = count, d = dimension
        var unitGradient = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for k in 0..<d { unitGradient[k] = 0 }
            for j in 0..<n where j != i {
                let h = g[i * n + j] * slopes[i * n + j] + g[j * n + i] * slopes[j * n + i]
                if h == 0 { continue }
                for k in 0..<d { unitGradient[k] += 2 * h * (normalized[i * d + k] - normalized[j * d + k]) }
            }
            var dot = 0.0
            for k in 0..<d { dot += unitGradient[k] * normalized[i * d + k] }
            for k in 0..<d { out[i * d + k] = Float((unitGradient[k] - normalized[i * d + k] * dot) / norms[i]) }
        }
    }
}
