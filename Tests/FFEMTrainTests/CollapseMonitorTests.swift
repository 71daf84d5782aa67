import FFEMCore
import Testing
@testable import FFEMTrain

/// The collapse monitor on statistics measured by the triplet loss itself.
@Suite struct CollapseMonitorTests {
    static let labels: [Int32] = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
    static let dimension = 16

    func statistics(_ loss: TripletLoss, _ x: [Float]) -> TripletStatistics {
        var gradient = [Float](repeating: 0, count: x.count)
        return x.withUnsafeBufferPointer {
            loss.loss(embeddings: $0.baseAddress!, labels: CollapseMonitorTests.labels, count: CollapseMonitorTests.labels.count,
                      dimension: CollapseMonitorTests.dimension, embeddingGradient: &gradient)
        }
    }

    /// Every embedding the same vector plus noise of relative size `noise` (0: exactly equal).
    func collapsed(_ random: inout SeededRandom, noise: Float) -> [Float] {
        (0..<(CollapseMonitorTests.labels.count * CollapseMonitorTests.dimension)).map { i in
            3 + Float(i % CollapseMonitorTests.dimension % 5) + noise * random.nextFloat(in: -1, 1)
        }
    }

    /// Random directions: on the 16-D sphere the pairwise distances are spread around √2.
    func healthy(_ random: inout SeededRandom, scale: Float = 1) -> [Float] {
        (0..<(CollapseMonitorTests.labels.count * CollapseMonitorTests.dimension)).map { _ in scale * random.nextFloat(in: -1, 1) }
    }

    @Test(arguments: TripletMining.allCases)
    func firesAfterAWindowOfCollapsedSteps(_ mining: TripletMining) {
        let loss = TripletLoss(mining: mining, margin: 0.2, distance: .euclidean)
        var monitor = CollapseMonitor(for: loss)
        var random = SeededRandom(seed: 3)
        var verdicts: [CollapseMonitor.Verdict?] = []
        for _ in 0..<monitor.thresholds.window {
            verdicts.append(monitor.record(statistics(loss, collapsed(&random, noise: 1e-4))))
        }
        #expect(verdicts.dropLast().allSatisfy { $0 == nil })
        let verdict = verdicts.last!
        #expect(verdict != nil)
        #expect(verdict?.step == monitor.thresholds.window - 1)
        #expect(verdict?.reasons.contains(.distancesCollapsed) == true)
        #expect(monitor.recent.count == monitor.thresholds.window)
        #expect(monitor.recent.allSatisfy { $0.meanPairwiseDistance < 1e-3 })
        #expect(verdict?.reasons.contains(.lossAtMargin) == (mining != .adversarial))
        let message = verdict?.message ?? ""
        for phrase in ["collapsed", "lower the learning rate", "phase-1 checkpoint", "larger P×K batch"] {
            #expect(message.contains(phrase), "message lacks \"\(phrase)\": \(message)")
        }
    }

    @Test(arguments: TripletMining.allCases)
    func staysQuietOnHealthyEmbeddings(_ mining: TripletMining) {
        let loss = TripletLoss(mining: mining, margin: 0.2, distance: .squaredEuclidean)
        var monitor = CollapseMonitor(for: loss)
        var random = SeededRandom(seed: 4)
        for step in 0..<100 {
            let s = statistics(loss, healthy(&random))
            #expect(monitor.reasons(for: s).isEmpty, "step \(step): \(s)")
            #expect(monitor.record(s) == nil)
        }
    }

    @Test func oneHealthyStepRestartsTheWindow() {
        let loss = TripletLoss(mining: .batchAll)
        var monitor = CollapseMonitor(for: loss)
        var random = SeededRandom(seed: 5)
        let window = monitor.thresholds.window
        for _ in 0..<(window - 1) { #expect(monitor.record(statistics(loss, collapsed(&random, noise: 0))) == nil) }
        #expect(monitor.record(statistics(loss, healthy(&random))) == nil)
        #expect(monitor.collapsedSteps == 0)
        for _ in 0..<(window - 1) { #expect(monitor.record(statistics(loss, collapsed(&random, noise: 0))) == nil) }
        #expect(monitor.record(statistics(loss, collapsed(&random, noise: 0))) != nil)
    }

    @Test func aVanishingNormIsCollapseEvenWithSpreadDirections() {
        let loss = TripletLoss(mining: .batchHard)
        var monitor = CollapseMonitor(for: loss)
        var random = SeededRandom(seed: 6)
        #expect(monitor.record(statistics(loss, healthy(&random))) == nil)
        var verdict: CollapseMonitor.Verdict?
        for _ in 0..<monitor.thresholds.window { verdict = monitor.record(statistics(loss, healthy(&random, scale: 1e-5))) }
        #expect(verdict?.reasons == [.normVanished])
        #expect(verdict?.message.contains("mean embedding norm fell") == true)
    }

    @Test func theMarginLockNeedsEqualDistancesNotJustALossNearTheMargin() {
        var monitor = CollapseMonitor(margin: 0.2, distance: .euclidean)
        let nearMargin = TripletStatistics(loss: 0.2, activeFraction: 1, meanPositiveDistance: 1.1, meanNegativeDistance: 1.3,
                                           meanPairwiseDistance: 1.2, meanEmbeddingNorm: 1, validTriplets: 10, lossTerms: 10)
        #expect(monitor.record(nearMargin) == nil)
        #expect(monitor.reasons(for: nearMargin).isEmpty)
        var locked = nearMargin
        locked.meanNegativeDistance = 1.1005
        #expect(monitor.reasons(for: locked) == [.lossAtMargin])
    }

    @Test func theDistanceThresholdIsSquaredForSquaredDistances() {
        #expect(CollapseMonitor(margin: 0.2, distance: .euclidean).distanceThreshold == 0.1)
        #expect(abs(CollapseMonitor(margin: 0.2, distance: .squaredEuclidean).distanceThreshold - 0.01) < 1e-15)
        #expect(CollapseMonitor(for: TripletLoss(mining: .adversarial)).margin == nil)
    }
}
