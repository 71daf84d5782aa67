// ffem-train — train a face-embedding network on a CPU (phase 1: classifier pretraining).
import COpenBLAS
import FFEMCLI
import FFEMCore
import FFEMData
import FFEMEval
import FFEMImage
import FFEMTrain
import Foundation

ensureOpenBLASEnvironment()
CommandRunner.main(root: rootCommand, arguments: Array(CommandLine.arguments.dropFirst())) { (arguments: ParsedArguments) throws(CommandError) in
    switch arguments.commandPath.last {
    case "bench": try withJobCommunicator { (communicator) throws(CommandError) in try runBench(arguments, communicator: communicator) }
    case "export-onnx": try runExport(arguments)
    default: try withJobCommunicator { (communicator) throws(CommandError) in try runTraining(arguments, communicator: communicator) }
    }
}

/// User + system CPU seconds of this process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// A built-in architecture by name, or a ModelSpec JSON file (as stored in checkpoints).
func architecture(_ configuration: TrainingConfiguration) throws(CommandError) -> ModelSpec {
    if let spec = Architectures.named(configuration.architecture, embeddingSize: configuration.embeddingDim, inputSize: configuration.inputSize) {
        return spec
    }
    guard configuration.architecture.hasSuffix(".json") else {
        throw CommandError.usage("--arch '\(configuration.architecture)' is not one of \(Architectures.names.joined(separator: ", ")) nor a ModelSpec .json file")
    }
    do {
        return try ModelSpec.fromJSON(String(decoding: try FileIO.read(configuration.architecture), as: UTF8.self))
    } catch {
        throw CommandError.dataError("--arch \(configuration.architecture): not a readable ModelSpec JSON file (\(error))")
    }
}

/// The training images: a packed file (`--pack-file`, read by positioned reads: each rank reads only
/// its own samples) or the list file and its image folder. With `validates`, every image is decoded
/// once first, so a damaged file stops the run now, not hours in (rank 0 alone in a data-parallel
/// job; its error ends every rank).
func trainingStore(_ configuration: TrainingConfiguration, validates: Bool) throws(CommandError) -> any SampleStore {
    do {
        let store: any SampleStore
        if let packFile = configuration.packFile {
            let packed = try PackedStore(path: packFile)
            guard packed.identityCount <= configuration.numIdentity else {
                throw CommandError.dataError("\(packFile): holds \(packed.identityCount) identities, more than --num-identity \(configuration.numIdentity)")
            }
            store = packed
        } else {
            store = FolderStore(dataset: try Dataset.load(listFile: configuration.trainFile, imageRoot: configuration.imgRootPath,
                                                          identityCount: configuration.numIdentity))
        }
        if validates { _ = try DatasetValidator.validate(store, threads: configuration.threads) }
        return store
    } catch let error as CommandError {
        throw error
    } catch let error as DatasetErrors {
        throw CommandError.dataError(error.description)
    } catch {
        throw CommandError.dataError("\(error)")
    }
}

