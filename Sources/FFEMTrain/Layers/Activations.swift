import CFFEMKernels
// FFEMTrain — Activations.swift: PReLU, ReLU and ReLU6.

/// y = x for x > 0, a_c·x otherwise, one learned slope a_c per channel (He et al. 2015), initial 0.25.
/// ∂y/∂x = 1 or a_c; ∂y/∂a_c = x for x ≤ 0 (the kink at 0 takes the negative side).
public final class PReLU: Layer {
    public let outputShape: Shape
    public let slope: Parameter

    public init(name: String, input: Shape) {
        outputShape = input
        slope = Parameter(name: name + ".alpha", shape: [input.channels], initial: [Float](repeating: 0.25, count: input.channels), isDecayed: false)
    }

    public var parameters: [Parameter] { [slope] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0].pointer, y = output.pointer, c = outputShape.channels, a = slope.value.pointer
        Parallel.forEachElementRange(context.batch * outputShape.height * outputShape.width, threads: context.threads) { part in
            ffem_f32_prelu_forward(x + part.lowerBound * c, part.count, c, a, y + part.lowerBound * c)
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let x = inputs[0].pointer, dy = outputGradient.pointer, c = outputShape.channels, a = slope.value.pointer
        let rows = context.batch * outputShape.height * outputShape.width
        let parts = max(1, min(context.threads, rows))
        var partials = [Float](repeating: 0, count: parts * c)
        let dx = inputGradients[0]
        partials.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedPointer(buffer.baseAddress!)
            DispatchParts.run(parts) { part in
                let range = Parallel.bounds(part, of: parts, count: rows)
                let offset = range.lowerBound * c
                ffem_f32_prelu_backward(x + offset, dy + offset, range.count, c, a, dx.map { $0.pointer + offset }, out.pointer + part * c)
            }
        }
        for part in 0..<parts { for k in 0..<c { slope.gradient[k] += partials[part * c + k] } }
    }
}

/// y = min(max(x, 0), ceiling): ReLU (ceiling = ∞) or ReLU6 (ceiling = 6). Gradient 1 strictly inside.
public final class ClippedReLU: Layer {
    public let outputShape: Shape
    let ceiling: Float

    public init(input: Shape, ceiling: Float) {
        outputShape = input
        self.ceiling = ceiling
    }

    public var parameters: [Parameter] { [] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0].pointer, y = output.pointer, top = ceiling
        Parallel.forEachRange(context.batch * outputShape.count, threads: context.threads) { part in
            for i in part { y[i] = min(max(x[i], 0), top) }
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        guard let dx = inputGradients[0] else { return }
        let x = inputs[0].pointer, g = outputGradient.pointer, d = dx.pointer, top = ceiling
        Parallel.forEachRange(context.batch * outputShape.count, threads: context.threads) { part in
            for i in part where x[i] > 0 && x[i] < top { d[i] += g[i] }
        }
    }
}
