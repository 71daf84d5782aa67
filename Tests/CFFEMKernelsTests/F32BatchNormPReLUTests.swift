// CFFEMKernelsTests — F32BatchNormPReLUTests.swift: the trainer's PReLU backward against a plain Swift
// reference, and the fused BN → PReLU kernels against the unfused kernels, bit for bit.
//
// Bit-exact on x86-64, where C floats are not contracted into FMA (the build enables no FMA) and
// every lane does the scalar operations in the scalar order; the fused-vs-unfused comparison is
// exact on every target (both sides are C compiled alike).
import CFFEMKernels
import FFEMCore
import Testing

@Suite struct F32BatchNormPReLUTests {
    /// Channel counts around the four-lane tile, a prime, and MobileFaceNet's widths.
    static let channelCounts = Array(1...9) + [13, 37, 64]
    /// Row counts around the 64-row partial sums.
    static let rowCounts = [1, 5, 63, 64, 65, 130]

    static func floats(_ count: Int, _ rng: inout SeededRandom, _ low: Float = -2, _ high: Float = 2) -> [Float] {
        (0..<count).map { _ in rng.nextFloat(in: low, high) }
    }

    @Test func preluBackwardMatchesReference() {
        var rng = SeededRandom(seed: 61)
        for channels in Self.channelCounts {
            for rows in [1, 3, 17] {
                let x = Self.floats(rows * channels, &rng), dy = Self.floats(rows * channels, &rng)
                let alpha = Self.floats(channels, &rng, 0, 0.5), dx0 = Self.floats(rows * channels, &rng)
                var dx = dx0, dalpha = [Float](repeating: 0.5, count: channels)
                ffem_f32_prelu_backward(x, dy, rows, channels, alpha, &dx, &dalpha)
                var expectedDx = dx0, expectedDalpha = [Float](repeating: 0.5, count: channels)
                for r in 0..<rows {
                    for c in 0..<channels {
                        let i = r * channels + c
                        if x[i] > 0 { expectedDx[i] += dy[i] } else {
                            expectedDx[i] += alpha[c] * dy[i]
                            expectedDalpha[c] += dy[i] * x[i]
                        }
                    }
                }
                #expect(dx == expectedDx, "channels \(channels), rows \(rows)")
                #expect(dalpha == expectedDalpha, "channels \(channels), rows \(rows)")
                var dalphaOnly = [Float](repeating: 0.5, count: channels)
                ffem_f32_prelu_backward(x, dy, rows, channels, alpha, nil, &dalphaOnly)
                #expect(dalphaOnly == expectedDalpha)
            }
        }
    }

