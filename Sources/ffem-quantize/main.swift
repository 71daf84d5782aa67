// ffem-quantize — post-training quantization of a float checkpoint into an integer-only .ffq model.
import COpenBLAS
import FFEMCLI
import FFEMCore
import FFEMData
import FFEMEval
import FFEMImage
import FFEMQuant
import FFEMRuntime
import FFEMTrain
import Foundation

CommandRunner.main(root: rootCommand, arguments: Array(CommandLine.arguments.dropFirst())) { (arguments: ParsedArguments) throws(CommandError) in
    do {
        try runQuantization(arguments)
    } catch let error as CommandError {
        throw error
    } catch let error as QuantizationError {
        throw CommandError.dataError(error.description)
    } catch let error as DatasetProblem {
        throw CommandError.dataError(error.description)
    } catch let error as SafetensorsError {
        throw CommandError.dataError(error.description)
    } catch let error as FFQError {
        throw CommandError.dataError("\(error)")
    } catch let error as PairsFileError {
        throw CommandError.dataError(error.description)
    } catch {
        throw CommandError.failure("\(error)")
    }
}

func runQuantization(_ arguments: ParsedArguments) throws {
    let threads = try arguments.int("threads", in: 1...256) ?? 2
    openblas_set_num_threads(Int32(threads))
    let checkpointPath = try arguments.requiredString("model")
    let output = try arguments.requiredString("output")
    let calibration = try CalibrationSet.load(try arguments.requiredString("calib"))
    var observer = calibration.configuration.observerKind!
    if let name = arguments.string("observer") {
        guard let chosen = Observer(name: name, percentile: calibration.configuration.percentile) else {
            throw CommandError.usage("--observer '\(name)' is not one of minmax, percentile, mse")
        }
        observer = chosen
    }
    let file = try Checkpoint.read(checkpointPath)
    let network = try Network(spec: try Checkpoint.architecture(of: file, path: checkpointPath), seed: 0, threads: threads)
    try Checkpoint.restore(network.parameters + network.buffers, from: file, path: checkpointPath)
    let training = try JSONDecoder().decode(TrainingConfiguration.self, from: Data((file.metadata["config"] ?? "{}").utf8))
    let policy = FFEMImage.CropPolicy(scale: training.cropScale, makesSquare: training.cropSquare)
    let side = network.spec.input.height
    print("model: \(network.spec.name) from \(checkpointPath); calibration: \(calibration.configuration.name), \(calibration.indices.count) images, observer \(observer)")

    var progress = ProgressReporter(label: "calibrate", total: 1)
    let crops = CropSource(store: FolderStore(dataset: calibration.dataset), side: side, policy: policy)
    var (graph, plan) = try Quantizer.plan(network: network, crops: crops, calibration: calibration, observer: observer) { done, total in
        if done == 1 { progress = ProgressReporter(label: "calibrate", total: total) }
        progress.update(done)
    }
    let correctsBias = arguments.flag("bias-correction") || calibration.configuration.biasCorrection
    if correctsBias {
        let (corrected, corrections) = try BiasCorrection.apply(to: plan, network: network, graph: graph, crops: crops,
                                                               indices: calibration.indices)
        plan = corrected
        let changed = corrections.values.reduce(0) { $0 + $1.filter { $0 != 0 }.count }
        print("bias correction: \(corrections.count) layers, \(changed) int32 biases changed")
    }
    let runtimePolicy = FFEMRuntime.CropPolicy(scaleQ16: policy.scaleQ16, makesSquare: policy.makesSquare)
    var metadata = ModelMetadata(inputSize: side, cropPolicy: runtimePolicy)
    var model = try plan.model(metadata: metadata)
    let interpreter = try Interpreter(model: model, options: InterpreterOptions(threads: 1))

    // The report: held-out pair images when given, else the calibration images.
    var reportJSON: [String: Any] = ["checkpoint": checkpointPath, "calibration": calibration.configuration.name, "observer": "\(observer)",
                                     "bias_correction": correctsBias]
    if let pairsPath = arguments.string("pairs") {
        let pairs = try PairsFile.load(pairsPath)
        let evalDataset = try Dataset.load(listFile: arguments.string("eval-list") ?? calibration.configuration.imageList,
                                           imageRoot: arguments.string("eval-img-root-path") ?? calibration.configuration.imgRootPath)
        var position: [String: Int] = [:]
        for (k, entry) in evalDataset.entries.enumerated() { position[entry.path] = k }
        let indices = try pairs.distinctPaths.map { path -> Int in
            guard let index = position[path] else { throw QuantizationError("\(pairsPath): '\(path)' has no box in the evaluation list") }
            return index
        }
        let evalCrops = CropSource(store: FolderStore(dataset: evalDataset), side: side, policy: policy)
        let (report, floats, int8s) = try QuantizationReport.measure(network: network, graph: graph, plan: plan, interpreter: interpreter,
                                                                      crops: evalCrops, indices: indices)
        var floatByPath: [String: [Float]] = [:], int8ByPath: [String: [Float]] = [:]
        for (k, path) in pairs.distinctPaths.enumerated() {
            floatByPath[path] = floats[k]
            int8ByPath[path] = int8s[k]
        }
        let floatReport = try VerificationEvaluator.evaluate(pairs: pairs, targetFARs: [1e-2, 1e-3], embeddings: floatByPath)
        let int8Report = try VerificationEvaluator.evaluate(pairs: pairs, targetFARs: [1e-2, 1e-3], embeddings: int8ByPath)
        print(report.text)
        print(String(format: "verification (%@): float %.4f ± %.4f (AUC %.4f), int8 %.4f ± %.4f (AUC %.4f)", pairsPath,
                     floatReport.foldAccuracy.mean, floatReport.foldAccuracy.standardDeviation, floatReport.areaUnderCurve,
                     int8Report.foldAccuracy.mean, int8Report.foldAccuracy.standardDeviation, int8Report.areaUnderCurve))
        metadata.thresholds = int8Report.targetFARs.map { CosineThreshold(falseAcceptRate: Float($0.target), cosine: Float($0.threshold)) }
        for t in metadata.thresholds { print(String(format: "int8 cosine threshold at FAR %.0e: %.4f", t.falseAcceptRate, t.cosine)) }
        model = try plan.model(metadata: metadata)
        reportJSON["layers"] = report.layerSQNR.map { ["name": $0.name, "sqnr_db": $0.decibels.isFinite ? $0.decibels : 999] }
        reportJSON["cosine_mean"] = report.meanCosine
        reportJSON["cosine_min"] = report.minimumCosine
        reportJSON["float_verification"] = try JSONSerialization.jsonObject(with: Data(floatReport.json().utf8))
        reportJSON["int8_verification"] = try JSONSerialization.jsonObject(with: Data(int8Report.json().utf8))
        reportJSON["thresholds"] = metadata.thresholds.map { ["far": Double($0.falseAcceptRate), "cosine": Double($0.cosine)] }
    } else {
        let (report, _, _) = try QuantizationReport.measure(network: network, graph: graph, plan: plan, interpreter: interpreter,
                                                             crops: crops, indices: calibration.indices)
        print(report.text)
        print("(measured on the calibration images: pass --pairs for held-out figures and thresholds)")
        reportJSON["layers"] = report.layerSQNR.map { ["name": $0.name, "sqnr_db": $0.decibels.isFinite ? $0.decibels : 999] }
        reportJSON["cosine_mean"] = report.meanCosine
        reportJSON["cosine_min"] = report.minimumCosine
    }
    let bytes = try FFQWriter.serialize(model)
    try FileIO.makeDirectories(FileIO.directory(of: output))
    try FileIO.writeAtomically(bytes, to: output)
    let reportPath = arguments.isGiven("report") ? arguments.string("report")! : output + ".report.json"
    let json = try JSONSerialization.data(withJSONObject: reportJSON, options: [.prettyPrinted, .sortedKeys])
    try FileIO.writeAtomically(Array(json), to: reportPath)
    print("wrote \(output) (\(bytes.count) bytes) and \(reportPath)")
}
