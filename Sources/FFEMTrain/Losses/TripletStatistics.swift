// FFEMTrain — TripletStatistics.swift: what one triplet-loss step measured (the collapse monitor's input).

/// The loss of one batch and the quantities that show whether the embeddings are collapsing
/// (omoindrot/tensorflow-triplet-loss logs the same: `embedding_mean_norm`, `fraction_positive_triplets`).
/// Distances are in the loss's `TripletDistance` between L2-normalised embeddings.
public struct TripletStatistics: Sendable, Equatable {
    /// L, as defined by the mining mode.
    public var loss: Double
    /// Fraction of the batch's valid triplets with dₐₚ − dₐₙ + α > 0, whatever the mining mode (for
    /// batch-all it is exactly the set the loss averages over). 0 when there is no valid triplet.
    public var activeFraction: Double
    /// Mean dₐₚ over all ordered anchor–positive pairs of the batch (a ≠ p, yₐ = yₚ).
    public var meanPositiveDistance: Double
    /// Mean dₐₙ over all ordered anchor–negative pairs of the batch (yₐ ≠ yₙ).
    public var meanNegativeDistance: Double
    /// Mean dᵢⱼ over all pairs i < j: near 0 when every embedding maps to the same point.
    public var meanPairwiseDistance: Double
    /// Mean ‖xᵢ‖ of the embeddings before the loss normalises them.
    public var meanEmbeddingNorm: Double
    /// Number of valid triplets (a, p, n) in the batch.
    public var validTriplets: Int
    /// Number of terms the loss averages: active triplets (batch-all), anchors (batch-hard),
    /// anchor–positive pairs (semi-hard), N² pair entries (adversarial).
    public var lossTerms: Int

    public init(loss: Double, activeFraction: Double, meanPositiveDistance: Double, meanNegativeDistance: Double,
                meanPairwiseDistance: Double, meanEmbeddingNorm: Double, validTriplets: Int, lossTerms: Int) {
        self.loss = loss
        self.activeFraction = activeFraction
        self.meanPositiveDistance = meanPositiveDistance
        self.meanNegativeDistance = meanNegativeDistance
        self.meanPairwiseDistance = meanPairwiseDistance
        self.meanEmbeddingNorm = meanEmbeddingNorm
        self.validTriplets = validTriplets
        self.lossTerms = lossTerms
    }
}
