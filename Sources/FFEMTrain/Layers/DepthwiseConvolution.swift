// FFEMTrain — DepthwiseConvolution.swift: k×k depthwise convolution (register-tiled C per ISA, parallel over the batch).
import CFFEMKernels
import FFEMCore

/// y[n, oy, ox, c] = b[c] + Σ_{ky,kx} x[n, iy, ix, c]·w[ky, kx, c]. With k = input size and `valid`
/// padding this is MobileFaceNet's global depthwise convolution (GDC).
public final class DepthwiseConvolution: Layer {
    public let input: Shape
    public let outputShape: Shape
    let kernel: Int, stride: Int, pad: Int
    public let weight: Parameter
    public let bias: Parameter?
    /// Per-thread weight-gradient partials, combined in thread order (deterministic for a thread count).
    var partials: [FloatBuffer] = []

    public init(name: String, input: Shape, kernel: Int, stride: Int, padding: Padding, hasBias: Bool, random: inout SeededRandom) {
        self.input = input
        self.kernel = kernel
        self.stride = stride
        let (height, pad) = convolutionOutputSize(input.height, kernel: kernel, stride: stride, padding: padding)
        let (width, _) = convolutionOutputSize(input.width, kernel: kernel, stride: stride, padding: padding)
        self.pad = pad
        outputShape = Shape(height, width, input.channels)
        let count = kernel * kernel * input.channels
        weight = Parameter(name: name + ".weight", shape: [kernel, kernel, input.channels],
                           initial: Initialization.heNormal(count: count, fanIn: kernel * kernel, random: &random), isDecayed: true)
        bias = hasBias ? Parameter(name: name + ".bias", shape: [input.channels], initial: [Float](repeating: 0, count: input.channels), isDecayed: false) : nil
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }
    public var multiplyAdds: Int { outputShape.count * kernel * kernel }
    /// The C kernel gathers ∂L/∂x per input pixel, so it can store it.
    public var canOverwriteInputGradient: Bool { true }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0]
        Parallel.forEachElementRange(context.batch, threads: context.threads) { part in
            for n in part {
                ffem_f32_dwconv_forward(x.pointer + n * self.input.count, self.input.height, self.input.width, self.input.channels,
                                        self.weight.value.pointer, self.bias?.value.pointer, self.kernel, self.kernel, self.stride,
                                        self.pad, self.pad, output.pointer + n * self.outputShape.count, self.outputShape.height,
                                        self.outputShape.width)
            }
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let x = inputs[0], dx = inputGradients[0], accumulate: Int32 = context.overwritesInputGradients ? 0 : 1
        let parts = max(1, min(context.threads, context.batch))
        let weightCount = weight.count, channels = input.channels
        while partials.count < parts { partials.append(FloatBuffer(count: weightCount + channels)) }
        DispatchParts.run(parts) { part in
            let partial = self.partials[part]
            partial.resize(weightCount + channels)
            partial.zero()
            for n in Parallel.bounds(part, of: parts, count: context.batch) {
                ffem_f32_dwconv_backward(x.pointer + n * self.input.count, self.input.height, self.input.width, channels,
                                         self.weight.value.pointer, self.kernel, self.kernel, self.stride, self.pad, self.pad,
                                         outputGradient.pointer + n * self.outputShape.count, self.outputShape.height,
                                         self.outputShape.width, accumulate, dx.map { $0.pointer + n * self.input.count }, partial.pointer,
                                         self.bias == nil ? nil : partial.pointer + weightCount)
            }
        }
        for part in 0..<parts {
            let partial = partials[part].pointer
            for i in 0..<weightCount { weight.gradient.pointer[i] += partial[i] }
            if let bias { for c in 0..<channels { bias.gradient.pointer[c] += partial[weightCount + c] } }
        }
    }
}

import Foundation

/// Runs `body(part)` for part in 0..<parts concurrently.
enum DispatchParts {
    static func run(_ parts: Int, _ body: (Int) -> Void) {
        if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
    }
}
