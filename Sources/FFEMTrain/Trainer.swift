// FFEMTrain — Trainer.swift: phase 1 — classifier pretraining — epoch by epoch, with validation,
// checkpoints, best-model selection, early stopping and guards against NaN/Inf and divergence.
// With a communicator of N > 1 ranks the same loop runs data-parallel (Distributed/): each rank
// trains on its slice of every global batch, rank 0 validates, logs and writes checkpoints.
import FFEMCore
import FFEMData
import FFEMImage
import Foundation

/// What a validation pass reports: the metric that selects the best checkpoint (higher is better)
/// and JSON fields for the log.
public struct ValidationSummary: Sendable {
    public var metric: Double
    public var jsonFields: String
    public var text: String
    public init(metric: Double, jsonFields: String, text: String) {
        self.metric = metric
        self.jsonFields = jsonFields
        self.text = text
    }
}

/// Why training stopped early and could not go on.
public struct TrainingError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reports progress: step updates and per-epoch lines.
public protocol TrainingObserver: AnyObject {
    func stepFinished(epoch: Int, step: Int, of steps: Int, loss: Double, accuracy: Double, imagesPerSecond: Double)
    func epochFinished(_ line: String, text: String)
}

public final class Trainer {
    public let configuration: TrainingConfiguration
    public let network: Network
    /// The classification head (phase 1, and phase 2's margin-head fine-tuning); nil for triplet losses.
    public let head: ClassificationHead?
    /// Phase 2's triplet loss and the monitor that stops a collapsing run.
    public let tripletLoss: TripletLoss?
    public internal(set) var collapseMonitor: CollapseMonitor?
    public let centerLoss: CenterLoss?
    public let optimizer: Optimizer
    public let pipeline: BatchPipeline
    public private(set) var state = TrainingState()
    public var validate: ((Network) throws -> ValidationSummary)?
    public weak var observer: TrainingObserver?
    let schedule: LearningRateSchedule
    let input = FloatBuffer(count: 0)
    /// Un-augmented, unshuffled crops of the training set for BN recalibration.
    let recalibrationPipeline: BatchPipeline
    /// The ranks of a data-parallel job (`SingleProcess` otherwise).
    public let communicator: any Communicator
    /// Sums the network's gradients over the ranks (nil with one rank).
    public let gradientReducer: GradientReducer?
    let dataParallelBuffers = DataParallelBuffers()

    /// Whether epochs end with validation: rank 0 holds the `validate` closure, the other ranks know
    /// from the configuration that it will broadcast a metric.
    var hasValidation: Bool { communicator.size > 1 ? configuration.validPairs != nil : validate != nil }

    public var trainables: [Parameter] { network.parameters + (head?.parameters ?? []) }
    public var lastCheckpointPath: String { FileIO.join(configuration.outputDir, "last.safetensors") }
    public var bestCheckpointPath: String { FileIO.join(configuration.outputDir, "best.safetensors") }

