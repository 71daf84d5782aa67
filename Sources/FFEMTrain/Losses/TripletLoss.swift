// FFEMTrain — TripletLoss.swift: the phase-2 metric loss on labelled, L2-normalised embeddings.

/// Triplet loss (Schroff et al. 2015, "FaceNet", eq. 1–2; Hermans et al. 2017, "In Defense of the Triplet
/// Loss for Person Re-Identification"):
///
///     ℓ(a, p, n) = max(d(x̂ₐ, x̂ₚ) − d(x̂ₐ, x̂ₙ) + α, 0),   x̂ = x/‖x‖,
///
/// averaged over the triplets chosen by `mining` (see `TripletMining`; the adversarial variant replaces ℓ).
/// The loss normalises the embeddings itself and back-propagates through the normalisation, so the
/// network's embedding layer feeds it directly.
///
/// - `margin` α: 0.2 by default (FaceNet §4; the original FFEM's `original_triplet_loss`).
/// - `distance`: squared or non-squared Euclidean; the non-squared root is safe at 0
///   (`PairwiseDistances.safeRoot`, ε = 10⁻⁶).
///
/// Batches should hold P identities × K images (`PKSampler`): with K ≥ 2 every anchor has a positive.
///
///     let loss = TripletLoss(mining: .batchHard, margin: 0.2, distance: .euclidean)
///     let statistics = loss.loss(embeddings: x, labels: y, count: 64, dimension: 128, embeddingGradient: g)
public struct TripletLoss: Equatable, Sendable {
    public var mining: TripletMining
    /// α, in the units of `distance`. Unused by `.adversarial` except for `TripletStatistics.activeFraction`.
    public var margin: Float
    public var distance: TripletDistance

    public init(mining: TripletMining = .batchHard, margin: Float = 0.2, distance: TripletDistance = .euclidean) {
        self.mining = mining
        self.margin = margin
        self.distance = distance
    }

    /// The loss of one batch.
    ///
    /// - Parameters:
    ///   - embeddings: `count` × `dimension` floats, row-major, not normalised.
    ///   - labels: `count` identity labels.
    ///   - embeddingGradient: receives ∂L/∂embeddings (`count` × `dimension`, overwritten).
    /// - Returns: the loss and the collapse indicators of this batch.
    public func loss(embeddings: UnsafePointer<Float>, labels: [Int32], count: Int, dimension: Int,
                     embeddingGradient: UnsafeMutablePointer<Float>) -> TripletStatistics {
        precondition(labels.count == count, "triplet loss: \(labels.count) labels for \(count) embeddings")
        precondition(count > 0 && dimension > 0, "triplet loss: empty batch (\(count) × \(dimension))")
        let distances = PairwiseDistances(embeddings: embeddings, count: count, dimension: dimension, distance: distance)
        var gradient = [Double](repeating: 0, count: count * count)
        let (value, terms) = mining.accumulate(distances: distances, labels: labels, margin: Double(margin), gradient: &gradient)
        distances.backward(distanceGradient: gradient, into: embeddingGradient)
        var statistics = TripletLoss.measure(distances, labels: labels, margin: Double(margin))
        statistics.loss = value
        statistics.lossTerms = terms
        return statistics
    }

    /// Everything in `TripletStatistics` except the loss and its term count.
    static func measure(_ d: PairwiseDistances, labels: [Int32], margin: Double) -> TripletStatistics {
        let n = d.count
        var positiveSum = 0.0, negativeSum = 0.0, pairSum = 0.0
        var positives = 0, negatives = 0, valid = 0, active = 0
        for a in 0..<n {
            for j in 0..<n where j != a {
                if labels[j] == labels[a] {
                    positiveSum += d[a, j]
                    positives += 1
                } else {
                    negativeSum += d[a, j]
                    negatives += 1
                }
                if j > a { pairSum += d[a, j] }
            }
            for p in 0..<n where p != a && labels[p] == labels[a] {
                for q in 0..<n where labels[q] != labels[a] {
                    valid += 1
                    if d[a, p] - d[a, q] + margin > 0 { active += 1 }
                }
            }
        }
        let normSum = d.norms.reduce(0, +)
        return TripletStatistics(loss: 0, activeFraction: valid > 0 ? Double(active) / Double(valid) : 0,
                                 meanPositiveDistance: positives > 0 ? positiveSum / Double(positives) : 0,
                                 meanNegativeDistance: negatives > 0 ? negativeSum / Double(negatives) : 0,
                                 meanPairwiseDistance: n > 1 ? pairSum / Double(n * (n - 1) / 2) : 0,
                                 meanEmbeddingNorm: normSum / Double(n), validTriplets: valid, lossTerms: 0)
    }
}
