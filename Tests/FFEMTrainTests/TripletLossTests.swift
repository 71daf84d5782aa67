import FFEMCore
import Foundation
import Testing
@testable import FFEMTrain

/// Triplet losses: hand-mined values on a 2-D example, a brute-force reference on random batches,
/// gradients by central differences, and the behaviour at collapse.
@Suite struct TripletLossTests {
    static let configurations: [(TripletMining, TripletDistance)] = TripletMining.allCases.flatMap { mining in
        [(mining, TripletDistance.squaredEuclidean), (mining, .euclidean)]
    }

    func evaluate(_ loss: TripletLoss, _ x: [Float], _ labels: [Int32], dimension: Int) -> (TripletStatistics, [Float]) {
        var gradient = [Float](repeating: .nan, count: x.count)
        let statistics = x.withUnsafeBufferPointer {
            loss.loss(embeddings: $0.baseAddress!, labels: labels, count: labels.count, dimension: dimension, embeddingGradient: &gradient)
        }
        return (statistics, gradient)
    }

    // MARK: Hand-mined 2-D example

    /// Four points on rays at 0°, 50°, 55°, 170° with norms 2, 0.5, 3, 1.5 (the loss normalises), labels
    /// [0, 0, 1, 1]. On the unit circle ‖x̂ᵢ − x̂ⱼ‖² = 2 − 2 cos(θᵢ − θⱼ), so
    /// d01 ≈ 0.714, d02 ≈ 0.853, d03 ≈ 3.970, d12 ≈ 0.008, d13 = 3, d23 ≈ 2.845 (squared).
    static let angles: [Double] = [0, 50, 55, 170]
    static let radii: [Float] = [2, 0.5, 3, 1.5]
    static let labels: [Int32] = [0, 0, 1, 1]
    static let margin = 0.2

    static var points: [Float] {
        (0..<4).flatMap { i -> [Float] in
            let t = angles[i] * Double.pi / 180
            return [radii[i] * Float(cos(t)), radii[i] * Float(sin(t))]
        }
    }

    static func d(_ i: Int, _ j: Int, _ distance: TripletDistance) -> Double {
        let s = 2 - 2 * cos((angles[i] - angles[j]) * Double.pi / 180)
        return distance == .squaredEuclidean ? s : s.squareRoot()
    }

    static func hinge(_ a: Int, _ p: Int, _ n: Int, _ distance: TripletDistance) -> Double {
        max(d(a, p, distance) - d(a, n, distance) + margin, 0)
    }

    func handExample(_ mining: TripletMining, _ distance: TripletDistance) -> TripletStatistics {
        evaluate(TripletLoss(mining: mining, margin: Float(TripletLossTests.margin), distance: distance),
                 TripletLossTests.points, TripletLossTests.labels, dimension: 2).0
    }

    @Test(arguments: [TripletDistance.squaredEuclidean, .euclidean])
    func batchAllAveragesTheFiveActiveTripletsOfEight(_ distance: TripletDistance) {
        // Valid triplets: (0,1,2) (0,1,3) (1,0,2) (1,0,3) (2,3,0) (2,3,1) (3,2,0) (3,2,1).
        // Active (dₐₚ − dₐₙ + α > 0): (0,1,2) (1,0,2) (2,3,0) (2,3,1) (3,2,1).
        let h = TripletLossTests.hinge
        let expected = (h(0, 1, 2, distance) + h(1, 0, 2, distance) + h(2, 3, 0, distance) + h(2, 3, 1, distance) + h(3, 2, 1, distance)) / 5
        let statistics = handExample(.batchAll, distance)
        #expect(abs(statistics.loss - expected) < 1e-5, "\(distance): \(statistics.loss) vs \(expected)")
        #expect(statistics.validTriplets == 8)
        #expect(statistics.lossTerms == 5)
        #expect(statistics.activeFraction == 5.0 / 8.0)
    }

    @Test(arguments: [TripletDistance.squaredEuclidean, .euclidean])
    func batchHardTakesTheFarthestPositiveAndClosestNegativePerAnchor(_ distance: TripletDistance) {
        // One positive per anchor; closest negatives: 0→2, 1→2, 2→1, 3→1.
        let h = TripletLossTests.hinge
        let expected = (h(0, 1, 2, distance) + h(1, 0, 2, distance) + h(2, 3, 1, distance) + h(3, 2, 1, distance)) / 4
        let statistics = handExample(.batchHard, distance)
        #expect(abs(statistics.loss - expected) < 1e-5, "\(distance): \(statistics.loss) vs \(expected)")
        #expect(statistics.lossTerms == 4)
    }

