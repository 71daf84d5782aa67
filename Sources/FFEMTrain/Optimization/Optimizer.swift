// FFEMTrain — Optimizer.swift: SGD (momentum, Nesterov), Adam and AdamW, with their state for checkpoints.

/// The update rule and its hyper-parameters. Conventions are PyTorch's, stated here because they differ
/// between frameworks:
/// - SGD: v ← μ·v + g; w ← w − η·v (Nesterov: w ← w − η·(g + μ·v)).
/// - Adam (Kingma & Ba 2015, bias correction ON): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
///   w ← w − η·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
/// - Weight decay λ for SGD and Adam is coupled (g ← g + λw, "L2"); AdamW (Loshchilov & Hutter 2019)
///   decouples it: w ← w − η·λ·w before the Adam step. Decay applies to parameters with `isDecayed`.
public enum OptimizerKind: String, Codable, Sendable {
    case sgd, adam, adamw
}

public struct OptimizerSettings: Codable, Equatable, Sendable {
    public var kind: OptimizerKind = .sgd
    public var momentum: Float = 0.9
    public var nesterov = false
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 5e-4
    public init() {}
}

public final class Optimizer {
    public let settings: OptimizerSettings
    /// First and second moment (or velocity) per parameter, in parameter order.
    public private(set) var first: [FloatBuffer]
    public private(set) var second: [FloatBuffer]
    /// Updates taken so far (t of Adam's bias correction).
    public var stepCount = 0

    public init(settings: OptimizerSettings, parameters: [Parameter]) {
        self.settings = settings
        first = parameters.map { FloatBuffer(count: $0.count) }
        second = settings.kind == .sgd ? [] : parameters.map { FloatBuffer(count: $0.count) }
    }

    /// Applies one update with learning rate η to every parameter from its accumulated gradient.
    public func step(_ parameters: [Parameter], learningRate eta: Float) {
        stepCount += 1
        let s = settings
        let t = Float(stepCount)
        let correction1 = 1 - pow(s.beta1, t), correction2 = 1 - pow(s.beta2, t)
        for (k, parameter) in parameters.enumerated() {
            let w = parameter.value.pointer, g = parameter.gradient.pointer, count = parameter.count
            let decay = parameter.isDecayed ? s.weightDecay : 0
            let m = first[k].pointer
            switch s.kind {
            case .sgd:
                for i in 0..<count {
                    let gradient = g[i] + decay * w[i]
                    m[i] = s.momentum * m[i] + gradient
                    w[i] -= eta * (s.nesterov ? gradient + s.momentum * m[i] : m[i])
                }
            case .adam, .adamw:
                let v = second[k].pointer
                let coupled: Float = s.kind == .adam ? decay : 0
                let decoupled: Float = s.kind == .adamw ? decay : 0
                for i in 0..<count {
                    let gradient = g[i] + coupled * w[i]
                    if decoupled != 0 { w[i] -= eta * decoupled * w[i] }
                    m[i] = s.beta1 * m[i] + (1 - s.beta1) * gradient
                    v[i] = s.beta2 * v[i] + (1 - s.beta2) * gradient * gradient
                    w[i] -= eta * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + s.epsilon)
                }
            }
        }
    }

    /// Scales all gradients so their global L2 norm is at most `maximum`; returns the norm before clipping.
    @discardableResult
    public static func clipGradients(_ parameters: [Parameter], maximumNorm maximum: Float) -> Float {
        var sum = 0.0
        for parameter in parameters {
            for i in 0..<parameter.count { sum += Double(parameter.gradient[i]) * Double(parameter.gradient[i]) }
        }
        let norm = Float(sum.squareRoot())
        if maximum > 0 && norm > maximum {
            let factor = maximum / norm
            for parameter in parameters { for i in 0..<parameter.count { parameter.gradient[i] *= factor } }
        }
        return norm
    }
}

import Foundation