    /// - Parameter communicator: the ranks of a data-parallel job; each then reads `DataShard(rank,
    ///   size)` of every global batch of `configuration.batchSize` and holds one shard of the head.
    public init(configuration: TrainingConfiguration, spec: ModelSpec, store: any SampleStore,
                communicator: any Communicator = SingleProcess()) throws {
        self.configuration = configuration
        self.communicator = communicator
        network = try Network(spec: spec, seed: configuration.seed, threads: configuration.threads)
        var random = SeededRandom(seed: configuration.seed ^ 0x4EAD)
        tripletLoss = try configuration.tripletLoss()
        try configuration.checkDistributed(ranks: communicator.size)
        collapseMonitor = tripletLoss.map { CollapseMonitor(for: $0) }
        head = tripletLoss != nil ? nil : ClassificationHead(kind: try configuration.headKind(), classes: configuration.numIdentity,
                                                             dimension: network.outputShape.count, random: &random,
                                                             communicator: communicator)
        gradientReducer = communicator.size > 1 ? GradientReducer(parameters: network.parameters, communicator: communicator) : nil
        centerLoss = configuration.centerLossWeight > 0 && tripletLoss == nil
            ? CenterLoss(classes: configuration.numIdentity, dimension: network.outputShape.count,
                         weight: configuration.centerLossWeight, alpha: configuration.centerLossAlpha)
            : nil
        optimizer = Optimizer(settings: try configuration.optimizerSettings(), parameters: network.parameters + (head?.parameters ?? []))
        var pipelineConfiguration = PipelineConfiguration()
        pipelineConfiguration.batchSize = configuration.batchSize
        pipelineConfiguration.cropSide = spec.input.height
        pipelineConfiguration.policy = CropPolicy(scale: configuration.cropScale, makesSquare: configuration.cropSquare)
        pipelineConfiguration.augmentation = configuration.augment ? Augmentation() : .none
        pipelineConfiguration.seed = configuration.seed
        pipelineConfiguration.threads = configuration.threads
        pipelineConfiguration.shard = DataShard(rank: communicator.rank, count: communicator.size)
        if tripletLoss != nil {
            // Triplets need several images of each identity in a batch: P × K sampling.
            pipelineConfiguration.sample(with: try PKSampler(store: store, identitiesPerBatch: configuration.identitiesPerBatch,
                                                             imagesPerIdentity: configuration.imagesPerIdentity))
            guard pipelineConfiguration.batchSize % communicator.size == 0 else {
                throw TrainingError("the P×K batch of \(pipelineConfiguration.batchSize) is not divisible by the \(communicator.size) ranks; choose P·K a multiple of the rank count")
            }
        }
        pipeline = BatchPipeline(store: store, configuration: pipelineConfiguration)
        var plain = PipelineConfiguration()
        plain.batchSize = configuration.batchSize
        plain.cropSide = spec.input.height
        plain.policy = pipelineConfiguration.policy
        plain.augmentation = .none
        plain.shuffles = true
        plain.seed = configuration.seed ^ 0xBA7C
        plain.threads = configuration.threads
        recalibrationPipeline = BatchPipeline(store: store, configuration: plain)
        guard pipeline.batchCount(epoch: 0) > 0 else {
            throw TrainingError("\(store.name): \(store.entries.count) images cannot fill one batch of \(configuration.batchSize); lower --batch-size")
        }
        schedule = try configuration.schedule(stepsPerEpoch: pipeline.batchCount(epoch: 0))
    }

    /// Continues from a checkpoint written by this trainer (same architecture, head and optimizer).
    public func resume(from path: String) throws {
        let file = try Checkpoint.read(path)
        guard try Checkpoint.architecture(of: file, path: path) == network.spec else {
            throw TrainingError("\(path): its architecture differs from the configured '\(configuration.architecture)'")
        }
        if communicator.size > 1 {
            try ShardedCheckpoint.restore(self, from: file, path: path)
        } else {
            try Checkpoint.restore(network.parameters + network.buffers + (head?.parameters ?? []) + (centerLoss.map { [$0.centers] } ?? []), from: file, path: path)
            try Checkpoint.restoreOptimizer(optimizer, trainables: trainables, from: file, path: path)
        }
        state = Checkpoint.state(from: file)
    }

    /// Phase hand-over: starts from another run's checkpoint — the network only (`includingHead`
    /// false: the original's `saved_backbone`; the classifier head is dropped) or the whole model
    /// (`checkpoint`; the head must have the same classes and dimension). The architecture must match.
    public func initialize(from path: String, includingHead: Bool) throws {
        let file = try Checkpoint.read(path)
        guard try Checkpoint.architecture(of: file, path: path) == network.spec else {
            throw TrainingError("\(path): its architecture differs from the configured '\(configuration.architecture)'")
        }
        try Checkpoint.restore(network.parameters + network.buffers, from: file, path: path)
        if includingHead {
            guard let head else { throw TrainingError("\(path): --checkpoint loads a head, but a triplet loss has none; use --saved-backbone") }
            if communicator.size > 1 {
                for p in head.parameters where file.tensor(p.name) != nil {
                    try ShardedCheckpoint.restoreRows(p.value, name: p.name, head: head, from: file, path: path)
                }
            } else {
                try Checkpoint.restore(head.parameters, from: file, path: path, required: false)
            }
        }
    }

    /// Loads only network weights (and BN statistics) from a checkpoint, e.g. to evaluate it.
    public static func loadWeights(into network: Network, from path: String) throws {
        let file = try Checkpoint.read(path)
        try Checkpoint.restore(network.parameters + network.buffers, from: file, path: path)
    }

    /// Writes the checkpoint (the whole model, whatever N). Collective with N > 1: every rank calls
    /// it, rank 0 writes.
    public func saveCheckpoint(to path: String) throws {
        if communicator.size > 1 { return try ShardedCheckpoint.save(self, to: path) }
        try saveWholeCheckpoint(to: path)
    }

