// FFEMTrain — Activations.swift: PReLU, ReLU and ReLU6.

/// y = x for x > 0, a_c·x otherwise, one learned slope a_c per channel (He et al. 2015), initial 0.25.
/// ∂y/∂x = 1 or a_c; ∂y/∂a_c = x for x ≤ 0 (the kink at 0 takes the negative side).
public final class PReLU: Layer {
    public let outputShape: Shape
    public let slope: Parameter
    var partials: [[Float]] = []

    public init(name: String, input: Shape) {
        outputShape = input
        slope = Parameter(name: name + ".alpha", shape: [input.channels], initial: [Float](repeating: 0.25, count: input.channels), isDecayed: false)
    }

    public var parameters: [Parameter] { [slope] }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0].pointer, y = output.pointer, c = outputShape.channels, a = slope.value.pointer
        Parallel.forEachRange(context.batch * outputShape.height * outputShape.width, threads: context.threads) { part in
            for r in part {
                let xr = x + r * c, yr = y + r * c
                for k in 0..<c { yr[k] = xr[k] > 0 ? xr[k] : a[k] * xr[k] }
            }
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let x = inputs[0].pointer, dy = outputGradient.pointer, c = outputShape.channels, a = slope.value.pointer
        let rows = context.batch * outputShape.height * outputShape.width
        let parts = max(1, min(context.threads, rows))
        var sums = [[Float]](repeating: [Float](repeating: 0, count: c), count: parts)
        let dx = inputGradients[0]
        sums.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedPointer(buffer.baseAddress!)
            DispatchParts.run(parts) { part in
                var local = [Float](repeating: 0, count: c)
                for r in Parallel.bounds(part, of: parts, count: rows) {
                    let xr = x + r * c, g = dy + r * c
                    for k in 0..<c where xr[k] <= 0 { local[k] += g[k] * xr[k] }
                    if let dx {
                        let d = dx.pointer + r * c
                        for k in 0..<c { d[k] += xr[k] > 0 ? g[k] : a[k] * g[k] }
                    }
                }
                out.pointer[part] = local
            }
        }
        for part in sums { for k in 0..<c { slope.gradient[k] += part[k] } }
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
