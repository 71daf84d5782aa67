import Foundation
import Testing
@testable import FFEMTrain

/// Optimizer trajectories against hand computation; schedules; batch-norm statistics.
@Suite struct OptimizerTests {
    /// Three steps on f(w) = w²/2 (gradient w) from w = 1, learning rate 0.1.
    func trajectory(_ settings: OptimizerSettings, decayed: Bool = false) -> [Float] {
        let parameter = Parameter(name: "w", shape: [1], initial: [1], isDecayed: decayed)
        let optimizer = Optimizer(settings: settings, parameters: [parameter])
        var values: [Float] = []
        for _ in 0..<3 {
            parameter.gradient[0] = parameter.value[0]
            optimizer.step([parameter], learningRate: 0.1)
            values.append(parameter.value[0])
        }
        return values
    }

    func close(_ a: [Float], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs(Double($0) - $1) < 1e-6 } }

    @Test func sgdWithMomentumFollowsHandComputation() {
        var s = OptimizerSettings()
        s.momentum = 0.9
        // v1 = 1, w1 = 0.9; v2 = 0.9·1 + 0.9 = 1.8, w2 = 0.72; v3 = 1.62 + 0.72 = 2.34, w3 = 0.486
        #expect(close(trajectory(s), [0.9, 0.72, 0.486]))
    }

    @Test func nesterovFollowsHandComputation() {
        var s = OptimizerSettings()
        s.nesterov = true
        // g1 = 1, v1 = 1, w1 = 1 − 0.1(1 + 0.9) = 0.81; g2 = 0.81, v2 = 1.71, w2 = 0.81 − 0.1(0.81 + 1.539) = 0.5751
        let t = trajectory(s)
        #expect(close(Array(t.prefix(2)), [0.81, 0.5751]))
    }

    @Test func adamWithBiasCorrectionFollowsHandComputation() {
        var s = OptimizerSettings()
        s.kind = .adam
        s.weightDecay = 0
        // With bias correction the first step is −η·sign(g): w1 = 0.9.
        var w = 1.0, m = 0.0, v = 0.0
        var expected: [Double] = []
        for t in 1...3 {
            let g = w
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            w -= 0.1 * (m / (1 - pow(0.9, Double(t)))) / ((v / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
            expected.append(w)
        }
        #expect(abs(expected[0] - 0.9) < 1e-6)
        #expect(close(trajectory(s), expected))
    }

    @Test func adamWDecaysDecoupledFromTheGradient() {
        var s = OptimizerSettings()
        s.kind = .adamw
        s.weightDecay = 0.5
        // Step 1: w ← 1 − 0.1·0.5·1 = 0.95, then the Adam step with g = 1 (the gradient before decay): 0.85.
        #expect(abs(trajectory(s, decayed: true)[0] - 0.85) < 1e-6)
    }

    @Test func coupledWeightDecayAddsToTheGradient() {
        var s = OptimizerSettings()
        s.momentum = 0
        s.weightDecay = 0.5
        // g = w + 0.5 w = 1.5: w1 = 1 − 0.15
        #expect(abs(trajectory(s, decayed: true)[0] - 0.85) < 1e-6)
        #expect(abs(trajectory(s, decayed: false)[0] - 0.9) < 1e-6)
    }

    @Test func clippingScalesToTheGlobalNorm() {
        let a = Parameter(name: "a", shape: [2], initial: [0, 0], isDecayed: false)
        a.gradient.copy(from: [3, 4])
        #expect(Optimizer.clipGradients([a], maximumNorm: 1) == 5)
        #expect(abs(a.gradient[0] - 0.6) < 1e-6 && abs(a.gradient[1] - 0.8) < 1e-6)
    }

    @Test func schedulesGiveTheirFormulas() {
        #expect(LearningRateSchedule.exponential(rate: 0.5, decaySteps: 10, staircase: true).rate(base: 1, step: 25) == 0.25)
        #expect(abs(LearningRateSchedule.exponential(rate: 0.5, decaySteps: 10, staircase: false).rate(base: 1, step: 5) - 0.70710677) < 1e-6)
        #expect(LearningRateSchedule.step(boundaries: [10, 20], factor: 0.1).rate(base: 1, step: 15) == 0.1)
        let cosine = LearningRateSchedule.cosine(warmupSteps: 10, totalSteps: 110, minimum: 0)
        #expect(cosine.rate(base: 1, step: 4) == 0.5)
        #expect(abs(cosine.rate(base: 1, step: 60) - 0.5) < 1e-6)
        #expect(cosine.rate(base: 1, step: 110) < 1e-6)
    }

    @Test func batchNormUsesBatchStatisticsAndKerasMomentum() throws {
        let spec = ModelSpec(name: "bn", input: Shape(1, 2, 1), nodes: [NodeSpec(name: "bn", operation: .batchNormalization(epsilon: 0, momentum: 0.99), inputs: [-1])])
        let network = try Network(spec: spec, seed: 1)
        // One channel, values 1, 3, 5, 7: mean 4, biased variance 5.
        let output = network.forward(FloatBuffer([1, 3, 5, 7]), batch: 2, isTraining: true)
        let expected = [1, 3, 5, 7].map { (Float($0) - 4) / Float(5).squareRoot() }
        for i in 0..<4 { #expect(abs(output[i] - expected[i]) < 1e-6) }
        let layer = try #require(network.layers[0] as? BatchNormalization)
        #expect(abs(layer.runningMean.value[0] - 0.04) < 1e-6)          // 0.99·0 + 0.01·4
        #expect(abs(layer.runningVariance.value[0] - 1.04) < 1e-6)      // 0.99·1 + 0.01·5
        let inference = network.forward(FloatBuffer([1.04, 0.04]), batch: 1, isTraining: false)
        #expect(abs(inference[0] - (1.04 - 0.04) / Float(1.04).squareRoot()) < 1e-5)
    }
}
