// FFEMTrain — BatchNormalization.swift: batch normalisation over N·H·W per channel (Ioffe & Szegedy 2015).
import Foundation

/// Training: y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch mean μ_B and the biased batch variance σ²_B.
/// Inference: the running statistics instead. Running statistics follow Keras's convention (the
/// original project's framework): running ← momentum·running + (1 − momentum)·batch, momentum 0.99
/// by default, and the running variance takes the biased batch variance.
public final class BatchNormalization: Layer {
    public let outputShape: Shape
    public let gamma: Parameter
    public let beta: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    let epsilon: Float
    let momentum: Float
    /// x̂ and 1/√(σ² + ε) of the last training forward pass, for backward.
    let normalized = FloatBuffer(count: 0)
    var inverseStd: [Float]

    public init(name: String, input: Shape, epsilon: Float, momentum: Float) {
        outputShape = input
        let c = input.channels
        gamma = Parameter(name: name + ".gamma", shape: [c], initial: [Float](repeating: 1, count: c), isDecayed: false)
        beta = Parameter(name: name + ".beta", shape: [c], initial: [Float](repeating: 0, count: c), isDecayed: false)
        runningMean = Parameter(name: name + ".running_mean", shape: [c], initial: [Float](repeating: 0, count: c), isDecayed: false)
        runningVariance = Parameter(name: name + ".running_var", shape: [c], initial: [Float](repeating: 1, count: c), isDecayed: false)
        self.epsilon = epsilon
        self.momentum = momentum
        inverseStd = [Float](repeating: 1, count: c)
    }

    public var parameters: [Parameter] { [gamma, beta] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    /// Per-channel sums of `a` (and of a·b when b is given) over `rows` rows, in Double, split over
    /// threads by rows and combined in order.
    func channelSums(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, rows: Int, threads: Int) -> ([Double], [Double]) {
        let c = outputShape.channels
        let parts = max(1, min(threads, rows))
        var sums = [[Double]](repeating: [Double](repeating: 0, count: 2 * c), count: parts)
        sums.withUnsafeMutableBufferPointer { partials in
            let out = UncheckedPointer(partials.baseAddress!)
            DispatchParts.run(parts) { part in
                var local = [Double](repeating: 0, count: 2 * c)
                var chunk = [Float](repeating: 0, count: 2 * c)
                var inChunk = 0
                for r in Parallel.bounds(part, of: parts, count: rows) {
                    let row = a + r * c
                    if let b {
                        let other = b + r * c
                        for k in 0..<c {
                            chunk[k] += row[k]
                            chunk[c + k] += row[k] * other[k]
                        }
                    } else {
                        for k in 0..<c { chunk[k] += row[k] }
                    }
                    inChunk += 1
                    if inChunk == 64 {
                        for k in 0..<(2 * c) { local[k] += Double(chunk[k]); chunk[k] = 0 }
                        inChunk = 0
                    }
                }
                for k in 0..<(2 * c) { local[k] += Double(chunk[k]) }
                out.pointer[part] = local
            }
        }
        var first = [Double](repeating: 0, count: c), second = [Double](repeating: 0, count: c)
        for part in sums {
            for k in 0..<c {
                first[k] += part[k]
                second[k] += part[c + k]
            }
        }
        return (first, second)
    }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0], c = outputShape.channels, rows = context.batch * outputShape.height * outputShape.width
        var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
        if context.isTraining {
            let (sum, _) = channelSums(x.pointer, nil, rows: rows, threads: context.threads)
            let mean = sum.map { Float($0 / Double(rows)) }
            // Variance from centred values (two passes) for accuracy.
            normalized.resize(rows * c)
            let centred = normalized.pointer
            Parallel.forEachRange(rows, threads: context.threads) { part in
                for r in part {
                    let xr = x.pointer + r * c, cr = centred + r * c
                    for k in 0..<c { cr[k] = xr[k] - mean[k] }
                }
            }
            let (_, squares) = channelSums(centred, centred, rows: rows, threads: context.threads)
            for k in 0..<c {
                let variance = Float(squares[k] / Double(rows))
                inverseStd[k] = 1 / (variance + epsilon).squareRoot()
                runningMean.value[k] = momentum * runningMean.value[k] + (1 - momentum) * mean[k]
                runningVariance.value[k] = momentum * runningVariance.value[k] + (1 - momentum) * variance
                scale[k] = gamma.value[k]
                shift[k] = beta.value[k]
            }
            let inverse = inverseStd
            Parallel.forEachRange(rows, threads: context.threads) { part in
                for r in part {
                    let cr = centred + r * c, yr = output.pointer + r * c
                    for k in 0..<c {
                        cr[k] *= inverse[k]
                        yr[k] = cr[k] * scale[k] + shift[k]
                    }
                }
            }
        } else {
            for k in 0..<c {
                scale[k] = gamma.value[k] / (runningVariance.value[k] + epsilon).squareRoot()
                shift[k] = beta.value[k] - runningMean.value[k] * scale[k]
            }
            Parallel.forEachRange(rows, threads: context.threads) { part in
                for r in part {
                    let xr = x.pointer + r * c, yr = output.pointer + r * c
                    for k in 0..<c { yr[k] = xr[k] * scale[k] + shift[k] }
                }
            }
        }
    }

    /// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(√(σ²+ε)·m)·(m·dy − dβ − x̂·dγ) over the m = N·H·W values of a channel.
    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let c = outputShape.channels, rows = context.batch * outputShape.height * outputShape.width
        precondition(context.isTraining, "BatchNormalization.backward needs a training forward pass")
        let (sumDy, sumDyXhat) = channelSums(outputGradient.pointer, normalized.pointer, rows: rows, threads: context.threads)
        for k in 0..<c {
            beta.gradient[k] += Float(sumDy[k])
            gamma.gradient[k] += Float(sumDyXhat[k])
        }
        guard let dx = inputGradients[0] else { return }
        let m = Float(rows)
        var a = [Float](repeating: 0, count: c), meanDy = [Float](repeating: 0, count: c), meanDyXhat = [Float](repeating: 0, count: c)
        for k in 0..<c {
            a[k] = gamma.value[k] * inverseStd[k]
            meanDy[k] = Float(sumDy[k]) / m
            meanDyXhat[k] = Float(sumDyXhat[k]) / m
        }
        let xhat = normalized.pointer, dy = outputGradient.pointer
        Parallel.forEachRange(rows, threads: context.threads) { part in
            for r in part {
                let g = dy + r * c, h = xhat + r * c, out = dx.pointer + r * c
                for k in 0..<c { out[k] += a[k] * (g[k] - meanDy[k] - h[k] * meanDyXhat[k]) }
            }
        }
    }
}

/// A raw pointer that may cross into concurrentPerform workers writing disjoint elements.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