    @Test(arguments: [TripletDistance.squaredEuclidean, .euclidean])
    func semiHardTakesTheClosestFartherNegativeElseTheHardest(_ distance: TripletDistance) {
        // (0,1): negatives 2, 3 are farther than d01 → n = 2, semi-hard (inside the margin).
        // (1,0): only 3 is farther than d10 (d12 ≈ 0) → n = 3, easy: hinge 0.
        // (2,3): no negative is farther than d23 → fallback to the hardest, n = 1.
        // (3,2): 1 and 0 are farther; the closer is 1, semi-hard.
        let d = TripletLossTests.d
        #expect(d(0, 1, distance) < d(0, 2, distance) && d(0, 2, distance) < d(0, 1, distance) + TripletLossTests.margin)
        #expect(d(3, 2, distance) < d(3, 1, distance) && d(3, 1, distance) < d(3, 2, distance) + TripletLossTests.margin)
        #expect(d(2, 3, distance) > d(2, 0, distance) && d(2, 3, distance) > d(2, 1, distance))
        let h = TripletLossTests.hinge
        #expect(h(1, 0, 3, distance) == 0)
        let expected = (h(0, 1, 2, distance) + h(1, 0, 3, distance) + h(2, 3, 1, distance) + h(3, 2, 1, distance)) / 4
        let statistics = handExample(.semiHard, distance)
        #expect(abs(statistics.loss - expected) < 1e-5, "\(distance): \(statistics.loss) vs \(expected)")
        #expect(statistics.lossTerms == 4)
    }

    @Test(arguments: [TripletDistance.squaredEuclidean, .euclidean])
    func adversarialIsTheMeanOfLogTermsOverAllPairEntries(_ distance: TripletDistance) {
        // Positive pairs (0,1), (2,3); of the negative pairs only (0,2) and (1,2) are closer than 0.999.
        // Each unordered pair appears twice in the N² = 16 entries.
        let d = TripletLossTests.d
        #expect(d(0, 3, distance) >= 0.999 && d(1, 3, distance) >= 0.999)
        let pull = 0.5 * log(1 + d(0, 1, distance)) + 0.5 * log(1 + d(2, 3, distance))
        let push = -0.5 * log(0.001 + d(0, 2, distance)) - 0.5 * log(0.001 + d(1, 2, distance))
        let expected = 2 * (pull + push) / 16
        let statistics = handExample(.adversarial, distance)
        #expect(abs(statistics.loss - expected) < 1e-5, "\(distance): \(statistics.loss) vs \(expected)")
    }

    @Test func distanceMeansCoverAllPairsOfTheBatch() {
        let d = TripletLossTests.d
        let statistics = handExample(.batchHard, .euclidean)
        #expect(abs(statistics.meanPositiveDistance - (d(0, 1, .euclidean) + d(2, 3, .euclidean)) / 2) < 1e-6)
        let negatives = d(0, 2, .euclidean) + d(0, 3, .euclidean) + d(1, 2, .euclidean) + d(1, 3, .euclidean)
        #expect(abs(statistics.meanNegativeDistance - negatives / 4) < 1e-6)
        let all = negatives + d(0, 1, .euclidean) + d(2, 3, .euclidean)
        #expect(abs(statistics.meanPairwiseDistance - all / 6) < 1e-6)
        #expect(abs(statistics.meanEmbeddingNorm - 7.0 / 4.0) < 1e-6)
    }

    // MARK: Brute force on random batches

