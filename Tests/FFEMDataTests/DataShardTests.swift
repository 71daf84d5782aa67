// The data-parallel split of every global batch: each sample once per epoch across ranks, and each
// rank's crops identical to the matching slice of one rank's batch.
import FFEMCore
import FFEMData
import FFEMTestSupport
import Foundation
import Testing

@Suite struct DataShardTests {
    @Test(arguments: [(ranks: 1, batch: 6), (ranks: 2, batch: 6), (ranks: 3, batch: 6), (ranks: 4, batch: 8), (ranks: 2, batch: 2)])
    func positionsPartitionEveryGlobalBatch(ranks: Int, batch: Int) {
        // 3 full batches and an incomplete one of `batch − 1` slots.
        let orderCount = 3 * batch + batch - 1
        for number in 0...3 {
            let start = number * batch
            let available = min(batch, orderCount - start)
            var seen: [Int] = []
            for rank in 0..<ranks {
                let slice = DataShard(rank: rank, count: ranks).positions(batchStart: start, batchSize: batch, available: available)
                #expect(slice.count <= batch / ranks)
                seen.append(contentsOf: slice)
            }
            #expect(seen == Array(start..<(start + available)), "batch \(number) of \(ranks) ranks: \(seen)")
        }
    }

    /// Runs one epoch of every rank's pipeline; returns each rank's batches.
    static func epoch(_ store: any SampleStore, ranks: Int, batch: Int, epoch: Int, sampler: PKSampler? = nil) throws -> [[Batch]] {
        try (0..<ranks).map { rank in
            var configuration = PipelineConfiguration()
            configuration.batchSize = batch
            configuration.cropSide = 24
            configuration.seed = 11
            configuration.threads = 1
            if let sampler { configuration.sample(with: sampler) }
            configuration.shard = DataShard(rank: rank, count: ranks)
            let iterator = BatchPipeline(store: store, configuration: configuration).batches(epoch: epoch)
            var batches: [Batch] = []
            while let b = try iterator.next() { batches.append(b) }
            return batches
        }
    }

    @Test(arguments: [2, 3])
    func ranksTogetherReadEverySampleOnceAndTheCropsOfOneRank(ranks: Int) throws {
        let fixture = try DatasetFixture.make(identities: 3, perIdentity: 5)  // 15 images
        defer { fixture.remove() }
        let store = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let batch = 2 * ranks
        for epoch in 0..<2 {
            let one = try Self.epoch(store, ranks: 1, batch: batch, epoch: epoch)[0]
            let parts = try Self.epoch(store, ranks: ranks, batch: batch, epoch: epoch)
            var all: [Int] = []
            for (b, whole) in one.enumerated() {
                let local = batch / ranks, pixels = 24 * 24 * 3
                for rank in 0..<ranks {
                    let part = parts[rank][b]
                    #expect(part.count == local)
                    #expect(part.indices == Array(whole.indices[(rank * local)..<((rank + 1) * local)]))
                    #expect(part.labels == Array(whole.labels[(rank * local)..<((rank + 1) * local)]))
                    #expect(part.images == Array(whole.images[(rank * local * pixels)..<((rank + 1) * local * pixels)]),
                            "epoch \(epoch) batch \(b) rank \(rank): augmented crops differ from one rank's")
                    all.append(contentsOf: part.indices)
                }
            }
            #expect(parts.allSatisfy { $0.count == one.count })
            // Every sample of the full batches exactly once; only the incomplete last batch is left out.
            #expect(Set(all).count == all.count)
            #expect(all.count == (store.entries.count / batch) * batch)
        }
    }

    @Test func pkBatchesSplitIntoWholeIdentityGroupsWhenKDividesTheRankBatch() throws {
        let fixture = try DatasetFixture.make(identities: 6, perIdentity: 4)
        defer { fixture.remove() }
        let store = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let sampler = try PKSampler(store: store, identitiesPerBatch: 4, imagesPerIdentity: 2)  // B = 8, 2 ranks × 4
        let one = try Self.epoch(store, ranks: 1, batch: 8, epoch: 1, sampler: sampler)[0]
        let parts = try Self.epoch(store, ranks: 2, batch: 8, epoch: 1, sampler: sampler)
        #expect(!one.isEmpty)
        var all: [Int] = []
        for (b, whole) in one.enumerated() {
            #expect(parts[0][b].indices + parts[1][b].indices == whole.indices)
            for rank in 0..<2 {
                let labels = parts[rank][b].labels
                // Two whole groups of K = 2 per rank: labels come in equal pairs.
                #expect(labels[0] == labels[1] && labels[2] == labels[3], "rank \(rank) batch \(b): \(labels)")
                all.append(contentsOf: parts[rank][b].indices)
            }
        }
        #expect(Set(all).count == all.count)
    }
}
