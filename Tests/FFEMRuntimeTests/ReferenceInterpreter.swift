// FFEMRuntimeTests — ReferenceInterpreter.swift: the oracle — every op as the textbook loop over the
// unpacked OHWI weights, requantized with FixedPointReference. No kernels, no packing, no arena.
import FFEMRuntime

struct ReferenceInterpreter {
    let model: QuantizedModel

    /// All tensors of one run; the last is the int8 embedding.
    func run(input: [Int8]) -> [[Int8]] {
        var values: [[Int8]] = [input]
        for (index, operation) in model.operations.enumerated() {
            values.append(evaluate(operation, output: index + 1, values: values))
        }
        return values
    }

    private func zeroPoint(_ tensor: Int) -> Int32 { model.tensors[tensor].quantization.zeroPoint }

    private func requantize(_ acc: Int32, _ r: ChannelRequantization, channel: Int, output: Int) -> Int8 {
        FixedPointReference.requantize(acc, multiplier: r.multipliers[channel], shift: Int(r.shifts[channel]),
                                       outputZeroPoint: zeroPoint(output), outputMin: r.outputMin, outputMax: r.outputMax)
    }

    private func clamp(_ value: Int64, _ minimum: Int32, _ maximum: Int32) -> Int8 {
        Int8(min(max(value, Int64(minimum)), Int64(maximum)))
    }

    private func mbqm(_ x: Int32, _ multiplier: Int32, _ shift: Int32) -> Int32 {
        FixedPointReference.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: Int(shift))
    }

    private func evaluate(_ operation: QuantizedOperation, output: Int, values: [[Int8]]) -> [Int8] {
        let outShape = model.tensors[output].shape
        var out = [Int8](repeating: 0, count: outShape.elementCount)
        switch operation {
        case .convolution3x3(let l), .depthwiseConvolution3x3(let l):
            var isDepthwise = false
            if case .depthwiseConvolution3x3 = operation { isDepthwise = true }
            let x = values[l.input], inShape = model.tensors[l.input].shape, zp = Int32(zeroPoint(l.input))
            let ci = inShape.channels
            for oy in 0..<outShape.height {
                for ox in 0..<outShape.width {
                    for o in 0..<outShape.channels {
                        var acc = l.bias[o]
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let iy = oy * l.stride - l.padding + ky, ix = ox * l.stride - l.padding + kx
                                guard iy >= 0, iy < inShape.height, ix >= 0, ix < inShape.width else { continue }
                                let pixel = (iy * inShape.width + ix) * ci
                                if isDepthwise {
                                    acc += (Int32(x[pixel + o]) - zp) * Int32(l.weights[o * 9 + ky * 3 + kx])
                                } else {
                                    for c in 0..<ci {
                                        acc += (Int32(x[pixel + c]) - zp) * Int32(l.weights[((o * 3 + ky) * 3 + kx) * ci + c])
                                    }
                                }
                            }
                        }
                        out[(oy * outShape.width + ox) * outShape.channels + o] =
                            requantize(acc, l.requantization, channel: o, output: output)
                    }
                }
            }
        case .pointwiseConvolution(let l):
            let x = values[l.input], k = model.tensors[l.input].shape.channels, zp = zeroPoint(l.input)
            for pixel in 0..<outShape.pixelCount {
                for o in 0..<outShape.channels {
                    var acc = l.bias[o]
                    for c in 0..<k { acc += (Int32(x[pixel * k + c]) - zp) * Int32(l.weights[o * k + c]) }
                    out[pixel * outShape.channels + o] = requantize(acc, l.requantization, channel: o, output: output)
                }
            }
        case .fullyConnected(let l):
            let x = values[l.input], zp = zeroPoint(l.input)
            for o in 0..<outShape.channels {
                var acc = l.bias[o]
                for i in 0..<x.count { acc += (Int32(x[i]) - zp) * Int32(l.weights[o * x.count + i]) }
                out[o] = requantize(acc, l.requantization, channel: o, output: output)
            }
        case .globalDepthwiseConvolution(let l):
            let x = values[l.input], inShape = model.tensors[l.input].shape, zp = zeroPoint(l.input)
            for c in 0..<inShape.channels {
                var acc = l.bias[c]
                for p in 0..<inShape.pixelCount {
                    acc += (Int32(x[p * inShape.channels + c]) - zp) * Int32(l.weights[c * inShape.pixelCount + p])
                }
                out[c] = requantize(acc, l.requantization, channel: c, output: output)
            }
        case .prelu(let l):
            let x = values[l.input], channels = outShape.channels, zpIn = zeroPoint(l.input)
            for i in 0..<x.count {
                let c = i % channels, v = Int32(x[i]) - zpIn
                let y = v >= 0 ? mbqm(v, l.positiveMultiplier, l.positiveShift)
                    : mbqm(v * (Int32(l.alpha[c]) - l.alphaZeroPoint), l.negativeMultipliers[c], l.negativeShifts[c])
                out[i] = clamp(Int64(zeroPoint(output)) + Int64(y), l.outputMin, l.outputMax)
            }
        case .add(let l):
            let a = values[l.a], b = values[l.b]
            for i in 0..<a.count {
                let sa = FixedPointReference.shiftLeftWrapping(Int32(a[i]) - zeroPoint(l.a), by: Int(l.leftShift))
                let sb = FixedPointReference.shiftLeftWrapping(Int32(b[i]) - zeroPoint(l.b), by: Int(l.leftShift))
                let sum = mbqm(sa, l.aMultiplier, l.aShift) + mbqm(sb, l.bMultiplier, l.bShift)
                out[i] = clamp(Int64(zeroPoint(output)) + Int64(mbqm(sum, l.outputMultiplier, l.outputShift)),
                               l.outputMin, l.outputMax)
            }
        case .globalAveragePooling(let l):
            let x = values[l.input], inShape = model.tensors[l.input].shape
            for c in 0..<inShape.channels {
                var acc = -Int32(inShape.pixelCount) * zeroPoint(l.input)
                for p in 0..<inShape.pixelCount { acc += Int32(x[p * inShape.channels + c]) }
                out[c] = clamp(Int64(zeroPoint(output)) + Int64(mbqm(acc, l.multiplier, l.shift)), l.outputMin, l.outputMax)
            }
        case .clamp(let l):
            out = values[l.input].map { clamp(Int64($0), l.outputMin, l.outputMax) }
        }
        return out
    }
}
