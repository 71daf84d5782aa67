// FFEMEval — VerificationReportJSON.swift: the report as JSON text.
import FFEMCore

extension VerificationReport {
    /// The report as a JSON object (keys in a fixed order, numbers at full precision):
    ///
    /// ```json
    /// {"source": "pairs-heldout.txt", "pairs": 900, "genuine": 450, "impostor": 450,
    ///  "accuracy": {"mean": 0.91, "std": 0.03, "folds": [{"fold": 1, "threshold": 0.43,
    ///               "training_accuracy": 0.92, "accuracy": 0.9, "pairs": 90}, …]},
    ///  "auc": 0.97, "eer": {"rate": 0.08, "threshold": 0.43},
    ///  "val": {"far": 0.001, "tar": 0.31, "threshold": 0.71, "measured_far": 0, "interpolated_tar": 0.33,
    ///          "accepted_genuine": 140, "accepted_impostors": 0},
    ///  "tar_at_far": [{"far": 0.0001, …}, …],
    ///  "recall": {"queries": 100, "skipped": 0, "at": {"1": 0.95, "5": 0.99}},
    ///  "roc": [[far, tar, threshold], …]}
    /// ```
    ///
    /// `recall` is `null` when none was attached; `roc` (every vertex) only when `includingROC`.
    public func json(includingROC: Bool = false) -> String {
        var members: [(String, String)] = [
            ("source", JSONText.quoted(source)),
            ("pairs", "\(pairCount)"),
            ("genuine", "\(genuineCount)"),
            ("impostor", "\(impostorCount)"),
            ("accuracy", object([
                ("mean", number(foldAccuracy.mean)),
                ("std", number(foldAccuracy.standardDeviation)),
                ("folds", "[\n    " + foldAccuracy.folds.map { fold in
                    object([("fold", "\(fold.fold)"), ("threshold", number(fold.threshold)),
                            ("training_accuracy", number(fold.trainingAccuracy)),
                            ("accuracy", number(fold.accuracy)), ("pairs", "\(fold.pairCount)")], compact: true)
                }.joined(separator: ",\n    ") + "\n  ]"),
            ], compact: true)),
            ("auc", number(areaUnderCurve)),
            ("eer", object([("rate", number(equalErrorRate.rate)), ("threshold", number(equalErrorRate.threshold))], compact: true)),
            ("val", targetJSON(val)),
            ("tar_at_far", "[\n    " + targetFARs.map(targetJSON).joined(separator: ",\n    ") + "\n  ]"),
            ("recall", recall.map { recall in
                object([("queries", "\(recall.queryCount)"), ("skipped", "\(recall.skippedQueryCount)"),
                        ("at", object(zip(recall.ks, recall.recalls).map { ("\($0)", number($1)) }, compact: true))], compact: true)
            } ?? "null"),
        ]
        if includingROC {
            let vertices = roc.points.map { "[\(number($0.falseAcceptRate)), \(number($0.trueAcceptRate)), \(number($0.threshold))]" }
            members.append(("roc", "[\n    " + vertices.joined(separator: ",\n    ") + "\n  ]"))
        }
        return object(members) + "\n"
    }

    private func targetJSON(_ point: TargetFAR) -> String {
        object([("far", number(point.target)), ("tar", number(point.trueAcceptRate)), ("threshold", number(point.threshold)),
                ("measured_far", number(point.falseAcceptRate)), ("interpolated_tar", number(point.interpolatedTrueAcceptRate)),
                ("accepted_genuine", "\(point.point.acceptedGenuine)"), ("accepted_impostors", "\(point.point.acceptedImpostors)")],
               compact: true)
    }
}

/// A JSON object of already-rendered values; one member per line unless `compact`.
private func object(_ members: [(String, String)], compact: Bool = false) -> String {
    let rendered = members.map { "\(JSONText.quoted($0.0)): \($0.1)" }
    return compact ? "{" + rendered.joined(separator: ", ") + "}" : "{\n  " + rendered.joined(separator: ",\n  ") + "\n}"
}

/// A JSON number, or `null` for a non-finite value (JSON has no NaN or infinity).
private func number(_ value: Double) -> String {
    value.isFinite ? JSONText.number(value) : "null"
}
