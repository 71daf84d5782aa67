// FFEMEvalTests — ScoreSets.swift: hand-made and seeded score sets, and brute-force oracles.
import FFEMCore
@testable import FFEMEval

enum ScoreSets {
    /// Genuine then impostor pairs, all in `fold`.
    static func pairs(genuine: [Double], impostor: [Double], fold: Int = 1) -> [ScoredPair] {
        genuine.map { ScoredPair(score: $0, isSame: true, fold: fold) }
            + impostor.map { ScoredPair(score: $0, isSame: false, fold: fold) }
    }

    /// `count` pairs with random labels and folds 1...foldCount; genuine scores are shifted up by
    /// `separation`; scores are rounded to multiples of 1/`levels` so that ties occur.
    static func random(seed: UInt64, count: Int, separation: Double, levels: Int = 40, foldCount: Int = 10) -> [ScoredPair] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            let isSame = random.nextInt(below: 2) == 1
            let raw = Double(random.nextUnitFloat()) + (isSame ? separation : 0)
            return ScoredPair(score: (raw * Double(levels)).rounded() / Double(levels), isSame: isSame,
                              fold: index % foldCount + 1)
        }
    }

    /// Mann–Whitney U / (P·N) by counting every (genuine, impostor) combination.
    static func bruteForceAUC(_ pairs: [ScoredPair]) -> Double {
        let genuine = pairs.filter(\.isSame).map(\.score)
        let impostor = pairs.filter { !$0.isSame }.map(\.score)
        var u = 0.0
        for g in genuine {
            for i in impostor {
                if g > i { u += 1 } else if g == i { u += 0.5 }
            }
        }
        return u / (Double(genuine.count) * Double(impostor.count))
    }

    /// The best accuracy any threshold reaches: tries every score and +∞ as "accept when score ≥ t".
    static func bruteForceBestAccuracy(_ pairs: [ScoredPair]) -> Double {
        (pairs.map(\.score) + [.infinity]).map { accuracy(of: pairs, threshold: $0) }.max()!
    }

    /// FAR and TAR of "accept when score ≥ threshold", counted directly.
    static func rates(_ pairs: [ScoredPair], threshold: Double) -> (far: Double, tar: Double) {
        let genuine = pairs.filter(\.isSame)
        let impostor = pairs.filter { !$0.isSame }
        return (Double(impostor.count(where: { $0.score >= threshold })) / Double(impostor.count),
                Double(genuine.count(where: { $0.score >= threshold })) / Double(genuine.count))
    }
}
