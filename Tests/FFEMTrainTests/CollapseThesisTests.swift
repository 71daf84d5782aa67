import FFEMCore
import FFEMData
import FFEMTestSupport
import Foundation
import Testing
@testable import FFEMTrain

/// The original project's thesis: triplet training from scratch collapses to f(x) = constant,
/// pretraining as a classifier first avoids it — and the collapse detector tells the two apart.
@Suite(.serialized) struct CollapseThesisTests {
    /// A small network whose embedding is a plain linear layer (no final BN, which would hide a collapse).
    static func spec() -> ModelSpec {
        var b = ModelBuilder(name: "tiny", input: Shape(16, 16, 3))
        b.convolutionBlock("stem", kernel: 3, stride: 2, outputChannels: 8, activation: .relu, from: -1)
        b.depthwiseBlock("gdc", kernel: 8, stride: 1, activation: nil, padding: .valid)
        b.add("embedding", .convolution(kernel: 1, stride: 1, padding: .valid, outputChannels: 8, hasBias: true))
        return b.build()
    }

    static func trainer(_ fixture: DatasetFixture, phase: Int, learningRate: Float, epochs: Int, output: String,
                        mining: String = "triplet", decay: Float = 0.0005) throws -> Trainer {
        var c = TrainingRunTests.configuration(fixture, output: output, epochs: epochs)
        c.weightDecay = decay
        c.numIdentity = 4
        c.optimizer = "sgd"
        c.learningRate = learningRate
        c.trainClassifier = phase == 1
        c.metricLoss = phase == 1 ? nil : mining
        c.identitiesPerBatch = 2
        c.imagesPerIdentity = 2
        c.recalibrationBatches = 0
        let dataset = try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root, identityCount: 4)
        return try Trainer(configuration: c, spec: spec(), store: FolderStore(dataset: dataset))
    }

    @Test func tripletTrainingFromScratchAtAHighRateCollapsesAndIsCaught() throws {
        let fixture = try DatasetFixture.make(identities: 4, perIdentity: 4)
        defer { fixture.remove() }
        // SGD at rate 1 (100× the healthy phase-2 rate below), batch-hard triplets, no pretraining.
        let trainer = try CollapseThesisTests.trainer(fixture, phase: 2, learningRate: 1, epochs: 80, output: fixture.root + "/scratch")
        do {
            try trainer.run()
            let recent = trainer.collapseMonitor?.recent.map { "loss \($0.loss) d \($0.meanPairwiseDistance) active \($0.activeFraction) norm \($0.meanEmbeddingNorm)" } ?? []
            Issue.record("the collapsing run finished without the detector firing: \(recent.suffix(4))")
        } catch let error as TrainingError {
            #expect(error.description.contains("collapse"), "\(error)")
            #expect(error.description.contains("pretrain") || error.description.contains("phase 1"), "\(error)")
        }
    }

    @Test func phaseOneThenTripletTrainingDoesNotCollapse() throws {
        let fixture = try DatasetFixture.make(identities: 4, perIdentity: 4)
        defer { fixture.remove() }
        let phase1 = try CollapseThesisTests.trainer(fixture, phase: 1, learningRate: 0.05, epochs: 10, output: fixture.root + "/phase1")
        try phase1.run()
        let phase2 = try CollapseThesisTests.trainer(fixture, phase: 2, learningRate: 0.01, epochs: 10, output: fixture.root + "/phase2")
        try phase2.initialize(from: phase1.lastCheckpointPath, includingHead: false)
        try phase2.run()
        #expect(phase2.collapseMonitor?.collapsedSteps == 0)
        #expect(phase2.state.completedEpochs == 10)
    }
}
