// FFEMTrain — BatchNormPReLU.swift: a BN node followed by a PReLU node, run as one pair in training.
import CFFEMKernels

/// Training passes of `batchNorm` → `prelu` without materialising the BN output: forward reads x
/// and writes z = PReLU(BN(x)); backward recomputes x̂ and y from x (same float operations) and
/// writes ∂L/∂x from ∂L/∂z in two passes. The BN output, its gradient and x̂ are never stored, which
/// removes five of the seven full-tensor memory passes of the unfused pair.
///
/// Results are bit-identical to running the two layers one after the other (the kernels'
/// contract in ffem_f32.h, and the same row split and reduction order as
/// `BatchNormalization.channelSums` and `PReLU.backward`); `NetworkFusionTests` checks it.
/// Inference passes are not fused (the network runs the layers, filling every activation).
final class BatchNormPReLU {
    let batchNorm: BatchNormalization
    let prelu: PReLU

    init(batchNorm: BatchNormalization, prelu: PReLU) {
        self.batchNorm = batchNorm
        self.prelu = prelu
    }

    /// The per-channel tensors for the kernels; valid while `body` runs.
    private func withChannels<R>(_ body: (UnsafePointer<ffem_f32_bn_prelu_channels>) -> R) -> R {
        batchNorm.batchMean.withUnsafeBufferPointer { mean in
            batchNorm.inverseStd.withUnsafeBufferPointer { inverse in
                var channels = ffem_f32_bn_prelu_channels(mean: mean.baseAddress, inverse_std: inverse.baseAddress,
                                                          gamma: batchNorm.gamma.value.pointer, beta: batchNorm.beta.value.pointer,
                                                          alpha: prelu.slope.value.pointer)
                return withUnsafePointer(to: &channels) { body($0) }
            }
        }
    }

    /// z = PReLU(BN(x)) with the batch statistics of x (which also update the running statistics).
    func forward(_ x: FloatBuffer, output z: FloatBuffer, context: PassContext) {
        let c = batchNorm.outputShape.channels, rows = context.batch * batchNorm.outputShape.height * batchNorm.outputShape.width
        batchNorm.updateStatistics(x.pointer, rows: rows, threads: context.threads)
        withChannels { channels in
            let p = UncheckedConstPointer(channels)
            Parallel.forEachElementRange(rows, threads: context.threads) { part in
                let offset = part.lowerBound * c
                ffem_f32_bn_prelu_forward(x.pointer + offset, part.count, c, p.pointer, z.pointer + offset)
            }
        }
    }

    /// Adds ∂L/∂γ, ∂L/∂β, ∂L/∂α to the parameters' gradients and adds (or, when
    /// `context.overwritesInputGradients`, stores) ∂L/∂x into `dx`, given ∂L/∂z.
    func backward(_ x: FloatBuffer, outputGradient dz: FloatBuffer, inputGradient dx: FloatBuffer?, context: PassContext) {
        let c = batchNorm.outputShape.channels, rows = context.batch * batchNorm.outputShape.height * batchNorm.outputShape.width
        let parts = max(1, min(context.threads, rows))
        var slopePartials = [Float](repeating: 0, count: parts * c)
        var sumPartials = [Double](repeating: 0, count: parts * 2 * c)
        withChannels { channels in
            let p = UncheckedConstPointer(channels)
            slopePartials.withUnsafeMutableBufferPointer { slopes in
                sumPartials.withUnsafeMutableBufferPointer { sums in
                    let slopeOut = UncheckedPointer(slopes.baseAddress!), sumOut = UncheckedPointer(sums.baseAddress!)
                    DispatchParts.run(parts) { part in
                        let range = Parallel.bounds(part, of: parts, count: rows), offset = range.lowerBound * c
                        let sumDy = sumOut.pointer + part * 2 * c
                        ffem_f32_bn_prelu_backward_sums(x.pointer + offset, dz.pointer + offset, range.count, c, p.pointer,
                                                        slopeOut.pointer + part * c, sumDy, sumDy + c)
                    }
                }
            }
        }
        // Combined in part order, as PReLU.backward and BatchNormalization.channelSums do.
        var sumDy = [Double](repeating: 0, count: c), sumDyXhat = [Double](repeating: 0, count: c)
        for part in 0..<parts {
            for k in 0..<c {
                prelu.slope.gradient[k] += slopePartials[part * c + k]
                sumDy[k] += sumPartials[part * 2 * c + k]
                sumDyXhat[k] += sumPartials[part * 2 * c + c + k]
            }
        }
        let (a, meanDy, meanDyXhat) = batchNorm.accumulateParameterGradients(sumDy: sumDy, sumDyXhat: sumDyXhat, rows: rows)
        guard let dx else { return }
        let accumulate: Int32 = context.overwritesInputGradients ? 0 : 1
        withChannels { channels in
            let p = UncheckedConstPointer(channels)
            Parallel.forEachElementRange(rows, threads: context.threads) { part in
                let offset = part.lowerBound * c
                ffem_f32_bn_prelu_backward_input(x.pointer + offset, dz.pointer + offset, part.count, c, p.pointer, a, meanDy,
                                                 meanDyXhat, accumulate, dx.pointer + offset)
            }
        }
    }
}

/// A read-only raw pointer that may cross into concurrentPerform workers.
struct UncheckedConstPointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
}