    func saveWholeCheckpoint(to path: String) throws {
        guard communicator.isRoot else { return }
        try Checkpoint.save(to: path, network: network, head: head, centerLoss: centerLoss, optimizer: optimizer, trainables: trainables,
                            state: state, configuration: configuration, phase: configuration.phase)
    }

    /// The loss of `count` embeddings and its gradient with respect to them: the triplet loss (watched
    /// by the collapse monitor, which stops a collapsing run) in phase 2, the classification head
    /// (its gradients zeroed first) otherwise.
    func embeddingLoss(embeddings: UnsafeMutablePointer<Float>, labels: [Int32], count: Int,
                       embeddingGradient: UnsafeMutablePointer<Float>) throws -> LossResult {
        if let tripletLoss {
            let statistics = tripletLoss.loss(embeddings: embeddings, labels: labels, count: count,
                                              dimension: network.outputShape.count, embeddingGradient: embeddingGradient)
            if let verdict = collapseMonitor?.record(statistics) {
                throw TrainingError("\(verdict.message) (step \(state.step); the last good checkpoint is \(lastCheckpointPath))")
            }
            return LossResult(loss: statistics.loss, accuracy: 1 - statistics.activeFraction)
        }
        let head = head!
        for p in head.parameters { p.gradient.zero() }
        return head.loss(embeddings: embeddings, labels: labels, embeddingGradient: embeddingGradient)
    }

    /// The NaN/Inf guard: a non-finite loss stops the run, naming the last good checkpoint.
    func requireFiniteLoss(_ loss: Double) throws {
        guard loss.isFinite else {
            throw TrainingError("the loss became \(loss) at step \(state.step) (epoch \(state.completedEpochs + 1)); the last good checkpoint is \(lastCheckpointPath). Lower the learning rate (--lr) or enable --gradient-clip.")
        }
    }

    /// One optimisation step on a batch: forward, loss, backward, clip, update. Returns the loss result.
    public func trainStep(_ batch: Batch) throws -> LossResult {
        input.resize(batch.images.count)
        input.copy(from: batch.images)
        network.forward(input, batch: batch.count, isTraining: true, seed: configuration.seed, step: state.step)
        network.zeroGradients()
        if communicator.size > 1 {
            let result = try dataParallelLossAndUpdate(batch)
            optimizer.step(trainables, learningRate: schedule.rate(base: configuration.learningRate, step: state.step) * state.learningRateMultiplier)
            state.step += 1
            return result
        }
        var result = try embeddingLoss(embeddings: network.output.pointer, labels: batch.labels, count: batch.count,
                                       embeddingGradient: network.outputGradient.pointer)
        if let centerLoss {
            result.loss += centerLoss.apply(embeddings: network.output.pointer, labels: batch.labels, embeddingGradient: network.outputGradient.pointer)
        }
        try requireFiniteLoss(result.loss)
        network.backward(input: input, seed: configuration.seed, step: state.step)
        let norm = Optimizer.clipGradients(trainables, maximumNorm: configuration.gradientClip)
        guard norm.isFinite else {
            throw TrainingError("a gradient became \(norm) at step \(state.step); the last good checkpoint is \(lastCheckpointPath). Lower the learning rate (--lr) or enable --gradient-clip.")
        }
        let rate = schedule.rate(base: configuration.learningRate, step: state.step) * state.learningRateMultiplier
        optimizer.step(trainables, learningRate: rate)
        state.step += 1
        return result
    }

