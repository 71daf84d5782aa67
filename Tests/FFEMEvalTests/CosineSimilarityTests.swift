import Testing
@testable import FFEMEval

/// Cosine similarity of L2-normalised embeddings.
@Suite struct CosineSimilarityTests {
    @Test func knownAnglesGiveTheirCosines() throws {
        #expect(abs(try cosineSimilarity([1, 0], [1, 1]) - 0.5.squareRoot()) < 1e-15)
        #expect(try cosineSimilarity([3, 4], [6, 8]) == 1)
        #expect(try cosineSimilarity([1, 2, 3], [-1, -2, -3]) == -1)
        #expect(try cosineSimilarity([1, 0, 0], [0, 5, 0]) == 0)
    }

    @Test func normalisedEmbeddingHasUnitLengthAndKeepsDirection() throws {
        let unit = try UnitEmbedding([3, -4, 12])
        let expected: [Double] = [3.0 / 13, -4.0 / 13, 12.0 / 13]
        #expect(zip(unit.components, expected).allSatisfy { abs($0 - $1) < 1e-16 })
        let tiny = try UnitEmbedding([Float.leastNonzeroMagnitude, 0])   // subnormal: still a direction
        #expect(tiny.components == [1, 0])
        let huge = try UnitEmbedding([Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude])
        #expect(abs(huge.components[0] - 0.5.squareRoot()) < 1e-16)
    }

    @Test func zeroEmptyAndNonFiniteEmbeddingsAreRefusedClearly() {
        #expect(throws: EmbeddingError.zeroVector(path: "s1/1.pgm")) { try UnitEmbedding([0, 0, 0], path: "s1/1.pgm") }
        #expect(throws: EmbeddingError.zeroVector(path: nil)) { try cosineSimilarity([0, 0], [1, 0]) }
        #expect(throws: EmbeddingError.nonFinite(path: nil)) { try cosineSimilarity([.nan, 0], [1, 0]) }
        #expect(throws: EmbeddingError.empty(path: nil)) { try cosineSimilarity([], []) }
        #expect(throws: EmbeddingError.dimensionMismatch(expected: 2, found: 3, path: nil)) { try cosineSimilarity([1, 0], [1, 0, 0]) }
        #expect(EmbeddingError.zeroVector(path: "s1/1.pgm").description
                == "s1/1.pgm: the embedding is the zero vector, which has no direction (cosine similarity undefined; has the network collapsed?)")
    }
}
