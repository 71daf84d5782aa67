// ffem-train — validation during training: verification on held-out pairs (10-fold accuracy, the
// LFW protocol) and Recall@1 over the pair images (the original's metric).
import FFEMData
import FFEMEval
import FFEMImage
import FFEMTrain
import Foundation

struct PairValidation {
    let pairs: PairList
    let store: any SampleStore
    /// Dataset entry index of each distinct pair path, and its label.
    let indices: [Int]
    let paths: [String]
    let labels: [Int]
    let policy: CropPolicy

    init(pairsPath: String, listFile: String, imageRoot: String, policy: CropPolicy) throws {
        pairs = try PairsFile.load(pairsPath)
        let dataset = try Dataset.load(listFile: listFile, imageRoot: imageRoot)
        var position: [String: Int] = [:]
        for (k, entry) in dataset.entries.enumerated() { position[entry.path] = k }
        var indices: [Int] = [], labels: [Int] = []
        for path in pairs.distinctPaths {
            guard let index = position[path] else {
                throw TrainingError("\(pairsPath): image '\(path)' has no entry (box) in \(listFile); pass the list that holds it with --valid-file")
            }
            indices.append(index)
            labels.append(dataset.entries[index].label)
        }
        self.indices = indices
        self.paths = pairs.distinctPaths
        self.labels = labels
        self.policy = policy
        store = FolderStore(dataset: dataset)
    }

    func run(_ network: Network) throws -> (ValidationSummary, VerificationReport) {
        let embeddings = try EmbeddingExtractor.embeddings(network: network, store: store, indices: indices, policy: policy)
        var byPath: [String: [Float]] = [:]
        for (k, path) in paths.enumerated() { byPath[path] = embeddings[k] }
        var report = try VerificationEvaluator.evaluate(pairs: pairs, embeddings: byPath)
        report.recall = try RecallAtK.evaluate(rawEmbeddings: embeddings, labels: labels, ks: [1])
        let accuracy = report.foldAccuracy.mean
        let recall1 = report.recall?.recall(at: 1) ?? 0
        let summary = ValidationSummary(
            metric: accuracy,
            jsonFields: "\"val_accuracy\": \(accuracy), \"val_accuracy_std\": \(report.foldAccuracy.standardDeviation), \"val_auc\": \(report.areaUnderCurve), \"val_recall_at_1\": \(recall1)",
            text: String(format: "held-out accuracy %.4f ± %.4f, AUC %.4f, Recall@1 %.3f", accuracy, report.foldAccuracy.standardDeviation,
                         report.areaUnderCurve, recall1))
        return (summary, report)
    }
}
