// FFEMTrain — LearningRateSchedule.swift: learning rate as a function of the step (and of plateaus).
import Foundation

/// η(step) for a base rate η₀:
/// - constant: η₀
/// - exponential (the original's `ExponentialDecay`): η₀·rate^(step/decaySteps), floored to whole
///   periods when `staircase`
/// - step: η₀·factor^(number of boundaries ≤ step)
/// - cosine with warm-up: η₀·step/warmup during warm-up, then
///   minimum + (η₀ − minimum)·(1 + cos(π·(step − warmup)/(total − warmup)))/2
/// Reduce-on-plateau is applied on top by the trainer (a multiplier lowered by `factor` after
/// `patience` validations without improvement).
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    case constant
    case exponential(rate: Float, decaySteps: Int, staircase: Bool)
    case step(boundaries: [Int], factor: Float)
    case cosine(warmupSteps: Int, totalSteps: Int, minimum: Float)

    public func rate(base: Float, step: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .exponential(rate, decaySteps, staircase):
            var periods = Float(step) / Float(max(decaySteps, 1))
            if staircase { periods.round(.down) }
            return base * pow(rate, periods)
        case let .step(boundaries, factor):
            return base * pow(factor, Float(boundaries.filter { step >= $0 }.count))
        case let .cosine(warmupSteps, totalSteps, minimum):
            if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
            let span = max(totalSteps - warmupSteps, 1)
            let progress = min(Float(step - warmupSteps) / Float(span), 1)
            return minimum + (base - minimum) * (1 + cos(Float.pi * progress)) / 2
        }
    }
}
