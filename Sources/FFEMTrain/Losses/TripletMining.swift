// FFEMTrain — TripletMining.swift: which triplets of a batch the triplet loss averages over.
import Foundation

/// How `TripletLoss` picks triplets (a, p, n) from a labelled batch. A triplet is valid when a, p, n
/// are distinct, yₐ = yₚ and yₐ ≠ yₙ; its hinge is ℓ(a, p, n) = max(dₐₚ − dₐₙ + α, 0) with margin α.
/// Ties between equal distances go to the lowest batch index.
public enum TripletMining: String, CaseIterable, Equatable, Sendable {
    /// Batch-all (Hermans et al. 2017, §2 "Batch All"): every valid triplet; the loss is the mean hinge over
    /// the *active* triplets (ℓ > 0), L = Σ ℓ / |{ℓ > 0}|, and 0 when none is active.
    case batchAll
    /// Batch-hard (Hermans et al. 2017, §2 "Batch Hard"): per anchor with at least one positive and one negative,
    /// the hardest positive p* = argmaxₚ dₐₚ and the hardest negative n* = argminₙ dₐₙ;
    /// L = mean over those anchors of max(dₐₚ* − dₐₙ* + α, 0).
    ///
    /// The original FFEM's `original_triplet_loss` (shi510/ffem, 2020) additionally set dₐₙ* to 0 whenever
    /// dₐₙ* ≤ dₐₚ*, which removes the push on the negative in exactly the hard cases; FFEM does not copy that.
    case batchHard
    /// Semi-hard (Schroff et al. 2015, §3.2, "FaceNet"): per anchor–positive pair (a, p), the closest
    /// negative farther than the positive, n* = argmin{dₐₙ : dₐₙ > dₐₚ}. When no negative is farther than
    /// the positive, the fallback is the hardest negative n* = argminₙ dₐₙ (TensorFlow Addons'
    /// `triplet_semihard_loss` takes the farthest one instead). L = mean over all pairs (a, p) whose
    /// anchor has a negative of max(dₐₚ − dₐₙ* + α, 0).
    case semiHard
    /// The original FFEM's "adversarial triplet" (shi510/ffem `adversarial_triplet_loss`, 2020): no hinge
    /// and no margin; every anchor–positive pair is pulled by ½·ln(1 + dₐₚ) and every anchor–negative pair
    /// pushed by max(0, −½·ln(0.001 + dₐₙ)), which vanishes once dₐₙ ≥ 0.999. As in the original, the
    /// sum is divided by N² (the mean of the N×N matrix of pair terms, zeros included):
    /// L = (1/N²) Σₐ [Σₚ ½·ln(1 + dₐₚ) + Σₙ max(0, −½·ln(0.001 + dₐₙ))].
    /// The original used the non-squared distance by default and claimed it "does not result in zero loss".
    case adversarial

    /// The ½ in both terms of the adversarial loss.
    static let adversarialWeight = 0.5
    /// The 0.001 inside the adversarial negative logarithm.
    static let adversarialOffset = 0.001

    /// Adds ∂L/∂d into `gradient` (N×N, zeroed by the caller) and returns L and its number of terms.
    func accumulate(distances d: PairwiseDistances, labels: [Int32], margin: Double,
                    gradient: inout [Double]) -> (loss: Double, terms: Int) {
        let n = d.count
        switch self {
        case .batchAll:
            var sum = 0.0
            var active: [(Int, Int, Int)] = []
            for a in 0..<n {
                for p in 0..<n where p != a && labels[p] == labels[a] {
                    for q in 0..<n where labels[q] != labels[a] {
                        let hinge = d[a, p] - d[a, q] + margin
                        if hinge > 0 {
                            sum += hinge
                            active.append((a, p, q))
                        }
                    }
                }
            }
            guard !active.isEmpty else { return (0, 0) }
            let weight = 1 / Double(active.count)
            for (a, p, q) in active {
                gradient[a * n + p] += weight
                gradient[a * n + q] -= weight
            }
            return (sum * weight, active.count)
        case .batchHard:
            var picked: [(Int, Int, Int, Double)] = []
            for a in 0..<n {
                var positive = -1, negative = -1
                for j in 0..<n where j != a {
                    if labels[j] == labels[a] {
                        if positive < 0 || d[a, j] > d[a, positive] { positive = j }
                    } else if negative < 0 || d[a, j] < d[a, negative] {
                        negative = j
                    }
                }
                if positive >= 0 && negative >= 0 { picked.append((a, positive, negative, d[a, positive] - d[a, negative] + margin)) }
            }
            return TripletMining.meanHinge(picked, n: n, gradient: &gradient)
        case .semiHard:
            var picked: [(Int, Int, Int, Double)] = []
            for a in 0..<n {
                var hardest = -1
                for q in 0..<n where labels[q] != labels[a] && (hardest < 0 || d[a, q] < d[a, hardest]) { hardest = q }
                guard hardest >= 0 else { continue }
                for p in 0..<n where p != a && labels[p] == labels[a] {
                    var semiHard = -1
                    for q in 0..<n where labels[q] != labels[a] && d[a, q] > d[a, p] && (semiHard < 0 || d[a, q] < d[a, semiHard]) {
                        semiHard = q
                    }
                    let negative = semiHard >= 0 ? semiHard : hardest
                    picked.append((a, p, negative, d[a, p] - d[a, negative] + margin))
                }
            }
            return TripletMining.meanHinge(picked, n: n, gradient: &gradient)
        case .adversarial:
            let w = TripletMining.adversarialWeight, c = TripletMining.adversarialOffset
            let scale = 1 / Double(n * n)
            var sum = 0.0
            for a in 0..<n {
                for j in 0..<n where j != a {
                    if labels[j] == labels[a] {
                        sum += w * log(1 + d[a, j])
                        gradient[a * n + j] += scale * w / (1 + d[a, j])
                    } else if c + d[a, j] < 1 {
                        sum -= w * log(c + d[a, j])
                        gradient[a * n + j] -= scale * w / (c + d[a, j])
                    }
                }
            }
            return (sum * scale, n * n)
        }
    }

    /// Mean of max(ℓ, 0) over `picked` (a, p, n, ℓ), with ∂/∂dₐₚ = +1/|picked| and ∂/∂dₐₙ = −1/|picked|
    /// where ℓ > 0.
    private static func meanHinge(_ picked: [(Int, Int, Int, Double)], n: Int, gradient: inout [Double]) -> (loss: Double, terms: Int) {
        guard !picked.isEmpty else { return (0, 0) }
        let weight = 1 / Double(picked.count)
        var sum = 0.0
        for (a, p, q, hinge) in picked where hinge > 0 {
            sum += hinge
            gradient[a * n + p] += weight
            gradient[a * n + q] -= weight
        }
        return (sum * weight, picked.count)
    }
}
