// FFEMTrain — Convolution.swift: k×k convolution as im2col + OpenBLAS sgemm (1×1 stride 1: plain GEMM).
import CFFEMKernels
import COpenBLAS
import FFEMCore

/// y = conv(x, W) + b with OHWI weights W (Cout × k × k × Cin), NHWC activations.
/// Forward: Y[M × Cout] = col[M × kkCin] · Wᵀ, M = N·Ho·Wo. Backward: dW = dYᵀ·col, dcol = dY·W, dx = col2im(dcol).
public final class Convolution: Layer {
    public let input: Shape
    public let outputShape: Shape
    let kernel: Int, stride: Int, pad: Int
    public let weight: Parameter
    public let bias: Parameter?
    let column = FloatBuffer(count: 0)
    let columnGradient = FloatBuffer(count: 0)
    /// Per-thread partial weight gradients (ParallelGEMM.addTransposedProduct).
    let weightGradientPartials = FloatBuffer(count: 0)
    /// Images per im2col chunk, so the column buffer stays under ~64 MB.
    let chunkImages: Int

    public init(name: String, input: Shape, kernel: Int, stride: Int, padding: Padding, outputChannels: Int, hasBias: Bool,
                random: inout SeededRandom) {
        self.input = input
        self.kernel = kernel
        self.stride = stride
        let (height, pad) = convolutionOutputSize(input.height, kernel: kernel, stride: stride, padding: padding)
        let (width, _) = convolutionOutputSize(input.width, kernel: kernel, stride: stride, padding: padding)
        self.pad = pad
        outputShape = Shape(height, width, outputChannels)
        let fanIn = kernel * kernel * input.channels
        weight = Parameter(name: name + ".weight", shape: [outputChannels, kernel, kernel, input.channels],
                           initial: Initialization.heNormal(count: outputChannels * fanIn, fanIn: fanIn, random: &random), isDecayed: true)
        bias = hasBias ? Parameter(name: name + ".bias", shape: [outputChannels], initial: [Float](repeating: 0, count: outputChannels), isDecayed: false) : nil
        chunkImages = max(1, (16 << 20) / max(1, height * width * fanIn))
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }
    public var multiplyAdds: Int { outputShape.count * kernel * kernel * input.channels }
    var isPointwise: Bool { kernel == 1 && stride == 1 && pad == 0 }
    /// A pointwise convolution's ∂L/∂x is one GEMM, which can store instead of add (β = 0).
    public var canOverwriteInputGradient: Bool { isPointwise }
    var patchLength: Int { kernel * kernel * input.channels }
    var outputPixels: Int { outputShape.height * outputShape.width }

    func unfold(_ x: FloatBuffer, images: Range<Int>, threads: Int) {
        let inCount = input.count, rows = outputPixels * patchLength
        column.resize(images.count * rows)
        Parallel.forEachRange(images.count, threads: threads) { part in
            for k in part {
                ffem_f32_im2col(x.pointer + (images.lowerBound + k) * inCount, input.height, input.width, input.channels,
                                kernel, kernel, stride, pad, pad, column.pointer + k * rows, outputShape.height, outputShape.width)
            }
        }
    }

    /// The GEMM's left operand for `images`: the input itself for a pointwise convolution, else its
    /// im2col rows (M × kkCin).
    func patches(_ x: FloatBuffer, images: Range<Int>, threads: Int) -> UnsafePointer<Float> {
        if isPointwise { return UnsafePointer(x.pointer + images.lowerBound * input.count) }
        unfold(x, images: images, threads: threads)
        return UnsafePointer(column.pointer)
    }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let x = inputs[0], cout = outputShape.channels, k = patchLength
        var start = 0
        while start < context.batch {
            let images = start..<min(context.batch, start + chunkImages)
            let m = images.count * outputPixels
            let a = patches(x, images: images, threads: context.threads)
            let y = output.pointer + images.lowerBound * outputShape.count
            ParallelGEMM.product(m: m, n: cout, k: k, a: a, lda: k, b: weight.value.pointer, ldb: k, transposeB: true, beta: 0,
                                 c: y, ldc: cout, threads: context.threads)
            if let bias { addRowVector(bias.value.pointer, to: y, rows: m, columns: cout) }
            start = images.upperBound
        }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let x = inputs[0], cout = outputShape.channels, k = patchLength
        var start = 0
        while start < context.batch {
            let images = start..<min(context.batch, start + chunkImages)
            let m = images.count * outputPixels
            let dy = UnsafePointer(outputGradient.pointer + images.lowerBound * outputShape.count)
            let a = patches(x, images: images, threads: context.threads)
            // dW (Cout × k) += dYᵀ (Cout × M) · col (M × k)
            ParallelGEMM.addTransposedProduct(m: m, n1: cout, n2: k, a: dy, lda: cout, b: a, ldb: k, c: weight.gradient.pointer, ldc: k,
                                              scratch: weightGradientPartials, threads: context.threads)
            if let bias { addColumnSums(dy, rows: m, columns: cout, into: bias.gradient.pointer) }
            if let dx = inputGradients[0] {
                if isPointwise {
                    let beta: Float = context.overwritesInputGradients ? 0 : 1
                    ParallelGEMM.product(m: m, n: k, k: cout, a: dy, lda: cout, b: weight.value.pointer, ldb: k, transposeB: false,
                                         beta: beta, c: dx.pointer + images.lowerBound * input.count, ldc: k, threads: context.threads)
                } else {
                    columnGradient.resize(m * k)
                    ParallelGEMM.product(m: m, n: k, k: cout, a: dy, lda: cout, b: weight.value.pointer, ldb: k, transposeB: false,
                                         beta: 0, c: columnGradient.pointer, ldc: k, threads: context.threads)
                    let rows = outputPixels * k, inCount = input.count
                    Parallel.forEachRange(images.count, threads: context.threads) { part in
                        for i in part {
                            ffem_f32_col2im(self.columnGradient.pointer + i * rows, self.input.height, self.input.width, self.input.channels,
                                            self.kernel, self.kernel, self.stride, self.pad, self.pad,
                                            dx.pointer + (images.lowerBound + i) * inCount, self.outputShape.height, self.outputShape.width)
                        }
                    }
                }
            }
            start = images.upperBound
        }
    }
}

/// y[r, c] += v[c] for every row.
func addRowVector(_ v: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows {
        let row = y + r * columns
        for c in 0..<columns { row[c] += v[c] }
    }
}

/// out[c] += Σ_r a[r, c]
func addColumnSums(_ a: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = a + r * columns
        for c in 0..<columns { out[c] += row[c] }
    }
}