    /// Every valid triplet with its two distances, from cosines of the normalised rows (a different route
    /// from the loss's coordinate-wise differences).
    func bruteForce(_ x: [Float], _ labels: [Int32], dimension: Int, distance: TripletDistance, mining: TripletMining, margin: Double) -> (loss: Double, active: Int, valid: Int) {
        let n = labels.count
        func unit(_ i: Int) -> [Double] {
            let row = (0..<dimension).map { Double(x[i * dimension + $0]) }
            let norm = row.map { $0 * $0 }.reduce(0, +).squareRoot()
            return row.map { $0 / norm }
        }
        let units = (0..<n).map(unit)
        func dist(_ i: Int, _ j: Int) -> Double {
            let cosine = zip(units[i], units[j]).map { $0 * $1 }.reduce(0, +)
            let s = max(2 - 2 * cosine, 0)
            return distance == .squaredEuclidean ? s : s.squareRoot()
        }
        var triplets: [(a: Int, p: Int, n: Int, hinge: Double)] = []
        for a in 0..<n { for p in 0..<n { for q in 0..<n where a != p && labels[a] == labels[p] && labels[q] != labels[a] {
            triplets.append((a, p, q, dist(a, p) - dist(a, q) + margin))
        } } }
        let active = triplets.filter { $0.hinge > 0 }
        switch mining {
        case .batchAll:
            return (active.isEmpty ? 0 : active.map { $0.hinge }.reduce(0, +) / Double(active.count), active.count, triplets.count)
        case .batchHard:
            let anchors = Set(triplets.map { $0.a })
            let losses = anchors.map { a -> Double in
                let mine = triplets.filter { $0.a == a }
                let hardestPositive = mine.map { dist(a, $0.p) }.max()!
                let hardestNegative = mine.map { dist(a, $0.n) }.min()!
                return max(hardestPositive - hardestNegative + margin, 0)
            }
            return (losses.reduce(0, +) / Double(losses.count), active.count, triplets.count)
        case .semiHard:
            let pairs = Set(triplets.map { [$0.a, $0.p] })
            let losses = pairs.map { pair -> Double in
                let candidates = triplets.filter { $0.a == pair[0] && $0.p == pair[1] }.map { dist(pair[0], $0.n) }
                let dap = dist(pair[0], pair[1])
                let dan = candidates.filter { $0 > dap }.min() ?? candidates.min()!
                return max(dap - dan + margin, 0)
            }
            return (losses.reduce(0, +) / Double(losses.count), active.count, triplets.count)
        case .adversarial:
            var sum = 0.0
            for a in 0..<n { for j in 0..<n where j != a {
                sum += labels[j] == labels[a] ? 0.5 * log(1 + dist(a, j)) : max(0, -0.5 * log(0.001 + dist(a, j)))
            } }
            return (sum / Double(n * n), active.count, triplets.count)
        }
    }

    @Test(arguments: 0..<configurations.count)
    func matchesABruteForceReferenceOnRandomBatches(_ c: Int) {
        let (mining, distance) = TripletLossTests.configurations[c]
        var random = SeededRandom(seed: UInt64(300 + c))
        for trial in 0..<4 {
            let dimension = 3 + trial, labels: [Int32] = [0, 0, 0, 1, 1, 2, 2, 2, 3, 3]
            let x = (0..<(labels.count * dimension)).map { _ in random.nextFloat(in: -1, 1) }
            let loss = TripletLoss(mining: mining, margin: 0.3, distance: distance)
            let (statistics, _) = evaluate(loss, x, labels, dimension: dimension)
            let reference = bruteForce(x, labels, dimension: dimension, distance: distance, mining: mining, margin: 0.3)
            #expect(abs(statistics.loss - reference.loss) < 1e-5, "\(mining) \(distance) trial \(trial): \(statistics.loss) vs \(reference.loss)")
            #expect(statistics.validTriplets == reference.valid)
            #expect(abs(statistics.activeFraction - Double(reference.active) / Double(reference.valid)) < 1e-12)
        }
    }

    // MARK: Gradients

    /// The signed support of ∂L/∂d: which pairs the mining uses, with which sign and weight.
    func minedPattern(_ x: [Float], _ labels: [Int32], dimension: Int, _ loss: TripletLoss) -> [Int] {
        let distances = x.withUnsafeBufferPointer {
            PairwiseDistances(embeddings: $0.baseAddress!, count: labels.count, dimension: dimension, distance: loss.distance)
        }
        var gradient = [Double](repeating: 0, count: labels.count * labels.count)
        _ = loss.mining.accumulate(distances: distances, labels: labels, margin: Double(loss.margin), gradient: &gradient)
        // The adversarial weights vary smoothly with d; only their support (d < 0.999) is a kink.
        if loss.mining == .adversarial { return gradient.map { $0 == 0 ? 0 : ($0 > 0 ? 1 : -1) } }
        return gradient.map { Int(($0 * 1e6).rounded()) }
    }

