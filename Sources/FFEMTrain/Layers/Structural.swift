// FFEMTrain — Structural.swift: residual add, flatten, global average pooling, dropout, L2 normalisation.
import FFEMCore

/// y = a + b (same shapes).
public final class Add: Layer {
    public let outputShape: Shape
    public init(input: Shape) { outputShape = input }
    public var parameters: [Parameter] { [] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let a = inputs[0].pointer, b = inputs[1].pointer, y = output.pointer
        Parallel.forEachElementRange(context.batch * outputShape.count, threads: context.threads) { part in
            for i in part { y[i] = a[i] + b[i] }
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let g = outputGradient.pointer
        for case let dx? in inputGradients {
            let d = dx.pointer
            Parallel.forEachElementRange(context.batch * outputShape.count, threads: context.threads) { part in
                for i in part { d[i] += g[i] }
            }
        }
    }
}

/// H×W×C → 1×1×(H·W·C): NHWC memory is already in that order, so forward and backward copy.
public final class Flatten: Layer {
    public let outputShape: Shape
    public init(input: Shape) { outputShape = Shape(1, 1, input.count) }
    public var parameters: [Parameter] { [] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        output.pointer.update(from: inputs[0].pointer, count: context.batch * outputShape.count)
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        guard let dx = inputGradients[0] else { return }
        for i in 0..<(context.batch * outputShape.count) { dx.pointer[i] += outputGradient.pointer[i] }
    }
}

/// y[n, c] = (1/(H·W)) Σ_{h,w} x[n, h, w, c].
public final class GlobalAveragePooling: Layer {
    let input: Shape
    public let outputShape: Shape
    public init(input: Shape) {
        self.input = input
        outputShape = Shape(1, 1, input.channels)
    }
    public var parameters: [Parameter] { [] }
    public var multiplyAdds: Int { input.count }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let c = input.channels, pixels = input.height * input.width, scale = 1 / Float(pixels)
        for n in 0..<context.batch {
            let y = output.pointer + n * c
            y.update(repeating: 0, count: c)
            for p in 0..<pixels {
                let x = inputs[0].pointer + (n * pixels + p) * c
                for k in 0..<c { y[k] += x[k] }
            }
            for k in 0..<c { y[k] *= scale }
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        guard let dx = inputGradients[0] else { return }
        let c = input.channels, pixels = input.height * input.width, scale = 1 / Float(pixels)
        for n in 0..<context.batch {
            let g = outputGradient.pointer + n * c
            for p in 0..<pixels {
                let d = dx.pointer + (n * pixels + p) * c
                for k in 0..<c { d[k] += g[k] * scale }
            }
        }
    }
}

/// Inverted dropout: in training y = x·mask/(1 − rate) with mask ~ Bernoulli(1 − rate) drawn from
/// `SeededRandom(seed:, stream: step·65536 + node)`, so a resumed run draws the same masks.
public final class Dropout: Layer {
    public let outputShape: Shape
    let rate: Float
    let node: Int
    let mask = FloatBuffer(count: 0)

    public init(input: Shape, rate: Float, node: Int) {
        outputShape = input
        self.rate = rate
        self.node = node
    }
    public var parameters: [Parameter] { [] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let count = context.batch * outputShape.count
        guard context.isTraining && rate > 0 else {
            output.pointer.update(from: inputs[0].pointer, count: count)
            return
        }
        mask.resize(count)
        var random = SeededRandom(seed: context.seed, stream: UInt64(context.step) << 16 | UInt64(node))
        let keep = 1 / (1 - rate)
        for i in 0..<count { mask[i] = random.nextUnitFloat() < rate ? 0 : keep }
        for i in 0..<count { output.pointer[i] = inputs[0].pointer[i] * mask[i] }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        guard let dx = inputGradients[0] else { return }
        let count = context.batch * outputShape.count
        if context.isTraining && rate > 0 {
            for i in 0..<count { dx.pointer[i] += outputGradient.pointer[i] * mask[i] }
        } else {
            for i in 0..<count { dx.pointer[i] += outputGradient.pointer[i] }
        }
    }
}

/// y = x/‖x‖ per sample (‖x‖ floored at 1e-12); ∂L/∂x = (g − y·⟨g, y⟩)/‖x‖.
public final class L2Normalization: Layer {
    public let outputShape: Shape
    public init(input: Shape) { outputShape = input }
    public var parameters: [Parameter] { [] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let d = outputShape.count
        for n in 0..<context.batch {
            let x = inputs[0].pointer + n * d, y = output.pointer + n * d
            var sum: Float = 0
            for i in 0..<d { sum += x[i] * x[i] }
            let inverse = 1 / max(sum.squareRoot(), 1e-12)
            for i in 0..<d { y[i] = x[i] * inverse }
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        guard let dx = inputGradients[0] else { return }
        let d = outputShape.count
        for n in 0..<context.batch {
            let x = inputs[0].pointer + n * d, y = output.pointer + n * d, g = outputGradient.pointer + n * d
            var sum: Float = 0, dot: Float = 0
            for i in 0..<d {
                sum += x[i] * x[i]
                dot += g[i] * y[i]
            }
            let inverse = 1 / max(sum.squareRoot(), 1e-12)
            for i in 0..<d { dx.pointer[n * d + i] += (g[i] - y[i] * dot) * inverse }
        }
    }
}