func runTraining(_ arguments: ParsedArguments, communicator: any Communicator) throws(CommandError) {
    let configuration = try TrainingConfiguration.from(arguments)
    openblas_set_num_threads(Int32(configuration.threads))
    let spec = try architecture(configuration)
    do {
        try configuration.checkDistributed(ranks: communicator.size)
    } catch {
        throw CommandError.usage("\(error)")
    }
    let store = try trainingStore(configuration, validates: communicator.isRoot)
    let trainer: Trainer
    do {
        trainer = try Trainer(configuration: configuration, spec: spec, store: store, communicator: communicator)
    } catch {
        throw CommandError.dataError("\(error)")
    }
    let print = { (line: String) in printOnRoot(communicator, line) }
    if communicator.size > 1, let head = trainer.head {
        print("data-parallel: \(communicator.size) ranks × \(configuration.batchSize / communicator.size) images of each global batch of \(configuration.batchSize); head sharded: \(head.classes) of \(head.totalClasses) classes per rank; \(trainer.gradientReducer!.bytesPerStep) bytes of gradients all-reduced per step")
    } else if communicator.size > 1 {
        print("data-parallel: \(communicator.size) ranks × \(trainer.pipeline.configuration.batchSize / communicator.size) images of each global P×K batch; \(trainer.gradientReducer!.bytesPerStep) bytes of gradients all-reduced per step")
    }
    let perRankBatch = trainer.pipeline.configuration.batchSize / communicator.size
    if communicator.size > 1 && perRankBatch < 32 && spec.nodes.contains(where: { if case .batchNormalization = $0.operation { return true } else { return false } }) {
        print("note: batch normalisation is per rank and sees only \(perRankBatch) images per step; statistics that small cost accuracy — prefer 32 or more per rank (docs/DISTRIBUTED.md)")
    }
    print("model: \(spec.name), \(trainer.network.parameterCount) parameters, \(trainer.network.multiplyAdds) multiply-adds per image, embedding \(trainer.network.outputShape.count)")
    if let triplet = trainer.tripletLoss {
        print("phase 2: \(triplet.mining.rawValue) triplet loss, margin \(triplet.margin), \(configuration.identitiesPerBatch)×\(configuration.imagesPerIdentity) batches; \(store.entries.count) images, \(trainer.pipeline.batchCount(epoch: 0)) steps per epoch")
    } else {
        print("phase \(configuration.phase): \(configuration.phase == 2 ? configuration.metricLoss ?? configuration.head : configuration.head) head over \(configuration.numIdentity) identities; \(store.entries.count) images, \(trainer.pipeline.batchCount(epoch: 0)) steps per epoch")
    }
    let policy = CropPolicy(scale: configuration.cropScale, makesSquare: configuration.cropSquare)
    var lastReport: VerificationReport?
    if let pairsPath = configuration.validPairs, communicator.isRoot {
        do {
            let validation = try PairValidation(pairsPath: pairsPath, listFile: configuration.validFile ?? configuration.trainFile,
                                                imageRoot: configuration.validImgRootPath ?? configuration.imgRootPath, policy: policy)
            trainer.validate = { network in
                let (summary, report) = try validation.run(network)
                lastReport = report
                return summary
            }
        } catch {
            throw CommandError.dataError("\(error)")
        }
    }
    do {
        if communicator.isRoot { try FileManager.default.createDirectory(atPath: configuration.outputDir, withIntermediateDirectories: true) }
        if configuration.resume {
            guard FileIO.exists(trainer.lastCheckpointPath) else {
                throw CommandError.usage("--resume: no checkpoint at \(trainer.lastCheckpointPath)")
            }
            try trainer.resume(from: trainer.lastCheckpointPath)
            print("resumed from \(trainer.lastCheckpointPath) after epoch \(trainer.state.completedEpochs)")
        } else if let path = configuration.savedBackbone ?? configuration.checkpoint {
            try trainer.initialize(from: path, includingHead: configuration.checkpoint != nil)
            print("phase \(configuration.phase) starts from \(path) (\(configuration.checkpoint != nil ? "whole model" : "backbone only"))")
        }
        let observer = communicator.isRoot ? ConsoleObserver(epochs: configuration.epochs, logPath: FileIO.join(configuration.outputDir, "log.jsonl")) : nil
        trainer.observer = observer
        try trainer.run()
        guard communicator.isRoot else { return }
        let plotPath = FileIO.join(configuration.outputDir, "training.svg")
        try FileIO.writeAtomically(TrainingPlot.svg(history: trainer.state.history), to: plotPath)
        if let report = lastReport {
            try FileIO.writeAtomically(report.json(includingROC: false), to: FileIO.join(configuration.outputDir, "validation.json"))
            print(String(format: "held-out verification: %.4f ± %.4f (10-fold), AUC %.4f, Recall@1 %.3f", report.foldAccuracy.mean,
                         report.foldAccuracy.standardDeviation, report.areaUnderCurve, report.recall?.recall(at: 1) ?? 0))
        }
        print("checkpoints: \(trainer.lastCheckpointPath), \(trainer.bestCheckpointPath); plot: \(plotPath)")
    } catch let error as CommandError {
        throw error
    } catch let error as TrainingError {
        throw CommandError.failure(error.description)
    } catch let error as SafetensorsError {
        throw CommandError.dataError(error.description)
    } catch {
        throw CommandError.failure("\(error)")
    }
}

