// FFEMTrain — CollapseMonitor.swift: notices when metric training maps every face to the same point.

/// Watches the triplet statistics step by step and reports the f(x) = const collapse that the original
/// FFEM README warns about ("it often fails to converge and results in f(x)=0") and that the maintainer
/// of omoindrot/tensorflow-triplet-loss describes (#6, #25: "the loss gets stuck at exactly the margin").
///
/// A step *looks collapsed* when at least one of these holds (thresholds in `Thresholds`):
/// - **distances**: mean pairwise distance between normalised embeddings < δ = 0.1 (Euclidean units,
///   i.e. a mean cosine above ≈ 0.995; δ² = 0.01 when the loss uses squared distances);
/// - **margin lock**: |L − α| ≤ 0.01·α, |mean dₐₙ − mean dₐₚ| ≤ 0.01·α and ≥ 99 % of triplets active:
///   with all distances equal every hinge is exactly α (not checked for the adversarial loss, which has
///   no margin);
/// - **vanishing norm**: mean ‖x‖ before normalisation < 10⁻³ × its value at the first recorded step.
///
/// The run is declared collapsed when the last `window` = 20 steps all looked collapsed, so one odd
/// batch does not stop training.
///
///     var monitor = CollapseMonitor(for: loss)
///     if let verdict = monitor.record(statistics) { print(verdict.message); stop() }
public struct CollapseMonitor: Sendable {
    /// The decision rule's numbers.
    public struct Thresholds: Equatable, Sendable {
        /// Consecutive collapsed-looking steps before the verdict.
        public var window = 20
        /// δ: mean pairwise Euclidean distance below which the embeddings count as one point.
        public var pairwiseDistance = 0.1
        /// Relative tolerance of "L = α" and of "mean dₐₙ = mean dₐₚ", as a fraction of α.
        public var marginTolerance = 0.01
        /// Minimum fraction of active triplets for the margin lock.
        public var activeFraction = 0.99
        /// Mean norm, as a fraction of the first step's, below which the embeddings count as vanished.
        public var normRatio = 1e-3

        public init() {}
    }

    /// Why a step looked collapsed.
    public enum Reason: String, Equatable, Sendable {
        case distancesCollapsed
        case lossAtMargin
        case normVanished
    }

    /// The monitor's decision: the run has collapsed, and what to do about it.
    public struct Verdict: Equatable, Sendable {
        /// The step (0-based count of recorded steps) at which the window filled.
        public var step: Int
        public var reasons: [Reason]
        /// A paragraph for the user: what happened and what to change.
        public var message: String
    }

    /// α, or nil when the loss has no margin (the adversarial variant).
    public let margin: Double?
    public let distance: TripletDistance
    public let thresholds: Thresholds
    /// Steps recorded so far.
    public private(set) var step = 0
    /// Length of the current run of collapsed-looking steps.
    public private(set) var collapsedSteps = 0
    /// The statistics of the last `window` steps, oldest first (for logs and plots).
    public private(set) var recent: [TripletStatistics] = []
    private var firstNorm: Double?

    public init(margin: Float?, distance: TripletDistance, thresholds: Thresholds = Thresholds()) {
        self.margin = margin.map(Double.init)
        self.distance = distance
        self.thresholds = thresholds
    }

    /// A monitor for `loss`'s margin and distance.
    public init(for loss: TripletLoss, thresholds: Thresholds = Thresholds()) {
        self.init(margin: loss.mining == .adversarial ? nil : loss.margin, distance: loss.distance, thresholds: thresholds)
    }

    /// δ in the loss's distance units.
    var distanceThreshold: Double {
        distance == .squaredEuclidean ? thresholds.pairwiseDistance * thresholds.pairwiseDistance : thresholds.pairwiseDistance
    }

    /// The criteria that `statistics` meets (empty for a healthy step), against the norm of the first recorded step.
    public func reasons(for statistics: TripletStatistics) -> [Reason] {
        var found: [Reason] = []
        if statistics.meanPairwiseDistance < distanceThreshold { found.append(.distancesCollapsed) }
        if let margin {
            let tolerance = thresholds.marginTolerance * margin
            if abs(statistics.loss - margin) <= tolerance,
               abs(statistics.meanNegativeDistance - statistics.meanPositiveDistance) <= tolerance,
               statistics.activeFraction >= thresholds.activeFraction {
                found.append(.lossAtMargin)
            }
        }
        if let firstNorm, statistics.meanEmbeddingNorm < thresholds.normRatio * firstNorm { found.append(.normVanished) }
        return found
    }

    /// Records one step; returns the verdict once `window` consecutive steps looked collapsed (and on
    /// every later collapsed step), nil otherwise.
    public mutating func record(_ statistics: TripletStatistics) -> Verdict? {
        defer { step += 1 }
        if firstNorm == nil { firstNorm = statistics.meanEmbeddingNorm }
        recent.append(statistics)
        if recent.count > thresholds.window { recent.removeFirst(recent.count - thresholds.window) }
        let found = reasons(for: statistics)
        collapsedSteps = found.isEmpty ? 0 : collapsedSteps + 1
        guard collapsedSteps >= thresholds.window else { return nil }
        return Verdict(step: step, reasons: found, message: message(found, statistics))
    }

    func message(_ reasons: [Reason], _ s: TripletStatistics) -> String {
        var evidence: [String] = []
        for reason in reasons {
            switch reason {
            case .distancesCollapsed:
                evidence.append("the mean pairwise distance between normalised embeddings stayed below \(format(distanceThreshold)) (now \(format(s.meanPairwiseDistance)))")
            case .lossAtMargin:
                evidence.append("the loss sat at the margin α = \(format(margin ?? 0)) (now \(format(s.loss))) with \(format(100 * s.activeFraction)) % of triplets active and equal positive and negative distances")
            case .normVanished:
                evidence.append("the mean embedding norm fell below \(format(thresholds.normRatio)) × its first value (\(format(firstNorm ?? 0)) → \(format(s.meanEmbeddingNorm)))")
            }
        }
        return """
            The embeddings collapsed at step \(step): for the last \(thresholds.window) steps \(evidence.joined(separator: "; and ")). \
            The network maps every face to (nearly) the same point, so the triplet loss no longer separates identities. \
            What to do: lower the learning rate (try a tenth); start this phase from a phase-1 checkpoint \
            (pretrain as a classifier first: triplet training from scratch collapses); use a larger P×K batch \
            (more identities P and more images K per identity) so that mining finds informative triplets.
            """
    }

    private func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 0.01 && magnitude < 10_000 {
            let scaled = (value * 10_000).rounded() / 10_000
            return "\(scaled)"
        }
        return "\(Float(value))"
    }
}
