import Testing
@testable import FFEMEval

/// Best-threshold accuracy and its k-fold cross-validation (the LFW protocol).
@Suite struct FoldAccuracyTests {
    @Test func bestThresholdTakesTheLowerMedianOfEquallyGoodCuts() throws {
        // High to low: 0.9 I, 0.8 G, 0.5 I, 0.45 G, 0.4 I, 0.1 I. Correct pairs per cut 0…6:
        // 4, 3, 4, 3, 4, 3, 2: cuts 0, 2 and 4 tie at 4 of 6, the lower median is cut 2 (0.8 | 0.5).
        let best = try BestThreshold.search(ScoreSets.pairs(genuine: [0.8, 0.45], impostor: [0.9, 0.5, 0.4, 0.1]))
        #expect(abs(best.threshold - 0.65) < 1e-12)
        #expect(best.accuracy == 4.0 / 6)
    }

    @Test func bestThresholdMatchesTheBestOfAllThresholdsOnRandomScores() throws {
        for seed in 1...5 as ClosedRange<UInt64> {
            let pairs = ScoreSets.random(seed: seed, count: 200, separation: 0.3, levels: 25)
            let best = try BestThreshold.search(pairs)
            #expect(best.accuracy == ScoreSets.bruteForceBestAccuracy(pairs))
            #expect(accuracy(of: pairs, threshold: best.threshold) == best.accuracy)
        }
    }

    /// Folds 1–9 each hold a genuine pair at 0.8 and an impostor at 0.2; fold 10 is shifted down, genuine
    /// 0.3 and impostor 0.1. On its own, fold 10 separates perfectly, but a threshold learnt on folds 1–9
    /// (midway between 0.8 and 0.2, i.e. 0.5) rejects its genuine pair: fold 10 scores ½, not 1.
    @Test func thresholdOfEachFoldIsChosenOnTheOtherFolds() throws {
        var pairs: [ScoredPair] = []
        for fold in 1...9 { pairs += ScoreSets.pairs(genuine: [0.8], impostor: [0.2], fold: fold) }
        pairs += ScoreSets.pairs(genuine: [0.3], impostor: [0.1], fold: 10)

        let result = try FoldAccuracy.evaluate(pairs, foldCount: 10)
        #expect(result.folds.count == 10)
        let last = result.folds[9]
        #expect(last.fold == 10 && abs(last.threshold - 0.5) < 1e-12 && last.accuracy == 0.5 && last.trainingAccuracy == 1)
        // Chosen on fold 10 itself the threshold would be perfect there; chosen on everything, perfect overall.
        #expect(try BestThreshold.search(pairs.filter { $0.fold == 10 }).accuracy == 1)
        #expect(try BestThreshold.search(pairs).accuracy == 1)
        // Folds 1–9 learn on data that includes fold 10: the best cut is between 0.3 and 0.2.
        for fold in result.folds.prefix(9) {
            #expect(abs(fold.threshold - 0.25) < 1e-12 && fold.accuracy == 1 && fold.pairCount == 2)
        }
        // Mean (9·1 + ½)/10 = 0.95; population std √((9·0.05² + 0.45²)/10) = 0.15.
        #expect(abs(result.mean - 0.95) < 1e-12)
        #expect(abs(result.standardDeviation - 0.15) < 1e-12)
    }

    @Test func perfectlySeparableFoldsAllScoreOne() throws {
        var pairs: [ScoredPair] = []
        for fold in 1...10 {
            pairs += ScoreSets.pairs(genuine: [0.7 + 0.01 * Double(fold), 0.9], impostor: [0.1, 0.2 + 0.01 * Double(fold)], fold: fold)
        }
        let result = try FoldAccuracy.evaluate(pairs, foldCount: 10)
        #expect(result.mean == 1 && result.standardDeviation == 0)
        #expect(result.folds.allSatisfy { $0.threshold > 0.3 && $0.threshold <= 0.71 })
    }

    @Test func foldFiguresMatchABruteForceRecomputation() throws {
        let pairs = ScoreSets.random(seed: 21, count: 600, separation: 0.25, levels: 30)
        let result = try FoldAccuracy.evaluate(pairs, foldCount: 10)
        var accuracies: [Double] = []
        for fold in result.folds {
            let training = pairs.filter { $0.fold != fold.fold }
            let test = pairs.filter { $0.fold == fold.fold }
            #expect(fold.trainingAccuracy == ScoreSets.bruteForceBestAccuracy(training))
            #expect(accuracy(of: training, threshold: fold.threshold) == fold.trainingAccuracy)
            let correct = test.count(where: { ($0.score >= fold.threshold) == $0.isSame })
            #expect(fold.accuracy == Double(correct) / Double(test.count))
            accuracies.append(fold.accuracy)
        }
        let mean = accuracies.reduce(0, +) / 10
        let std = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10).squareRoot()
        #expect(abs(result.mean - mean) < 1e-12 && abs(result.standardDeviation - std) < 1e-12)
    }

    @Test func unrelatedScoresGiveAccuracyNearOneHalf() throws {
        let pairs = ScoreSets.random(seed: 4, count: 4000, separation: 0, levels: 1_000_000)
        let result = try FoldAccuracy.evaluate(pairs, foldCount: 10)
        #expect(abs(result.mean - 0.5) < 0.05)
    }

    @Test func badFoldsAreRefused() {
        let pairs = ScoreSets.pairs(genuine: [0.9], impostor: [0.1], fold: 1) + ScoreSets.pairs(genuine: [0.8], impostor: [0.2], fold: 3)
        #expect(throws: MetricError.badFolds("fold 2 has no pairs")) { try FoldAccuracy.evaluate(pairs, foldCount: 3) }
        #expect(throws: MetricError.badFolds("fold 3 is not in 1...2")) { try FoldAccuracy.evaluate(pairs, foldCount: 2) }
        #expect(throws: MetricError.badFolds("cross-validation needs at least 2 folds, got 1")) {
            try FoldAccuracy.evaluate(pairs, foldCount: 1)
        }
    }
}
