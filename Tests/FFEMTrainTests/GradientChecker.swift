// Central finite differences against the explicit backward passes (ggml's MODE_GRAD habit).
import FFEMCore
@testable import FFEMTrain

/// Tolerances of the gradient checks: |analytic − numeric| ≤ absolute + relative·max(|analytic|, |numeric|).
enum GradientTolerance {
    static let absolute = 2e-3
    static let relative = 2e-2
}

struct GradientChecker {
    let network: Network
    let batch: Int
    let input: FloatBuffer
    /// The loss is L = Σ projection·output (a fixed random linear functional), so ∂L/∂output = projection.
    let projection: [Float]
    let epsilon: Float

    init(spec: ModelSpec, batch: Int, seed: UInt64, epsilon: Float = 1e-2, inputMagnitude: Float = 1, avoidKinks: Bool = false) throws {
        network = try Network(spec: spec, seed: seed, threads: 2)
        self.batch = batch
        self.epsilon = epsilon
        var random = SeededRandom(seed: seed ^ 0xABCDEF)
        var values = (0..<(batch * spec.input.count)).map { _ in random.nextFloat(in: -inputMagnitude, inputMagnitude) }
        if avoidKinks {
            // Keep inputs of kinked activations at least 4ε from 0 (central differences straddle ±ε).
            values = values.map { abs($0) < 4 * epsilon ? ($0 < 0 ? -4 * epsilon - abs($0) : 4 * epsilon + $0) : $0 }
        }
        input = FloatBuffer(values)
        network.forward(input, batch: batch, isTraining: true, seed: 7, step: 3)
        projection = (0..<network.output.count).map { _ in random.nextFloat(in: -1, 1) }
    }

    func loss() -> Double {
        let output = network.forward(input, batch: batch, isTraining: true, seed: 7, step: 3)
        var sum = 0.0
        for i in 0..<output.count { sum += Double(output[i]) * Double(projection[i]) }
        return sum
    }

    func numericGradient(of buffer: FloatBuffer, at index: Int) -> Double {
        let original = buffer[index]
        buffer[index] = original + epsilon
        let plus = loss()
        buffer[index] = original - epsilon
        let minus = loss()
        buffer[index] = original
        return (plus - minus) / (2 * Double(epsilon))
    }

    /// Analytic gradients of the input and of every parameter after one backward pass.
    func analytic() -> (input: [Float], parameters: [[Float]]) {
        network.forward(input, batch: batch, isTraining: true, seed: 7, step: 3)
        network.zeroGradients()
        network.outputGradient.copy(from: projection)
        network.backward(input: input, seed: 7, step: 3, computeInputGradient: true)
        return (network.inputGradientBuffer.array, network.parameters.map { $0.gradient.array })
    }

    /// Mismatches at `samples` random coordinates of the input and of each parameter.
    func mismatches(samples: Int = 12, seed: UInt64 = 1) -> [String] {
        let (inputGradient, parameterGradients) = analytic()
        var random = SeededRandom(seed: seed)
        var found: [String] = []
        func compare(_ name: String, _ buffer: FloatBuffer, _ gradient: [Float]) {
            for _ in 0..<samples {
                let index = random.nextInt(below: buffer.count)
                let numeric = numericGradient(of: buffer, at: index)
                let analytic = Double(gradient[index])
                if abs(analytic - numeric) > GradientTolerance.absolute + GradientTolerance.relative * max(abs(analytic), abs(numeric)) {
                    found.append("\(name)[\(index)]: analytic \(analytic), numeric \(numeric)")
                }
            }
        }
        compare("input", input, inputGradient)
        for (k, parameter) in network.parameters.enumerated() { compare(parameter.name, parameter.value, parameterGradients[k]) }
        return found
    }
}