    /// Central differences at every coordinate of a random batch. A coordinate is skipped when x ± ε
    /// changes the mined triplets (their signed weights on ∂L/∂d): there the loss has a kink or a jump
    /// (argmax/argmin switches, a hinge crossing 0, batch-all's active count) and no derivative exists.
    @Test(arguments: 0..<configurations.count)
    func gradientsMatchCentralDifferencesAwayFromMiningSwitches(_ c: Int) {
        let (mining, distance) = TripletLossTests.configurations[c]
        let loss = TripletLoss(mining: mining, margin: 0.5, distance: distance)
        var random = SeededRandom(seed: UInt64(500 + c))
        let labels: [Int32] = [0, 0, 0, 1, 1, 1, 2, 2], dimension = 5
        var x = (0..<(labels.count * dimension)).map { _ in random.nextFloat(in: -1, 1) }
        let (_, analytic) = evaluate(loss, x, labels, dimension: dimension)
        let pattern = minedPattern(x, labels, dimension: dimension, loss)
        let epsilon: Float = 1e-3
        var checked = 0
        for i in 0..<x.count {
            let original = x[i]
            x[i] = original + epsilon
            let plusPattern = minedPattern(x, labels, dimension: dimension, loss)
            let plus = evaluate(loss, x, labels, dimension: dimension).0.loss
            let upper = x[i]
            x[i] = original - epsilon
            let minusPattern = minedPattern(x, labels, dimension: dimension, loss)
            let minus = evaluate(loss, x, labels, dimension: dimension).0.loss
            let lower = x[i]
            x[i] = original
            if plusPattern != pattern || minusPattern != pattern { continue }
            checked += 1
            let numeric = (plus - minus) / Double(upper - lower)
            let tolerance = GradientTolerance.absolute + GradientTolerance.relative * max(abs(Double(analytic[i])), abs(numeric))
            #expect(abs(Double(analytic[i]) - numeric) <= tolerance, "\(mining) \(distance) x[\(i)]: analytic \(analytic[i]), numeric \(numeric)")
        }
        // One near-tie between two distances touches the 3 points of its triplet (15 of 40 coordinates).
        #expect(checked >= x.count / 2, "\(mining) \(distance): only \(checked) of \(x.count) coordinates away from mining switches")
        #expect(analytic.contains { $0 != 0 }, "\(mining) \(distance): zero gradient, nothing was checked")
    }

    // MARK: Collapse

    @Test(arguments: 0..<configurations.count)
    func identicalEmbeddingsGiveFiniteGradientsAndHingeLossesAtTheMargin(_ c: Int) {
        let (mining, distance) = TripletLossTests.configurations[c]
        let labels: [Int32] = [0, 0, 1, 1, 2, 2], dimension = 4
        let x = (0..<(labels.count * dimension)).map { Float($0 % dimension) + 1 }
        let (statistics, gradient) = evaluate(TripletLoss(mining: mining, margin: 0.2, distance: distance), x, labels, dimension: dimension)
        #expect(gradient.allSatisfy { $0.isFinite })
        #expect(statistics.meanPairwiseDistance < 1e-6)
        if mining != .adversarial {
            #expect(abs(statistics.loss - 0.2) < 1e-5, "\(mining) \(distance): \(statistics.loss)")
            #expect(statistics.activeFraction == 1)
        }
    }

    @Test func safeRootIsContinuousWithAContinuousSlopeAtItsSwitch() {
        let e = PairwiseDistances.rootEpsilon
        let below = PairwiseDistances.safeRoot(e * e * (1 - 1e-9)), above = PairwiseDistances.safeRoot(e * e)
        #expect(abs(below.value - above.value) < 1e-12)
        #expect(abs(below.slope - above.slope) / above.slope < 1e-6)
        #expect(PairwiseDistances.safeRoot(0) == (value: e / 2, slope: 1 / (2 * e)))
        #expect(PairwiseDistances.safeRoot(0.25).value == 0.5)
    }

    @Test func aBatchWithoutNegativesHasNoTripletsAndZeroGradient() {
        let labels: [Int32] = [4, 4, 4]
        let x: [Float] = [1, 0, 0, 1, 1, 1]
        for mining in [TripletMining.batchAll, .batchHard, .semiHard] {
            let (statistics, gradient) = evaluate(TripletLoss(mining: mining), x, labels, dimension: 2)
            #expect(statistics.loss == 0 && statistics.validTriplets == 0 && statistics.activeFraction == 0)
            #expect(gradient.allSatisfy { $0 == 0 })
        }
    }
}
