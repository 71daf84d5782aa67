// CFFEMKernelsTests — ReferenceOps.swift: the int8 ops in their textbook form, the oracles of the scalar C kernels.
//
// Unlike the C kernels these read the canonical (unpacked) OHWI weights, subtract zero points
// explicitly, skip padding taps instead of reading zero points, and accumulate in Int64.
import FFEMRuntime

enum ReferenceOps {
    /// out[i][j] = requant_j(bias[j] + Σ_k (x[i][k] − zp)·w[j][k]).
    static func gemm(m: Int, n: Int, k: Int, input: [Int8], inputStride: Int, inputZeroPoint: Int32,
                     weights: [Int8], bias: [Int32], requant: Requantization, outputStride: Int,
                     into output: inout [Int8]) {
        for i in 0..<m {
            for j in 0..<n {
                var acc = Int64(bias[j])
                for kk in 0..<k {
                    acc += (Int64(input[i * inputStride + kk]) - Int64(inputZeroPoint)) * Int64(weights[j * k + kk])
                }
                output[i * outputStride + j] = requant.reference(Int32(acc), channel: j)
            }
        }
    }

    /// The 3×3 window geometry in Swift terms.
    struct Window {
        var inputHeight: Int, inputWidth: Int, inputChannels: Int
        var outputHeight: Int, outputWidth: Int, outputChannels: Int
        var stride: Int, paddingTop: Int, paddingLeft: Int
        var inputZeroPoint: Int32

        /// Input row/column of tap (ky, kx) of output (oy, ox), nil in the padding.
        func tap(_ oy: Int, _ ox: Int, _ ky: Int, _ kx: Int) -> (y: Int, x: Int)? {
            let y = oy * stride + ky - paddingTop, x = ox * stride + kx - paddingLeft
            return (0..<inputHeight).contains(y) && (0..<inputWidth).contains(x) ? (y, x) : nil
        }
    }

    /// Standard 3×3 convolution, OHWI weights [co][3][3][ci].
    static func conv3x3(_ g: Window, input: [Int8], weights: [Int8], bias: [Int32], requant: Requantization) -> [Int8] {
        var output = [Int8](repeating: 0, count: g.outputHeight * g.outputWidth * g.outputChannels)
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                for o in 0..<g.outputChannels {
                    var acc = Int64(bias[o])
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            guard let (y, x) = g.tap(oy, ox, ky, kx) else { continue }
                            for c in 0..<g.inputChannels {
                                let value = Int64(input[(y * g.inputWidth + x) * g.inputChannels + c]) - Int64(g.inputZeroPoint)
                                acc += value * Int64(weights[((o * 3 + ky) * 3 + kx) * g.inputChannels + c])
                            }
                        }
                    }
                    output[(oy * g.outputWidth + ox) * g.outputChannels + o] = requant.reference(Int32(acc), channel: o)
                }
            }
        }
        return output
    }

    /// Depthwise 3×3 convolution, weights [c][3][3].
    static func dwconv3x3(_ g: Window, input: [Int8], weights: [Int8], bias: [Int32], requant: Requantization) -> [Int8] {
        let channels = g.inputChannels
        var output = [Int8](repeating: 0, count: g.outputHeight * g.outputWidth * channels)
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                for c in 0..<channels {
                    var acc = Int64(bias[c])
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            guard let (y, x) = g.tap(oy, ox, ky, kx) else { continue }
                            let value = Int64(input[(y * g.inputWidth + x) * channels + c]) - Int64(g.inputZeroPoint)
                            acc += value * Int64(weights[c * 9 + ky * 3 + kx])
                        }
                    }
                    output[(oy * g.outputWidth + ox) * channels + c] = requant.reference(Int32(acc), channel: c)
                }
            }
        }
        return output
    }

    /// Global depthwise convolution, weights [c][pixels].
    static func gdconv(pixels: Int, channels: Int, input: [Int8], inputZeroPoint: Int32, weights: [Int8], bias: [Int32],
                       requant: Requantization) -> [Int8] {
        (0..<channels).map { c in
            var acc = Int64(bias[c])
            for p in 0..<pixels {
                acc += (Int64(input[p * channels + c]) - Int64(inputZeroPoint)) * Int64(weights[c * pixels + p])
            }
            return requant.reference(Int32(acc), channel: c)
        }
    }

    /// TFLite ADD with two input scales.
    static func add(a: [Int8], b: [Int8], aZeroPoint: Int32, aMultiplier: Int32, aShift: Int,
                    bZeroPoint: Int32, bMultiplier: Int32, bShift: Int, leftShift: Int,
                    outputMultiplier: Int32, outputShift: Int, outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32) -> [Int8] {
        typealias F = FixedPointReference
        return a.indices.map { i in
            let aScaled = F.multiplyByQuantizedMultiplier(F.shiftLeftWrapping(Int32(a[i]) - aZeroPoint, by: leftShift),
                                                          multiplier: aMultiplier, shift: aShift)
            let bScaled = F.multiplyByQuantizedMultiplier(F.shiftLeftWrapping(Int32(b[i]) - bZeroPoint, by: leftShift),
                                                          multiplier: bMultiplier, shift: bShift)
            return F.requantize(aScaled + bScaled, multiplier: outputMultiplier, shift: outputShift,
                                outputZeroPoint: outputZeroPoint, outputMin: outputMin, outputMax: outputMax)
        }
    }

    /// TFLite PRELU with per-channel alpha and negative-branch multipliers.
    static func prelu(pixels: Int, channels: Int, input: [Int8], alpha: [Int8], inputZeroPoint: Int32, alphaZeroPoint: Int32,
                      positiveMultiplier: Int32, positiveShift: Int, negativeMultiplier: [Int32], negativeShift: [Int32],
                      outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32) -> [Int8] {
        (0..<pixels * channels).map { i in
            let c = i % channels
            let value = Int32(input[i]) - inputZeroPoint
            if value >= 0 {
                return FixedPointReference.requantize(value, multiplier: positiveMultiplier, shift: positiveShift,
                                                      outputZeroPoint: outputZeroPoint, outputMin: outputMin, outputMax: outputMax)
            }
            let product = value * (Int32(alpha[c]) - alphaZeroPoint)
            return FixedPointReference.requantize(product, multiplier: negativeMultiplier[c], shift: Int(negativeShift[c]),
                                                  outputZeroPoint: outputZeroPoint, outputMin: outputMin, outputMax: outputMax)
        }
    }

    /// Global average pooling: Σ (x − zp) per channel, then one requantization.
    static func gavgpool(pixels: Int, channels: Int, input: [Int8], inputZeroPoint: Int32, multiplier: Int32, shift: Int,
                         outputZeroPoint: Int32, outputMin: Int32, outputMax: Int32) -> [Int8] {
        (0..<channels).map { c in
            var acc: Int64 = 0
            for p in 0..<pixels { acc += Int64(input[p * channels + c]) - Int64(inputZeroPoint) }
            return FixedPointReference.requantize(Int32(acc), multiplier: multiplier, shift: shift,
                                                  outputZeroPoint: outputZeroPoint, outputMin: outputMin, outputMax: outputMax)
        }
    }
}
