import Testing
@testable import FFEMEval

/// ROC, AUC, EER and TAR at FAR against values worked out by hand and by brute force.
@Suite struct ROCCurveTests {
    /// Impostors {0.9, 0.5, 0.4, 0.1}, genuine {0.8, 0.45}. By hand, sorted high to low: I G I G I I.
    /// Vertices (FAR, TAR): (0,0) (¼,0) (¼,½) (½,½) (½,1) (¾,1) (1,1).
    let interleaved = ScoreSets.pairs(genuine: [0.8, 0.45], impostor: [0.9, 0.5, 0.4, 0.1])

    @Test func verticesFollowTheSortedScores() throws {
        let roc = try ROCCurve(interleaved)
        let vertices = roc.points.map { [$0.falseAcceptRate, $0.trueAcceptRate] }
        #expect(vertices == [[0, 0], [0.25, 0], [0.25, 0.5], [0.5, 0.5], [0.5, 1], [0.75, 1], [1, 1]])
        #expect(roc.points[0].threshold > 0.9)
        #expect(roc.points[6].threshold == 0.1)
    }

    @Test func areaIsTheFractionOfCorrectlyOrderedPairsWorkedByHand() throws {
        // 0.8 beats 0.5, 0.4, 0.1 (3); 0.45 beats 0.4, 0.1 (2): U = 5 of 8.
        #expect(try ROCCurve(interleaved).areaUnderCurve == 0.625)
    }

    @Test func equalErrorRateWorkedByHand() throws {
        // g = FAR + TAR − 1 along the vertices: −1, −¾, −¼, 0: the crossing is the vertex (½, ½),
        // cut between 0.5 and 0.45.
        let eer = EqualErrorRate(on: try ROCCurve(interleaved))
        #expect(eer.rate == 0.5)
        #expect(abs(eer.threshold - 0.475) < 1e-12)
    }

    @Test func trueAcceptRateAtTargetFARsWorkedByHand() throws {
        let roc = try ROCCurve(interleaved)
        let atZero = try TargetFAR(0, on: roc)
        #expect(atZero.trueAcceptRate == 0 && atZero.threshold > 0.9)
        let atQuarter = try TargetFAR(0.25, on: roc)
        #expect(atQuarter.trueAcceptRate == 0.5 && atQuarter.falseAcceptRate == 0.25)
        #expect(abs(atQuarter.threshold - 0.65) < 1e-12)
        let atFortyPercent = try TargetFAR(0.4, on: roc)
        #expect(atFortyPercent.trueAcceptRate == 0.5 && atFortyPercent.interpolatedTrueAcceptRate == 0.5)
        let atHalf = try TargetFAR(0.5, on: roc)
        #expect(atHalf.trueAcceptRate == 1 && abs(atHalf.threshold - 0.425) < 1e-12)
    }

    /// Genuine {0.5, 0.5}, impostor {0.5, 0.5, 0.2, 0.1}: the tie makes the diagonal (0,0)–(½,1).
    @Test func tiesAreDiagonalSegmentsCountedAsOneHalf() throws {
        let roc = try ROCCurve(ScoreSets.pairs(genuine: [0.5, 0.5], impostor: [0.5, 0.5, 0.2, 0.1]))
        #expect(roc.points.map { [$0.falseAcceptRate, $0.trueAcceptRate] } == [[0, 0], [0.5, 1], [0.75, 1], [1, 1]])
        // U = 2 genuine × (2 ties × ½ + 2 wins) = 6 of 8.
        #expect(roc.areaUnderCurve == 0.75)
        // On the diagonal TAR = 2·FAR, so FRR = FAR at 1 − 2x = x: x = ⅓.
        #expect(abs(EqualErrorRate(on: roc).rate - 1.0 / 3) < 1e-15)
        // Conservative: the tie straddles FAR ¼, so nothing is accepted; interpolated: halfway up the diagonal.
        let quarter = try TargetFAR(0.25, on: roc)
        #expect(quarter.trueAcceptRate == 0 && quarter.falseAcceptRate == 0 && quarter.threshold > 0.5)
        #expect(quarter.interpolatedTrueAcceptRate == 0.5)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func areaEqualsMannWhitneyCountOnRandomScores(seed: UInt64) throws {
        let pairs = ScoreSets.random(seed: seed, count: 700, separation: 0.3)
        let auc = try ROCCurve(pairs).areaUnderCurve
        #expect(abs(auc - ScoreSets.bruteForceAUC(pairs)) < 1e-12)
        #expect(auc > 0.6 && auc < 0.95)
    }

