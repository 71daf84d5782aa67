// ffem-eval — verification and identification figures of a model, through the same code for every model kind.
import COpenBLAS
import FFEMCLI
import FFEMCore
import FFEMData
import FFEMEval
import FFEMImage
import FFEMRuntime
import FFEMTrain
import Foundation

CommandRunner.main(root: rootCommand, arguments: Array(CommandLine.arguments.dropFirst())) { (arguments: ParsedArguments) throws(CommandError) in
    try runEvaluation(arguments)
}

func numbers(_ text: String, option: String) throws(CommandError) -> [Double] {
    var values: [Double] = []
    for part in text.split(separator: ",") {
        guard let value = Double(part.trimmingCharacters(in: .whitespaces)) else { throw CommandError.usage("--\(option): '\(part)' is not a number") }
        values.append(value)
    }
    return values
}

func runEvaluation(_ arguments: ParsedArguments) throws(CommandError) {
    let threads = try arguments.int("threads", in: 1...256) ?? 2
    let batchSize = try arguments.int("batch-size", in: 1...4096) ?? 64
    let fars = try numbers(arguments.string("far") ?? "", option: "far")
    let ks = try numbers(arguments.string("recall-k") ?? "1", option: "recall-k").map { Int($0) }
    guard fars.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw CommandError.usage("--far: every FAR must be in (0, 1]") }
    openblas_set_num_threads(Int32(threads))
    guard let checkpointPath = arguments.string("model") ?? arguments.string("checkpoint") else {
        throw CommandError.usage("missing --model FILE (a .safetensors checkpoint or a .ffq model)")
    }
    let listPath = try arguments.requiredString("list")
    let root = try arguments.requiredString("img-root-path")
    let embedder: any Embedder
    let dataset: Dataset
    do {
        embedder = checkpointPath.hasSuffix(".ffq")
            ? try Int8Embedder(path: checkpointPath, threads: threads)
            : try FloatEmbedder(path: checkpointPath, threads: threads, batchSize: batchSize)
        dataset = try Dataset.load(listFile: listPath, imageRoot: root)
    } catch let error as DatasetErrors {
        throw CommandError.dataError(error.description)
    } catch {
        throw CommandError.dataError("\(error)")
    }
    var position: [String: Int] = [:]
    for (k, entry) in dataset.entries.enumerated() { position[entry.path] = k }
    let store = FolderStore(dataset: dataset)
    let flip = arguments.flag("flip")
    do {
        if let pairsPath = arguments.string("pairs") {
            let format = arguments.string("pairs-format").flatMap { PairsFormat(rawValue: $0.lowercased()) }
            let pairs = try PairsFile.load(pairsPath, format: format)
            var indices: [Int] = []
            for path in pairs.distinctPaths {
                guard let index = position[path] else { throw CommandError.dataError("\(pairsPath): image '\(path)' is not in \(listPath)") }
                indices.append(index)
            }
            let embeddings = try embedder.embeddings(store: store, indices: indices, flip: flip)
            var byPath: [String: [Float]] = [:]
            for (k, path) in pairs.distinctPaths.enumerated() { byPath[path] = embeddings[k] }
            var report = try VerificationEvaluator.evaluate(pairs: pairs, targetFARs: fars, embeddings: byPath)
            report.recall = try RecallAtK.evaluate(rawEmbeddings: embeddings, labels: indices.map { dataset.entries[$0].label }, ks: ks)
            print(report.summary)
            if let path = arguments.string("json") { try FileIO.writeAtomically(report.json(includingROC: true), to: path) }
            if let path = arguments.string("roc") {
                try ROCPlot(title: "ROC — \(pairsPath)", curves: [ROCPlot.Curve(label: checkpointPath, roc: report.roc)]).write(to: path)
                print("ROC plot: \(path)")
            }
        } else {
            let indices = Array(dataset.entries.indices)
            let embeddings = try embedder.embeddings(store: store, indices: indices, flip: flip)
            let recall = try RecallAtK.evaluate(rawEmbeddings: embeddings, labels: dataset.entries.map { $0.label }, ks: ks)
            for k in ks { print(String(format: "Recall@%d: %.4f", k, recall.recall(at: k) ?? 0)) }
        }
    } catch let error as CommandError {
        throw error
    } catch let error as DatasetProblem {
        throw CommandError.dataError(error.description)
    } catch let error as PairsFileError {
        throw CommandError.dataError(error.description)
    } catch {
        throw CommandError.failure("\(error)")
    }
}
