// FFEMTrain — BatchNormalization.swift: batch normalisation over N·H·W per channel (Ioffe & Szegedy 2015).
import CFFEMKernels
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
    /// μ_B of the last training forward pass.
    var batchMean: [Float]
    /// While set, training passes replace the running statistics by the cumulative average of the
    /// batch statistics seen so far (BN recalibration, see `Network.recalibrateBatchNormalization`).
    var recalibrationCount: Int?

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
        batchMean = [Float](repeating: 0, count: c)
    }

    public var parameters: [Parameter] { [gamma, beta] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    /// Per-channel Σa and Σa·b (b optional) over `rows` rows, or Σ(a − mean)² when `mean` is given;
    /// split over threads by rows, partials combined in part order (deterministic for a thread count).
    func channelSums(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, mean: [Float]? = nil, rows: Int, threads: Int) -> ([Double], [Double]) {
        let c = outputShape.channels
        let parts = max(1, min(threads, rows))
        var partials = [Double](repeating: 0, count: parts * 2 * c)
        partials.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedPointer(buffer.baseAddress!)
            DispatchParts.run(parts) { part in
                let range = Parallel.bounds(part, of: parts, count: rows)
                let first = out.pointer + part * 2 * c, second = first + c
                if let mean {
                    ffem_f32_channel_centered_squares(a + range.lowerBound * c, range.count, c, mean, second)
                } else {
                    ffem_f32_channel_sums(a + range.lowerBound * c, b.map { $0 + range.lowerBound * c }, range.count, c, first, second)
                }
            }
        }
        var first = [Double](repeating: 0, count: c), second = [Double](repeating: 0, count: c)
        for part in 0..<parts {
            for k in 0..<c {
                first[k] += partials[part * 2 * c + k]
                second[k] += partials[part * 2 * c + c + k]
            }
        }
        return (first, second)
    }

    /// Training statistics of `x` (`rows` rows): sets `batchMean` and `inverseStd` and updates the
    /// running statistics (or the recalibration average).
    func updateStatistics(_ x: UnsafePointer<Float>, rows: Int, threads: Int) {
        let c = outputShape.channels
        let (sum, _) = channelSums(x, nil, rows: rows, threads: threads)
        let mean = sum.map { Float($0 / Double(rows)) }
        let (_, squares) = channelSums(x, nil, mean: mean, rows: rows, threads: threads)
        for k in 0..<c {
            let variance = Float(squares[k] / Double(rows))
            inverseStd[k] = 1 / (variance + epsilon).squareRoot()
            let decay = recalibrationCount.map { Float($0) / Float($0 + 1) } ?? momentum
            runningMean.value[k] = decay * runningMean.value[k] + (1 - decay) * mean[k]
            runningVariance.value[k] = decay * runningVariance.value[k] + (1 - decay) * variance
        }
        batchMean = mean
        if let count = recalibrationCount { recalibrationCount = count + 1 }
    }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0], c = outputShape.channels, rows = context.batch * outputShape.height * outputShape.width
        if context.isTraining {
            updateStatistics(x.pointer, rows: rows, threads: context.threads)
            normalized.resize(rows * c)
            let mean = batchMean, inverse = inverseStd, xhat = normalized.pointer, g = gamma.value.pointer, b = beta.value.pointer
            Parallel.forEachElementRange(rows, threads: context.threads) { part in
                ffem_f32_batchnorm_normalize(x.pointer + part.lowerBound * c, part.count, c, mean, inverse, g, b,
                                             xhat + part.lowerBound * c, output.pointer + part.lowerBound * c)
            }
        } else {
            var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
            for k in 0..<c {
                scale[k] = gamma.value[k] / (runningVariance.value[k] + epsilon).squareRoot()
                shift[k] = beta.value[k] - runningMean.value[k] * scale[k]
            }
            Parallel.forEachElementRange(rows, threads: context.threads) { part in
                ffem_f32_channel_affine(x.pointer + part.lowerBound * c, part.count, c, scale, shift, output.pointer + part.lowerBound * c)
            }
        }
    }

    /// Adds Σdy and Σdy·x̂ to β's and γ's gradients and returns the per-channel factors of ∂L/∂x:
    /// a = γ/√(σ²+ε), mean dy and mean dy·x̂ over the m = `rows` values of a channel.
    func accumulateParameterGradients(sumDy: [Double], sumDyXhat: [Double], rows: Int) -> (a: [Float], meanDy: [Float], meanDyXhat: [Float]) {
        let c = outputShape.channels, m = Float(rows)
        var a = [Float](repeating: 0, count: c), meanDy = [Float](repeating: 0, count: c), meanDyXhat = [Float](repeating: 0, count: c)
        for k in 0..<c {
            beta.gradient[k] += Float(sumDy[k])
            gamma.gradient[k] += Float(sumDyXhat[k])
            a[k] = gamma.value[k] * inverseStd[k]
            meanDy[k] = Float(sumDy[k]) / m
            meanDyXhat[k] = Float(sumDyXhat[k]) / m
        }
        return (a, meanDy, meanDyXhat)
    }

    /// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(√(σ²+ε)·m)·(m·dy − dβ − x̂·dγ) over the m = N·H·W values of a channel.
    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let c = outputShape.channels, rows = context.batch * outputShape.height * outputShape.width
        precondition(context.isTraining, "BatchNormalization.backward needs a training forward pass")
        let (sumDy, sumDyXhat) = channelSums(outputGradient.pointer, normalized.pointer, rows: rows, threads: context.threads)
        let (a, meanDy, meanDyXhat) = accumulateParameterGradients(sumDy: sumDy, sumDyXhat: sumDyXhat, rows: rows)
        guard let dx = inputGradients[0] else { return }
        let xhat = normalized.pointer, dy = outputGradient.pointer, accumulate: Int32 = context.overwritesInputGradients ? 0 : 1
        Parallel.forEachElementRange(rows, threads: context.threads) { part in
            let offset = part.lowerBound * c
            ffem_f32_batchnorm_backward_input(dy + offset, xhat + offset, part.count, c, a, meanDy, meanDyXhat, accumulate, dx.pointer + offset)
        }
    }

    public var canOverwriteInputGradient: Bool { true }
}

/// A raw pointer that may cross into concurrentPerform workers writing disjoint elements.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
