// FFEMData — DataShard.swift: which part of every global batch one rank of a data-parallel job reads.

/// Rank `rank` of `count` ranks reads slice `rank` of every global batch.
///
/// **Rule.** The epoch order is global: it depends only on (dataset, seed, epoch), never on the
/// number of ranks (the pipeline's seeded shuffle, or a `PKSampler`'s P×K order). Global batch b
/// holds order positions b·B ..< (b+1)·B; rank r reads positions b·B + r·B/N ..< b·B + (r+1)·B/N.
/// So across ranks every sample of the epoch's full batches is read exactly once (the incomplete
/// last batch is dropped for every rank alike), and a sample's augmentation — drawn from the stream
/// of its global position — is the same whatever N is: N ranks see exactly the crops one rank would.
///
/// **P×K batches (phase 2).** A P×K batch is P groups of K consecutive positions; when K divides
/// B/N each rank reads P/N whole identity groups, otherwise a group spans two ranks. Either way the
/// triplet loss is mined over the whole global batch (the trainer gathers the embeddings), so the
/// split only decides who computes which embeddings.
public struct DataShard: Sendable, Equatable {
    public var rank: Int
    public var count: Int
    public init(rank: Int, count: Int) {
        precondition(count >= 1 && rank >= 0 && rank < count, "shard \(rank) of \(count)")
        self.rank = rank
        self.count = count
    }

    /// The whole batch: one rank.
    public static let whole = DataShard(rank: 0, count: 1)

    /// The positions this shard reads of a batch that starts at `start` and holds `batchSize`
    /// slots of which `available` exist (fewer in an incomplete last batch).
    /// - Precondition: `batchSize` is divisible by `count` (checked where the batch size is set).
    public func positions(batchStart start: Int, batchSize: Int, available: Int) -> Range<Int> {
        let local = batchSize / count
        let lower = min(rank * local, available), upper = min((rank + 1) * local, available)
        return (start + lower)..<(start + upper)
    }
}