    /// One random BN → PReLU case: x, dz, batch statistics, γ, β, α.
    struct Case {
        let rows: Int, channels: Int
        let x: [Float], dz: [Float], mean: [Float], inverseStd: [Float], gamma: [Float], beta: [Float], alpha: [Float]
        init(rows: Int, channels: Int, rng: inout SeededRandom) {
            self.rows = rows
            self.channels = channels
            x = F32BatchNormPReLUTests.floats(rows * channels, &rng)
            dz = F32BatchNormPReLUTests.floats(rows * channels, &rng)
            mean = F32BatchNormPReLUTests.floats(channels, &rng, -0.5, 0.5)
            inverseStd = F32BatchNormPReLUTests.floats(channels, &rng, 0.5, 2)
            gamma = F32BatchNormPReLUTests.floats(channels, &rng, 0.5, 1.5)
            beta = F32BatchNormPReLUTests.floats(channels, &rng, -0.5, 0.5)
            alpha = F32BatchNormPReLUTests.floats(channels, &rng, 0, 0.5)
        }
        func withChannels<R>(_ body: (UnsafePointer<ffem_f32_bn_prelu_channels>) -> R) -> R {
            mean.withUnsafeBufferPointer { m in inverseStd.withUnsafeBufferPointer { s in gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in alpha.withUnsafeBufferPointer { a in
                    var p = ffem_f32_bn_prelu_channels(mean: m.baseAddress, inverse_std: s.baseAddress, gamma: g.baseAddress,
                                                       beta: b.baseAddress, alpha: a.baseAddress)
                    return body(&p)
                } }
            } } }
        }
    }

    @Test func fusedForwardEqualsNormalizeThenPReLU() {
        var rng = SeededRandom(seed: 62)
        for channels in Self.channelCounts {
            for rows in [1, 7] {
                let t = Case(rows: rows, channels: channels, rng: &rng)
                var xhat = [Float](repeating: 0, count: rows * channels), y = xhat, expected = xhat, z = xhat
                ffem_f32_batchnorm_normalize(t.x, rows, channels, t.mean, t.inverseStd, t.gamma, t.beta, &xhat, &y)
                ffem_f32_prelu_forward(y, rows, channels, t.alpha, &expected)
                t.withChannels { ffem_f32_bn_prelu_forward(t.x, rows, channels, $0, &z) }
                #expect(z == expected, "channels \(channels), rows \(rows)")
            }
        }
    }

    @Test func fusedBackwardEqualsPReLUThenBatchNormBackward() {
        var rng = SeededRandom(seed: 63)
        for channels in Self.channelCounts {
            for rows in Self.rowCounts {
                let t = Case(rows: rows, channels: channels, rng: &rng), n = rows * channels
                // Unfused: y and x̂ from the forward kernel, dy from PReLU backward into zeros, sums, dx.
                var xhat = [Float](repeating: 0, count: n), y = xhat, dy = xhat
                ffem_f32_batchnorm_normalize(t.x, rows, channels, t.mean, t.inverseStd, t.gamma, t.beta, &xhat, &y)
                var dalpha = [Float](repeating: 0.25, count: channels)
                ffem_f32_prelu_backward(y, t.dz, rows, channels, t.alpha, &dy, &dalpha)
                var sumDy = [Double](repeating: 1, count: channels), sumDyXhat = sumDy
                ffem_f32_channel_sums(dy, xhat, rows, channels, &sumDy, &sumDyXhat)
                let a = Self.floats(channels, &rng, 0.5, 2), meanDy = Self.floats(channels, &rng, -0.1, 0.1)
                let meanDyXhat = Self.floats(channels, &rng, -0.1, 0.1), dx0 = Self.floats(n, &rng)
                var dxAdded = dx0, dxStored = dx0
                ffem_f32_batchnorm_backward_input(dy, xhat, rows, channels, a, meanDy, meanDyXhat, 1, &dxAdded)
                ffem_f32_batchnorm_backward_input(dy, xhat, rows, channels, a, meanDy, meanDyXhat, 0, &dxStored)

                var fusedDalpha = [Float](repeating: 0.25, count: channels)
                var fusedSumDy = [Double](repeating: 1, count: channels), fusedSumDyXhat = fusedSumDy
                var fusedAdded = dx0, fusedStored = dx0
                t.withChannels { p in
                    ffem_f32_bn_prelu_backward_sums(t.x, t.dz, rows, channels, p, &fusedDalpha, &fusedSumDy, &fusedSumDyXhat)
                    ffem_f32_bn_prelu_backward_input(t.x, t.dz, rows, channels, p, a, meanDy, meanDyXhat, 1, &fusedAdded)
                    ffem_f32_bn_prelu_backward_input(t.x, t.dz, rows, channels, p, a, meanDy, meanDyXhat, 0, &fusedStored)
                }
                let label = "channels \(channels), rows \(rows)"
                #expect(fusedDalpha == dalpha, "\(label)")
                #expect(fusedSumDy == sumDy, "\(label)")
                #expect(fusedSumDyXhat == sumDyXhat, "\(label)")
                #expect(fusedAdded == dxAdded, "\(label)")
                #expect(fusedStored == dxStored, "\(label)")
            }
        }
    }
}
