import FFEMCore
import FFEMTestSupport
import Testing
@testable import FFEMData

/// P×K sampling: batch composition, determinism, coverage, errors, and batches through the pipeline.
@Suite struct PKSamplerTests {
    /// Entry i has label labels[i]: identity sizes 5, 4, 4, 3, 6, 1, 2, 7 in interleaved order.
    static let labels: [Int] = {
        let sizes = [5, 4, 4, 3, 6, 1, 2, 7]
        var remaining = sizes, labels: [Int] = []
        while remaining.contains(where: { $0 > 0 }) {
            for identity in remaining.indices where remaining[identity] > 0 {
                labels.append(identity)
                remaining[identity] -= 1
            }
        }
        return labels
    }()

    func sampler(p: Int = 3, k: Int = 3) throws -> PKSampler {
        try PKSampler(labels: PKSamplerTests.labels, identitiesPerBatch: p, imagesPerIdentity: k, dataset: "toy.json")
    }

    @Test(arguments: [(2, 2), (3, 3), (4, 2), (2, 5)])
    func everyBatchHoldsPDistinctIdentitiesTimesKImages(_ shape: (Int, Int)) throws {
        let (p, k) = shape
        let sampler = try sampler(p: p, k: k)
        for epoch in 0..<6 {
            let order = sampler.order(epoch: epoch, seed: 11)
            #expect(!order.isEmpty && order.count % (p * k) == 0)
            #expect(Set(order).count == order.count, "epoch \(epoch) repeats an image")
            for start in stride(from: 0, to: order.count, by: p * k) {
                let groups = stride(from: start, to: start + p * k, by: k).map { g in order[g..<(g + k)].map { PKSamplerTests.labels[$0] } }
                #expect(groups.allSatisfy { Set($0).count == 1 }, "epoch \(epoch): \(groups)")
                #expect(Set(groups.map { $0[0] }).count == p, "epoch \(epoch): identities repeat in \(groups)")
            }
        }
    }

    @Test func identitiesWithFewerThanKImagesAreSkipped() throws {
        let sampler = try sampler(p: 3, k: 4)
        // Sizes 5, 4, 4, 3, 6, 1, 2, 7: identities 3, 5 and 6 have fewer than 4 images.
        #expect(sampler.skippedIdentities == 3)
        #expect(sampler.pools.count == 5)
        let used = Set((0..<20).flatMap { sampler.order(epoch: $0, seed: 2) }.map { PKSamplerTests.labels[$0] })
        #expect(used == [0, 1, 2, 4, 7])
    }

    @Test func theOrderDependsOnlyOnSeedAndEpoch() throws {
        let a = try sampler(), b = try sampler()
        #expect(a.order(epoch: 3, seed: 7) == b.order(epoch: 3, seed: 7))
        #expect(a.order(epoch: 3, seed: 7) != a.order(epoch: 4, seed: 7))
        #expect(a.order(epoch: 3, seed: 7) != a.order(epoch: 3, seed: 8))
    }

    @Test func everyImageOfAnEligibleIdentityTakesPartOverTheEpochs() throws {
        let sampler = try sampler(p: 3, k: 2)
        let eligible = Set(PKSamplerTests.labels.indices.filter { PKSamplerTests.labels[$0] != 5 })
        var seen = Set<Int>()
        for epoch in 0..<30 { seen.formUnion(sampler.order(epoch: epoch, seed: 1)) }
        #expect(seen == eligible)
        // 14 groups of 2 from 7 identities make at most 4 batches of 3; first-fit leaves at most one short.
        #expect((0..<10).allSatisfy { sampler.batchCount(epoch: $0, seed: 1) >= 3 })
    }

    @Test func tooFewQualifyingIdentitiesIsAnErrorNamingDatasetPKAndTheCount() {
        do {
            _ = try PKSampler(labels: PKSamplerTests.labels, identitiesPerBatch: 4, imagesPerIdentity: 6, dataset: "orl-train.json")
            Issue.record("P = 4, K = 6 was accepted with only 2 identities of ≥ 6 images")
        } catch {
            #expect(error == .tooFewIdentities(dataset: "orl-train.json", identitiesPerBatch: 4, imagesPerIdentity: 6, qualifying: 2, identities: 8))
            let text = error.description
            for phrase in ["orl-train.json", "P = 4", "K = 6", "only 2 of 8 identities qualify", "lower P to 2 or less"] {
                #expect(text.contains(phrase), "\(text) lacks \(phrase)")
            }
        }
        #expect(throws: PKSamplingError.invalidShape(identitiesPerBatch: 1, imagesPerIdentity: 4)) {
            try PKSampler(labels: PKSamplerTests.labels, identitiesPerBatch: 1, imagesPerIdentity: 4, dataset: "toy.json")
        }
        #expect(throws: PKSamplingError.invalidShape(identitiesPerBatch: 4, imagesPerIdentity: 1)) {
            try PKSampler(labels: PKSamplerTests.labels, identitiesPerBatch: 4, imagesPerIdentity: 1, dataset: "toy.json")
        }
    }

    func pipelineBatches(_ store: any SampleStore, threads: Int, epoch: Int) throws -> [Batch] {
        var configuration = PipelineConfiguration()
        configuration.cropSide = 32
        configuration.threads = threads
        configuration.seed = 21
        configuration.sample(with: try PKSampler(store: store, identitiesPerBatch: 2, imagesPerIdentity: 2))
        let pipeline = BatchPipeline(store: store, configuration: configuration)
        let iterator = pipeline.batches(epoch: epoch)
        var batches: [Batch] = []
        while let batch = try iterator.next() { batches.append(batch) }
        #expect(batches.count == pipeline.batchCount(epoch: epoch))
        return batches
    }

    @Test func thePipelineBuildsPKBatchesIdenticallyWhateverTheThreadCount() throws {
        let fixture = try DatasetFixture.make(identities: 3, perIdentity: 4)
        defer { fixture.remove() }
        let store = FolderStore(dataset: try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root))
        let one = try pipelineBatches(store, threads: 1, epoch: 2)
        let three = try pipelineBatches(store, threads: 3, epoch: 2)
        #expect(!one.isEmpty)
        for batch in one {
            #expect(batch.count == 4)
            #expect(batch.labels[0] == batch.labels[1] && batch.labels[2] == batch.labels[3] && batch.labels[0] != batch.labels[2])
        }
        #expect(one.map { $0.indices } == three.map { $0.indices })
        #expect(one.map { $0.images } == three.map { $0.images })
    }
}
