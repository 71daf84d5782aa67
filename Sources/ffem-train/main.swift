// ffem-train — train a face-embedding network on a CPU (phase 1: classifier pretraining).
import COpenBLAS
import FFEMCLI
import FFEMCore
import FFEMData
import FFEMEval
import FFEMImage
import FFEMTrain
import Foundation

ensureShortOpenBLASSpin()
CommandRunner.main(root: rootCommand, arguments: Array(CommandLine.arguments.dropFirst())) { (arguments: ParsedArguments) throws(CommandError) in
    switch arguments.commandPath.last {
    case "bench": try runBench(arguments)
    case "export-onnx": try runExport(arguments)
    default: try runTraining(arguments)
    }
}

func runTraining(_ arguments: ParsedArguments) throws(CommandError) {
    let configuration = try TrainingConfiguration.from(arguments)
    openblas_set_num_threads(Int32(configuration.threads))
    guard let spec = Architectures.named(configuration.architecture, embeddingSize: configuration.embeddingDim, inputSize: configuration.inputSize) else {
        throw CommandError.usage("--arch '\(configuration.architecture)' is not one of \(Architectures.names.joined(separator: ", "))")
    }
    let dataset: Dataset
    do {
        dataset = try Dataset.load(listFile: configuration.trainFile, imageRoot: configuration.imgRootPath, identityCount: configuration.numIdentity)
        // Decode every image once before training: a damaged file stops the run now, not hours in.
        _ = try DatasetValidator.validate(FolderStore(dataset: dataset), threads: configuration.threads)
    } catch {
        throw CommandError.dataError(error.description)
    }
    let trainer: Trainer
    do {
        trainer = try Trainer(configuration: configuration, spec: spec, store: FolderStore(dataset: dataset))
    } catch {
        throw CommandError.dataError("\(error)")
    }
    print("model: \(spec.name), \(trainer.network.parameterCount) parameters, \(trainer.network.multiplyAdds) multiply-adds per image, embedding \(trainer.network.outputShape.count)")
    if let triplet = trainer.tripletLoss {
        print("phase 2: \(triplet.mining.rawValue) triplet loss, margin \(triplet.margin), \(configuration.identitiesPerBatch)×\(configuration.imagesPerIdentity) batches; \(dataset.entries.count) images, \(trainer.pipeline.batchCount(epoch: 0)) steps per epoch")
    } else {
        print("phase \(configuration.phase): \(configuration.phase == 2 ? configuration.metricLoss ?? configuration.head : configuration.head) head over \(configuration.numIdentity) identities; \(dataset.entries.count) images, \(trainer.pipeline.batchCount(epoch: 0)) steps per epoch")
    }
    let policy = CropPolicy(scale: configuration.cropScale, makesSquare: configuration.cropSquare)
    var lastReport: VerificationReport?
    if let pairsPath = configuration.validPairs {
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
        try FileManager.default.createDirectory(atPath: configuration.outputDir, withIntermediateDirectories: true)
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
        let observer = ConsoleObserver(epochs: configuration.epochs, logPath: FileIO.join(configuration.outputDir, "log.jsonl"))
        trainer.observer = observer
        try trainer.run()
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

func runBench(_ arguments: ParsedArguments) throws(CommandError) {
    let threads = try arguments.int("threads", in: 1...256) ?? 2
    let classes = try arguments.int("classes", in: 2...1_000_000) ?? 1000
    let batch = try arguments.int("batch-size", in: 1...4096) ?? 64
    let steps = try arguments.int("steps", in: 1...100_000) ?? 10
    let name = arguments.string("arch") ?? "mobilefacenet"
    openblas_set_num_threads(Int32(threads))
    guard let spec = Architectures.named(name) else { throw CommandError.usage("--arch '\(name)' is unknown") }
    do {
        let network = try Network(spec: spec, seed: 1, threads: threads)
        var random = SeededRandom(seed: 2)
        let head = ClassificationHead(kind: .softmax, classes: classes, dimension: network.outputShape.count, random: &random)
        var settings = OptimizerSettings()
        settings.kind = .sgd
        let optimizer = Optimizer(settings: settings, parameters: network.parameters + head.parameters)
        let input = FloatBuffer((0..<(batch * spec.input.count)).map { _ in random.nextFloat(in: -1, 1) })
        let labels = (0..<batch).map { _ in Int32(random.nextInt(below: classes)) }
        print("model: \(spec.name), \(network.parameterCount) parameters (+\(head.weight.count + (head.bias?.count ?? 0)) head), \(network.multiplyAdds) multiply-adds per image")
        var timed = 0.0
        for step in 0..<(steps + 2) {
            let start = Date()
            network.forward(input, batch: batch, isTraining: true)
            network.zeroGradients()
            for p in head.parameters { p.gradient.zero() }
            _ = head.loss(embeddings: network.output.pointer, labels: labels, embeddingGradient: network.outputGradient.pointer)
            network.backward(input: input)
            optimizer.step(network.parameters + head.parameters, learningRate: 0.01)
            if step >= 2 { timed += Date().timeIntervalSince(start) }
        }
        print(String(format: "step: %.1f ms (batch %d, %d threads)", timed / Double(steps) * 1000, batch, threads))
        print(String(format: "images/s: %.1f", Double(steps * batch) / timed))
    } catch {
        throw CommandError.failure("\(error)")
    }
}