/// Training throughput on random input. Under `mpirun -np N` every rank runs B/N images of each
/// global batch of B and the gradients (network and the replicated softmax head) are all-reduced
/// as in training; rank 0 reports the global images/s and the all-reduce's share.
func runBench(_ arguments: ParsedArguments, communicator: any Communicator) throws(CommandError) {
    let threads = try arguments.int("threads", in: 1...256) ?? 2
    let classes = try arguments.int("classes", in: 2...1_000_000) ?? 1000
    let globalBatch = try arguments.int("batch-size", in: 1...4096) ?? 64
    let steps = try arguments.int("steps", in: 1...100_000) ?? 10
    let name = arguments.string("arch") ?? "mobilefacenet"
    let ranks = communicator.size
    guard globalBatch % ranks == 0 else {
        throw CommandError.usage("--batch-size \(globalBatch) is not divisible by the \(ranks) ranks")
    }
    let batch = globalBatch / ranks
    openblas_set_num_threads(Int32(threads))
    guard let spec = Architectures.named(name) else { throw CommandError.usage("--arch '\(name)' is unknown") }
    do {
        let network = try Network(spec: spec, seed: 1, threads: threads)
        var random = SeededRandom(seed: 2)
        let head = ClassificationHead(kind: .softmax, classes: classes, dimension: network.outputShape.count, random: &random)
        var settings = OptimizerSettings()
        settings.kind = .sgd
        let optimizer = Optimizer(settings: settings, parameters: network.parameters + head.parameters)
        let reducer = ranks > 1 ? GradientReducer(parameters: network.parameters + head.parameters, communicator: communicator) : nil
        let input = FloatBuffer((0..<(batch * spec.input.count)).map { _ in random.nextFloat(in: -1, 1) })
        let labels = (0..<batch).map { _ in Int32(random.nextInt(below: classes)) }
        printOnRoot(communicator, "model: \(spec.name), \(network.parameterCount) parameters (+\(head.weight.count + (head.bias?.count ?? 0)) head), \(network.multiplyAdds) multiply-adds per image")
        var timed = 0.0, waited = 0.0, reduced = 0.0, cpuStart = 0.0
        for step in 0..<(steps + 2) {
            if step == 2 { cpuStart = processCPUSeconds() }
            let start = Date()
            network.forward(input, batch: batch, isTraining: true)
            network.zeroGradients()
            for p in head.parameters { p.gradient.zero() }
            _ = head.loss(embeddings: network.output.pointer, labels: labels, embeddingGradient: network.outputGradient.pointer)
            network.backward(input: input)
            if let reducer {
                // Waiting for the slowest rank (load imbalance) and the all-reduce itself, timed apart.
                let arrived = Date()
                communicator.barrier()
                let ready = Date()
                reducer.reduce()
                if step >= 2 {
                    waited += ready.timeIntervalSince(arrived)
                    reduced += Date().timeIntervalSince(ready)
                }
            }
            optimizer.step(network.parameters + head.parameters, learningRate: 0.01)
            if step >= 2 { timed += Date().timeIntervalSince(start) }
        }
        // The slowest rank sets the pace: report the largest time (and the largest CPU time).
        var slowest = [Float(timed), Float(processCPUSeconds() - cpuStart)]
        communicator.allreduceMax(&slowest)
        timed = Double(slowest[0])
        // CPU seconds (user + system, all threads) of the busiest process per step: on a loaded
        // machine wall time includes time spent descheduled; CPU time does not.
        printOnRoot(communicator, String(format: "cpu: %.1f ms per step (busiest process, all its threads)", Double(slowest[1]) / Double(steps) * 1000))
        printOnRoot(communicator, String(format: "step: %.1f ms (batch %d, %d threads)", timed / Double(steps) * 1000, globalBatch, threads))
        if let reducer {
            printOnRoot(communicator, String(format: "ranks: %d × %d images, %d threads each; all-reduce %d bytes per step: %.2f ms per step on rank 0 (%.2f %% of the step), waiting for the slowest rank %.2f ms",
                                             ranks, batch, threads, reducer.bytesPerStep, reduced / Double(steps) * 1000, 100 * reduced / timed, waited / Double(steps) * 1000))
            // The all-reduce alone, back to back after a barrier: the communication cost without compute.
            communicator.barrier()
            let before = reducer.seconds, repeats = 20
            for _ in 0..<repeats { reducer.reduce() }
            let each = (reducer.seconds - before) / Double(repeats)
            printOnRoot(communicator, String(format: "all-reduce alone: %.2f ms for %d bytes (%.2f GB/s of gradient per rank)",
                                             each * 1000, reducer.bytesPerStep, Double(reducer.bytesPerStep) / each / 1e9))
        }
        printOnRoot(communicator, String(format: "images/s: %.1f", Double(steps * globalBatch) / timed))
    } catch {
        throw CommandError.failure("\(error)")
    }
}
