import Foundation
import Testing
@testable import FFEMEval

/// From a pair list and embeddings to the report and its JSON.
@Suite struct VerificationReportTests {
    /// Two folds; 2-D embeddings at known angles so every cosine is known.
    static let pairs = try! PairsFile.parse("""
        a/1 a/2 1 1
        a/1 b/1 0 1
        b/1 b/2 1 2
        a/2 b/2 0 2
        """, sourceName: "tiny.txt")

    static func embedding(_ degrees: Double) -> [Float] {
        [Float(cos(degrees * .pi / 180)), Float(sin(degrees * .pi / 180))]
    }

    static let embeddings: [String: [Float]] = [
        "a/1": embedding(0), "a/2": embedding(30), "b/1": embedding(90), "b/2": embedding(100),
    ]

    @Test func scoresAreTheCosinesOfThePairsEmbeddings() throws {
        let scores = try VerificationEvaluator.scores(for: Self.pairs, embeddings: Self.embeddings)
        let expected = [30.0, 90, 10, 70].map { cos($0 * .pi / 180) }
        for (score, cosine) in zip(scores, expected) { #expect(abs(score.score - cosine) < 1e-6) }
        #expect(scores.map(\.isSame) == [true, false, true, false] && scores.map(\.fold) == [1, 1, 2, 2])
    }

    @Test func embedderIsAskedOncePerDistinctImage() throws {
        var asked: [String] = []
        _ = try VerificationEvaluator.evaluate(pairs: Self.pairs) { path in
            asked.append(path)
            return Self.embeddings[path]!
        }
        #expect(asked == ["a/1", "a/2", "b/1", "b/2"])
    }

    @Test func embedderErrorsPassThroughUnchanged() {
        struct ModelFailure: Error, Equatable {}
        #expect(throws: ModelFailure()) {
            try VerificationEvaluator.evaluate(pairs: Self.pairs) { _ in throw ModelFailure() }
        }
    }

    @Test func missingZeroAndMismatchedEmbeddingsAreNamed() {
        var missing = Self.embeddings
        missing["b/1"] = nil
        #expect(throws: EvaluationError.embedding(.missing(path: "b/1"))) {
            try VerificationEvaluator.evaluate(pairs: Self.pairs, embeddings: missing)
        }
        var zero = Self.embeddings
        zero["a/2"] = [0, 0]
        #expect(throws: EvaluationError.embedding(.zeroVector(path: "a/2"))) {
            try VerificationEvaluator.evaluate(pairs: Self.pairs, embeddings: zero)
        }
        var longer = Self.embeddings
        longer["b/2"] = [1, 0, 0]
        #expect(throws: EvaluationError.embedding(.dimensionMismatch(expected: 2, found: 3, path: "b/2"))) {
            try VerificationEvaluator.evaluate(pairs: Self.pairs, embeddings: longer)
        }
    }

    @Test func reportHoldsEveryFigure() throws {
        // Genuine cosines {cos 30°, cos 10°} all exceed impostor cosines {cos 90°, cos 70°}: separable.
        let report = try VerificationEvaluator.evaluate(pairs: Self.pairs, targetFARs: [0, 0.5], embeddings: Self.embeddings)
        #expect(report.pairCount == 4 && report.genuineCount == 2 && report.impostorCount == 2)
        #expect(report.foldAccuracy.mean == 1 && report.areaUnderCurve == 1 && report.equalErrorRate.rate == 0)
        #expect(report.targetFARs.map(\.target) == [0, 0.5] && report.targetFARs.allSatisfy { $0.trueAcceptRate == 1 })
        #expect(report.val.target == 1e-3 && report.val.trueAcceptRate == 1)
        #expect(report.summary.contains("accuracy 1.0000 ± 0.0000 (2 folds)"))
    }

    /// Foundation's JSON reader on Linux may round the last bit of a double differently.
    func close(_ parsed: Any?, _ value: Double) -> Bool {
        guard let parsed = (parsed as? NSNumber)?.doubleValue else { return false }
        return abs(parsed - value) <= 1e-15 * max(1, abs(value))
    }

    @Test func jsonParsesBackToTheReportsNumbers() throws {
        let scored = ScoreSets.random(seed: 13, count: 400, separation: 0.3)
        let recall = try RecallAtK.evaluate(rawEmbeddings: [[1, 0], [0.9, 0.1], [0, 1], [0.1, 1]], labels: [0, 0, 1, 1], ks: [1, 5])
        let report = try VerificationReport(scoredPairs: scored, foldCount: 10, source: "random \"set\"", recall: recall)
        let text = report.json(includingROC: true)
        #expect(text.contains("\"auc\": \(report.areaUnderCurve),"))   // full precision in the text
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["source"] as? String == "random \"set\"")
        #expect(object["pairs"] as? Int == 400)
        #expect(close(object["auc"], report.areaUnderCurve))
        let accuracy = try #require(object["accuracy"] as? [String: Any])
        #expect(close(accuracy["mean"], report.foldAccuracy.mean))
        #expect(close(accuracy["std"], report.foldAccuracy.standardDeviation))
        #expect((accuracy["folds"] as? [[String: Any]])?.count == 10)
        let val = try #require(object["val"] as? [String: Any])
        #expect(close(val["tar"], report.val.trueAcceptRate) && close(val["threshold"], report.val.threshold))
        let tars = try #require(object["tar_at_far"] as? [[String: Any]])
        #expect(zip(tars, VerificationReport.defaultTargetFARs).allSatisfy { close($0["far"], $1) } && tars.count == 4)
        let eer = try #require(object["eer"] as? [String: Any])
        #expect(close(eer["rate"], report.equalErrorRate.rate))
        let recallObject = try #require(object["recall"] as? [String: Any])
        #expect(close((recallObject["at"] as? [String: Any])?["1"], 1))
        #expect((object["roc"] as? [[Double]])?.count == report.roc.points.count)
    }

    @Test func jsonWithoutRecallSaysNull() throws {
        let report = try VerificationReport(scoredPairs: ScoreSets.random(seed: 2, count: 100, separation: 0.3), foldCount: 10, source: "s")
        let object = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["recall"] is NSNull && object["roc"] == nil)
    }
}