    @Test func perfectlySeparableScoresGiveAreaOneAndNoErrors() throws {
        let pairs = ScoreSets.pairs(genuine: [0.6, 0.7, 0.95, 0.61], impostor: [0.1, -0.3, 0.59, 0.2, 0.0], fold: 1)
        let roc = try ROCCurve(pairs)
        #expect(roc.areaUnderCurve == 1)
        let eer = EqualErrorRate(on: roc)
        #expect(eer.rate == 0)
        #expect(eer.threshold > 0.59 && eer.threshold <= 0.6)
        for far in [0, 1e-3, 0.1] {
            let point = try TargetFAR(far, on: roc)
            #expect(point.trueAcceptRate == 1 && point.falseAcceptRate == 0 && point.threshold == eer.threshold)
        }
    }

    @Test func unrelatedScoresGiveAreaAndErrorRateNearOneHalf() throws {
        // σ(AUC) = √((P + N + 1) / (12 P N)) ≈ 0.009 for 2000 + 2000 pairs; allow 4σ.
        let pairs = ScoreSets.random(seed: 11, count: 4000, separation: 0, levels: 1_000_000)
        let roc = try ROCCurve(pairs)
        #expect(abs(roc.areaUnderCurve - 0.5) < 0.037)
        #expect(abs(EqualErrorRate(on: roc).rate - 0.5) < 0.04)
    }

    @Test func targetThresholdKeepsMeasuredFARWithinTargetAndIsTheMostAccepting() throws {
        let pairs = ScoreSets.random(seed: 5, count: 1000, separation: 0.4)
        let roc = try ROCCurve(pairs)
        var previousTAR = 0.0
        for far in [0, 1e-3, 0.01, 0.05, 0.1, 0.3, 1] {
            let point = try TargetFAR(far, on: roc)
            let measured = ScoreSets.rates(pairs, threshold: point.threshold)
            #expect(measured.far <= far)
            #expect(measured.far == point.falseAcceptRate && measured.tar == point.trueAcceptRate)
            // Every lower score as a threshold would exceed the target.
            for lower in Set(pairs.map(\.score)) where lower < point.threshold {
                #expect(ScoreSets.rates(pairs, threshold: lower).far > far)
            }
            #expect(point.interpolatedTrueAcceptRate >= point.trueAcceptRate)
            #expect(point.trueAcceptRate >= previousTAR)
            previousTAR = point.trueAcceptRate
        }
    }

    @Test func everyVertexThresholdReproducesItsRates() throws {
        let pairs = ScoreSets.random(seed: 9, count: 300, separation: 0.2, levels: 12)
        for point in try ROCCurve(pairs).points {
            let measured = ScoreSets.rates(pairs, threshold: point.threshold)
            #expect(measured.far == point.falseAcceptRate && measured.tar == point.trueAcceptRate)
        }
    }

    @Test func missingClassOrBadInputIsRefused() {
        #expect(throws: MetricError.noImpostorPairs) { try ROCCurve(ScoreSets.pairs(genuine: [0.5], impostor: [])) }
        #expect(throws: MetricError.noGenuinePairs) { try ROCCurve(ScoreSets.pairs(genuine: [], impostor: [0.5])) }
        #expect(throws: MetricError.nonFiniteScore(index: 1)) { try ROCCurve(ScoreSets.pairs(genuine: [0.5, .nan], impostor: [0.1])) }
        #expect(throws: MetricError.farOutOfRange(1.5)) {
            try TargetFAR(1.5, on: ROCCurve(ScoreSets.pairs(genuine: [0.5], impostor: [0.1])))
        }
    }
}
