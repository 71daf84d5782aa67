import FFEMCore
import FFEMData
import FFEMTestSupport
import Foundation
import Testing
@testable import FFEMTrain

/// Whole training runs on small data: overfitting, exact resume, checkpoint damage.
@Suite(.serialized) struct TrainingRunTests {
    /// A small network for 16×16 crops (same layer kinds as MobileFaceNet).
    static func tinySpec() -> ModelSpec {
        var b = ModelBuilder(name: "tiny", input: Shape(16, 16, 3))
        b.convolutionBlock("stem", kernel: 3, stride: 2, outputChannels: 8, activation: .prelu, from: -1)
        b.invertedResidual("block", inputChannels: 8, expansion: 2, outputChannels: 8, stride: 1, activation: .prelu)
        b.depthwiseBlock("gdc", kernel: 8, stride: 1, activation: nil, padding: .valid)
        b.convolutionBlock("embedding", kernel: 1, stride: 1, outputChannels: 8, activation: nil)
        return b.build()
    }

    static func configuration(_ fixture: DatasetFixture, output: String, epochs: Int) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.trainFile = fixture.listPath
        c.imgRootPath = fixture.root
        c.numIdentity = 2
        c.batchSize = 4
        c.epochs = epochs
        c.inputSize = 16
        c.head = "softmax"
        c.optimizer = "adam"
        c.learningRate = 0.01
        c.lrSchedule = "constant"
        c.outputDir = output
        c.threads = 2
        c.seed = 3
        return c
    }

    static func trainer(_ fixture: DatasetFixture, output: String, epochs: Int, augment: Bool = true) throws -> Trainer {
        var c = configuration(fixture, output: output, epochs: epochs)
        c.augment = augment
        let dataset = try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root, identityCount: 2)
        return try Trainer(configuration: c, spec: tinySpec(), store: FolderStore(dataset: dataset))
    }

    @Test func eightImagesOfTwoIdentitiesOverfitToNearZeroLoss() throws {
        let fixture = try DatasetFixture.make(identities: 2, perIdentity: 4)
        defer { fixture.remove() }
        let trainer = try TrainingRunTests.trainer(fixture, output: fixture.root + "/run", epochs: 1, augment: false)
        let pipeline = BatchPipeline(store: trainer.pipeline.loader.store, configuration: {
            var p = PipelineConfiguration()
            p.batchSize = 8
            p.cropSide = 16
            p.augmentation = .none
            p.shuffles = false
            return p
        }())
        let batch = try #require(try pipeline.batches(epoch: 0).next())
        var last = LossResult(loss: .infinity, accuracy: 0)
        for _ in 0..<150 { last = try trainer.trainStep(batch) }
        #expect(last.loss < 0.05, "loss after 150 steps: \(last.loss)")
        #expect(last.accuracy == 1)
    }

    @Test func resumedRunEndsWithTheSameWeightsBitForBit() throws {
        let fixture = try DatasetFixture.make(identities: 2, perIdentity: 4)
        defer { fixture.remove() }
        let straight = try TrainingRunTests.trainer(fixture, output: fixture.root + "/straight", epochs: 4)
        try straight.run()
        let first = try TrainingRunTests.trainer(fixture, output: fixture.root + "/resumed", epochs: 2)
        try first.run()
        let second = try TrainingRunTests.trainer(fixture, output: fixture.root + "/resumed", epochs: 4)
        try second.resume(from: second.lastCheckpointPath)
        #expect(second.state.completedEpochs == 2)
        try second.run()
        for (a, b) in zip(straight.trainables + straight.network.buffers, second.trainables + second.network.buffers) {
            #expect(a.value.array == b.value.array, "\(a.name) differs after resume")
        }
        #expect(straight.optimizer.stepCount == second.optimizer.stepCount)
    }

    @Test func damagedCheckpointsAreRefusedWithAReason() throws {
        let fixture = try DatasetFixture.make(identities: 2, perIdentity: 2)
        defer { fixture.remove() }
        let trainer = try TrainingRunTests.trainer(fixture, output: fixture.root + "/run", epochs: 1)
        try trainer.saveCheckpoint(to: trainer.lastCheckpointPath)
        let good = try FileIO.read(trainer.lastCheckpointPath)
        let decoded = try Safetensors.decode(good, name: "good")
        #expect(decoded.metadata["format"] == Checkpoint.format)
        #expect(decoded.tensor("stem.conv.weight")?.shape == [8, 3, 3, 3])
        let path = fixture.root + "/damaged.safetensors"
        for cut in [4, 20, good.count - 8] {
            try FileIO.writeAtomically(Array(good.prefix(cut)), to: path)
            #expect(throws: (any Error).self) { try trainer.resume(from: path) }
        }
        var corrupt = good
        corrupt[8] = UInt8(ascii: "#")  // the header's opening brace
        try FileIO.writeAtomically(corrupt, to: path)
        do {
            try trainer.resume(from: path)
            Issue.record("a damaged header was accepted")
        } catch {
            #expect("\(error)".contains("damaged header"))
        }
    }

    @Test func checkpointRoundTripsEveryTensor() throws {
        var file = Safetensors()
        file.add("a", shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        file.add("b", shape: [], values: [7])
        file.metadata = ["k": "v \"quoted\""]
        let decoded = try Safetensors.decode(file.encoded(), name: "t")
        #expect(decoded.tensor("a")?.values == [1, 2, 3, 4, 5, 6] && decoded.tensor("a")?.shape == [2, 3])
        #expect(decoded.tensor("b")?.values == [7])
        #expect(decoded.metadata["k"] == "v \"quoted\"")
        let bytes = file.encoded()
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0 && bytes.count == 8 + headerLength + 7 * 4)
    }
}
