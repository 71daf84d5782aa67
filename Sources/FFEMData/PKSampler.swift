// FFEMData — PKSampler.swift: batches of P identities × K images for the triplet losses.
import FFEMCore

/// Why a dataset cannot be sampled in P×K batches.
public enum PKSamplingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer than P identities have at least K images.
    case tooFewIdentities(dataset: String, identitiesPerBatch: Int, imagesPerIdentity: Int, qualifying: Int, identities: Int)
    /// P < 2 or K < 2: a batch would hold no negative (P) or no positive (K).
    case invalidShape(identitiesPerBatch: Int, imagesPerIdentity: Int)

    public var description: String {
        switch self {
        case let .tooFewIdentities(dataset, p, k, qualifying, identities):
            let advice = qualifying >= 2 ? "lower P to \(qualifying) or less, lower K," : "lower K"
            return "\(dataset): cannot fill one P×K batch: P = \(p) identities × K = \(k) images needs \(p) identities "
                + "with at least \(k) images each, but only \(qualifying) of \(identities) identities qualify; "
                + "\(advice) or add images"
        case let .invalidShape(p, k):
            return "P×K sampling needs P ≥ 2 identities (for negatives) and K ≥ 2 images per identity (for positives), got P = \(p), K = \(k)"
        }
    }
}

/// P×K sampling (Hermans et al. 2017, §2): every batch holds P distinct identities with K images each,
/// so every anchor has K − 1 positives and (P − 1)·K negatives.
///
/// **Eligibility.** Identities with at least K images take part; identities with fewer are skipped, not
/// padded by sampling with replacement: a repeated image would be a positive that differs from its
/// anchor only by augmentation (distance ≈ 0, a free triplet), and would over-weight small identities.
/// `skippedIdentities` counts them.
///
/// **Epoch order.** With the pipeline's epoch stream `SeededRandom(seed: seed ^ 0x5EED_5EED, stream: epoch)`:
/// 1. each eligible identity's images are shuffled and cut into ⌊count/K⌋ groups of K (the count mod K
///    left over sit out this epoch);
/// 2. all groups are shuffled together;
/// 3. groups fill batches first-fit: each goes into the oldest open batch that lacks its identity, or
///    opens a new one; a batch is emitted when it holds P groups; batches still open at the end are dropped.
///
/// Every image appears at most once per epoch and, because each epoch reshuffles, every image of an
/// eligible identity takes part over the epochs. The order depends only on (seed, epoch); augmentation
/// still uses the pipeline's per-position streams, so batches do not depend on the thread count.
///
///     var configuration = PipelineConfiguration()
///     configuration.sample(with: try PKSampler(store: store, identitiesPerBatch: 16, imagesPerIdentity: 4))
public struct PKSampler: EpochOrderProvider, Equatable {
    /// P.
    public let identitiesPerBatch: Int
    /// K.
    public let imagesPerIdentity: Int
    /// Entry indices of each eligible identity, in dataset order; identities in ascending label order.
    public let pools: [[Int]]
    /// Identities with 1 ..< K images, left out.
    public let skippedIdentities: Int

    /// P·K entries per batch.
    public var batchSize: Int { identitiesPerBatch * imagesPerIdentity }

    /// - Parameters:
    ///   - labels: the identity label of every dataset entry, in entry order.
    ///   - dataset: a name for messages (the list or packed file).
    /// - Throws: `PKSamplingError` when P or K is below 2 or fewer than P identities have K images.
    public init(labels: [Int], identitiesPerBatch p: Int, imagesPerIdentity k: Int, dataset: String) throws(PKSamplingError) {
        guard p >= 2 && k >= 2 else { throw .invalidShape(identitiesPerBatch: p, imagesPerIdentity: k) }
        var byLabel: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        let eligible = byLabel.keys.sorted().compactMap { byLabel[$0]!.count >= k ? byLabel[$0]! : nil }
        guard eligible.count >= p else {
            throw .tooFewIdentities(dataset: dataset, identitiesPerBatch: p, imagesPerIdentity: k,
                                    qualifying: eligible.count, identities: byLabel.count)
        }
        identitiesPerBatch = p
        imagesPerIdentity = k
        pools = eligible
        skippedIdentities = byLabel.count - eligible.count
    }

    /// A sampler over the entries of `store`.
    public init(store: any SampleStore, identitiesPerBatch p: Int, imagesPerIdentity k: Int) throws(PKSamplingError) {
        try self.init(labels: store.entries.map { $0.label }, identitiesPerBatch: p, imagesPerIdentity: k, dataset: store.name)
    }

    /// The entry order of `epoch`: whole batches of P×K, identity groups of K consecutive entries.
    public func order(epoch: Int, seed: UInt64) -> [Int] {
        let k = imagesPerIdentity
        var random = SeededRandom(seed: seed ^ 0x5EED_5EED, stream: UInt64(epoch))
        var groups: [(identity: Int, entries: ArraySlice<Int>)] = []
        for (identity, pool) in pools.enumerated() {
            var images = pool
            images.seededShuffle(using: &random)
            for start in stride(from: 0, through: images.count - k, by: k) {
                groups.append((identity, images[start..<(start + k)]))
            }
        }
        groups.seededShuffle(using: &random)
        var open: [[(identity: Int, entries: ArraySlice<Int>)]] = []
        var order: [Int] = []
        for group in groups {
            if let slot = open.firstIndex(where: { batch in !batch.contains { $0.identity == group.identity } }) {
                open[slot].append(group)
                if open[slot].count == identitiesPerBatch {
                    for member in open.remove(at: slot) { order.append(contentsOf: member.entries) }
                }
            } else {
                open.append([group])
            }
        }
        return order
    }

    /// Number of P×K batches in `epoch`.
    public func batchCount(epoch: Int, seed: UInt64) -> Int {
        order(epoch: epoch, seed: seed).count / batchSize
    }
}

extension PipelineConfiguration {
    /// Makes batches from `sampler`'s epoch order: batch size P·K, incomplete batches dropped.
    public mutating func sample(with sampler: PKSampler) {
        orderProvider = sampler
        batchSize = sampler.batchSize
        dropsLast = true
    }
}
