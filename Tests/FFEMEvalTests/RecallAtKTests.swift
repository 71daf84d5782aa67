import Foundation
import FFEMCore
import Testing
@testable import FFEMEval

/// Leave-one-out cosine nearest-neighbour retrieval.
@Suite struct RecallAtKTests {
    static func unit(degrees: Double) -> [Float] {
        let radians = degrees * Double.pi / 180
        return [Float(cos(radians)), Float(sin(radians))]
    }

    /// Seven points on the unit circle (angle°, label): (0, 0) (10, 0) (25, 1) (90, 1) (100, 2) (210, 2) (300, 3).
    /// By hand, the rank of the nearest same-label point among the others:
    /// 0° → 10° first: 1; 10° → 0°: 1; 25° → 10°, 0° closer than 90°: 3; 90° → 100° closer than 25°: 2;
    /// 100° → 90°, 25°, 10°, 0° closer than 210°: 5; 210° → 300° closer than 100°: 2; 300° has no partner.
    @Test func recallOnAConstructedGalleryMatchesHandRanks() throws {
        let angles = [0.0, 10, 25, 90, 100, 210, 300]
        let labels = [0, 0, 1, 1, 2, 2, 3]
        let result = try RecallAtK.evaluate(rawEmbeddings: angles.map(Self.unit), labels: labels, ks: [1, 2, 3, 4, 5])
        #expect(result.queryCount == 6 && result.skippedQueryCount == 1)
        let expected: [Double] = [2.0 / 6, 4.0 / 6, 5.0 / 6, 5.0 / 6, 1]
        #expect(result.recalls == expected)
        #expect(result.recall(at: 1) == 2.0 / 6 && result.recall(at: 7) == nil)
    }

    @Test func recallIgnoresEmbeddingLength() throws {
        let angles = [0.0, 10, 25, 90, 100, 210, 300]
        let scaled = angles.enumerated().map { index, angle in Self.unit(degrees: angle).map { $0 * Float(index + 1) * 3 } }
        let result = try RecallAtK.evaluate(rawEmbeddings: scaled, labels: [0, 0, 1, 1, 2, 2, 3], ks: [1])
        let expected: [Double] = [2.0 / 6]
        #expect(result.recalls == expected)
    }

    @Test func collapsedEmbeddingsFindNothing() throws {
        let result = try RecallAtK.evaluate(rawEmbeddings: Array(repeating: [0.3, 0.4], count: 6), labels: [0, 0, 1, 1, 2, 2], ks: [1, 2, 5])
        // Every neighbour ties at cosine 1; ties rank against the query, so the partner comes after all 4 others.
        #expect(result.recalls == [0, 0, 1])
    }

    @Test func recallMatchesFullSortingOnRandomEmbeddings() throws {
        var random = SeededRandom(seed: 8)
        let count = 60
        let labels = (0..<count).map { $0 % 12 }
        let embeddings: [[Float]] = labels.map { label in
            (0..<12).map { dimension in Float(dimension == label ? 1 : 0) + random.nextFloat(in: -0.6, 0.6) }
        }
        let ks = [1, 3, 10]
        let result = try RecallAtK.evaluate(rawEmbeddings: embeddings, labels: labels, ks: ks)
        var hits = [0, 0, 0]
        for query in 0..<count {
            let ranked = (0..<count).filter { $0 != query }
                .sorted { try! cosineSimilarity(embeddings[query], embeddings[$0]) > cosineSimilarity(embeddings[query], embeddings[$1]) }
            for (index, k) in ks.enumerated() where ranked.prefix(k).contains(where: { labels[$0] == labels[query] }) {
                hits[index] += 1
            }
        }
        #expect(result.recalls == hits.map { Double($0) / Double(count) })
        #expect(result.recalls[0] > 0.2 && result.recalls[0] < 1)
    }

    @Test func badInputIsRefused() {
        #expect(throws: EvaluationError.metric(.badRetrievalInput("2 embeddings but 3 labels"))) {
            try RecallAtK.evaluate(rawEmbeddings: [[1, 0], [0, 1]], labels: [0, 0, 1])
        }
        #expect(throws: EvaluationError.embedding(.zeroVector(path: "embedding 1"))) {
            try RecallAtK.evaluate(rawEmbeddings: [[1, 0], [0, 0]], labels: [0, 0])
        }
        #expect(throws: EvaluationError.metric(.badRetrievalInput("no label has two embeddings, so no query can find a match"))) {
            try RecallAtK.evaluate(rawEmbeddings: [[1, 0], [0, 1]], labels: [0, 1])
        }
        #expect(throws: EvaluationError.metric(.badRetrievalInput("every k of Recall@k must be at least 1, got [0]"))) {
            try RecallAtK.evaluate(rawEmbeddings: [[1, 0], [0, 1]], labels: [0, 0], ks: [0])
        }
    }
}