    /// Runs the remaining epochs. Writes last.safetensors every epoch and best.safetensors when the
    /// validation metric improves (or every epoch without validation).
    public func run() throws {
        let steps = pipeline.batchCount(epoch: 0)
        var firstLoss: Double? = nil
        let watchdog = communicator.size > 1 && configuration.collectiveTimeout > 0
            ? Watchdog(timeout: configuration.collectiveTimeout, rank: communicator.rank, size: communicator.size) : nil
        defer { watchdog?.stop() }
        while state.completedEpochs < configuration.epochs {
            let epoch = state.completedEpochs
            let iterator = pipeline.batches(epoch: epoch)
            var lossSum = 0.0, accuracySum = 0.0, count = 0
            let start = Date()
            var step = 0
            while let batch = try iterator.next() {
                let result = try trainStep(batch)
                watchdog?.progress()
                lossSum += result.loss
                accuracySum += result.accuracy
                count += 1
                step += 1
                if firstLoss == nil { firstLoss = result.loss }
                let elapsed = Date().timeIntervalSince(start)
                observer?.stepFinished(epoch: epoch + 1, step: step, of: steps, loss: lossSum / Double(count),
                                       accuracy: accuracySum / Double(count), imagesPerSecond: Double(step * configuration.batchSize) / max(elapsed, 1e-9))
            }
            let seconds = Date().timeIntervalSince(start)
            let meanLoss = lossSum / Double(max(count, 1))
            if let firstLoss, meanLoss > 10 * firstLoss + 10 {
                throw TrainingError("the loss is diverging (epoch mean \(meanLoss), first step \(firstLoss)); the last good checkpoint is \(lastCheckpointPath). Lower the learning rate.")
            }
            state.completedEpochs += 1
            try recalibrateBatchNormalization()
            let rate = schedule.rate(base: configuration.learningRate, step: max(state.step - 1, 0)) * state.learningRateMultiplier
            var line = "{\"epoch\": \(state.completedEpochs), \"step\": \(state.step), \"loss\": \(meanLoss), \"accuracy\": \(accuracySum / Double(max(count, 1))), \"lr\": \(rate), \"images_per_second\": \(Double(count * configuration.batchSize) / seconds)"
            var text = "epoch \(state.completedEpochs)/\(configuration.epochs): loss \(format(meanLoss)), train accuracy \(format(accuracySum / Double(max(count, 1)))), \(Int(Double(count * configuration.batchSize) / seconds)) images/s"
            var improved = true
            if hasValidation, state.completedEpochs % max(configuration.validEvery, 1) == 0 || state.completedEpochs == configuration.epochs {
                // Rank 0 validates; every rank applies the same metric to its state.
                var metric = -Double.infinity
                if let validate {
                    let summary = try validate(network)
                    line += ", " + summary.jsonFields
                    text += ", " + summary.text
                    metric = summary.metric
                }
                metric = communicator.broadcast(metric, root: 0)
                improved = metric > state.bestMetric
                if improved {
                    state.bestMetric = metric
                    state.epochsWithoutImprovement = 0
                    state.plateauWait = 0
                } else {
                    state.epochsWithoutImprovement += 1
                    state.plateauWait += 1
                    if configuration.plateauPatience > 0 && state.plateauWait >= configuration.plateauPatience {
                        state.learningRateMultiplier *= configuration.plateauFactor
                        state.plateauWait = 0
                        text += " (plateau: learning rate ×\(configuration.plateauFactor))"
                    }
                }
            }
            line += "}"
            state.history.append(line)
            try saveCheckpoint(to: lastCheckpointPath)
            if improved { try saveCheckpoint(to: bestCheckpointPath) }
            observer?.epochFinished(line, text: text)
            watchdog?.progress()
            if configuration.earlyStoppingPatience > 0 && state.epochsWithoutImprovement >= configuration.earlyStoppingPatience {
                observer?.epochFinished("{\"early_stop\": \(state.completedEpochs)}", text: "early stopping: no improvement in \(configuration.earlyStoppingPatience) validations")
                break
            }
        }
    }

    /// Recalibrates BN statistics over `recalibrationBatches` batches of plain training crops (the
    /// same batches every epoch, so resumed runs stay bit-identical).
    ///
    /// With N ranks, rank 0 alone recalibrates on whole global batches (the others' statistics are
    /// not used: only rank 0 validates and writes checkpoints), so the result does not depend on N;
    /// with recalibration off, the ranks' running statistics are averaged.
    public func recalibrateBatchNormalization() throws {
        guard configuration.recalibrationBatches > 0 else {
            if communicator.size > 1 { averageBatchNormalizationStatistics() }
            return
        }
        guard communicator.isRoot else { return }
        let iterator = recalibrationPipeline.batches(epoch: 0)
        var batches: [(input: FloatBuffer, count: Int)] = []
        while batches.count < configuration.recalibrationBatches, let batch = try iterator.next() {
            batches.append((FloatBuffer(batch.images), batch.count))
        }
        iterator.cancel()
        network.recalibrateBatchNormalization(batches)
    }

    func format(_ v: Double) -> String { String(format: "%.4f", v) }
}
