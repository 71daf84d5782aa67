// FFEMRuntime — StepPartition.swift: one step split into independent tasks for the thread pool.
import CFFEMKernels

/// Load-time splitting of a step into `parts` tasks whose outputs are disjoint and whose union is
/// the step's output, each computing exactly the bytes the whole step would (same kernel, same
/// parameters; only pointers and extents change), so results are identical for any thread count.
///
/// - GEMM (also with a fused PReLU): blocks of rows (pixels), a multiple of 24 rows (every tile's `mr` divides 24).
/// - 3×3 convolution / depthwise (also with a fused PReLU): bands of output rows. Band [r0, r1) with r0 > 0 starts reading
///   at input row r0·stride − padding (≥ 0), so it gets padding_top 0, the input from that row on
///   and output_height r1 − r0; rows past the input still read as the zero point, as before.
/// - PReLU, add, clamp: slices of pixels / elements, multiples of 64 bytes.
/// - GDC, global average pooling: one task (a few thousand multiply-adds).
enum StepPartition {
    static func split(_ step: InterpreterStep, parts: Int, memory: LoadTimeMemory) -> [InterpreterStep] {
        guard parts > 1 else { return [step] }
        switch step {
        case .gemm(let kernel, let m, let n, let k, let input, let weights, let output, let params):
            return bands(m, parts: parts, multiple: 24, minimum: 48).map { (r0, r1) in
                .gemm(kernel, m: r1 - r0, n: n, k: k, input: input + r0 * k, weights: weights, output: output + r0 * n,
                      params: params)
            }
        case .gemmPReLU(let kernel, let m, let n, let k, let input, let weights, let output, let params, let prelu):
            return bands(m, parts: parts, multiple: 24, minimum: 48).map { (r0, r1) in
                .gemmPReLU(kernel, m: r1 - r0, n: n, k: k, input: input + r0 * k, weights: weights, output: output + r0 * n,
                           params: params, prelu: prelu)
            }
        case .conv3x3(let kernel, let geometry, let input, let weights, let output, let params):
            return rowBands(geometry, input: input, output: output, parts: parts, memory: memory).map { band in
                .conv3x3(kernel, geometry: band.geometry, input: band.input, weights: weights, output: band.output, params: params)
            }
        case .conv3x3PReLU(let kernel, let geometry, let input, let weights, let output, let params, let prelu):
            return rowBands(geometry, input: input, output: output, parts: parts, memory: memory).map { band in
                .conv3x3PReLU(kernel, geometry: band.geometry, input: band.input, weights: weights, output: band.output,
                              params: params, prelu: prelu)
            }
        case .prelu(let kernel, let pixels, let channels, let input, let alpha, let output, let params):
            return bands(pixels, parts: parts, multiple: 64, minimum: 4096 / max(channels, 1)).map { (p0, p1) in
                .prelu(kernel, pixels: p1 - p0, channels: channels, input: input + p0 * channels, alpha: alpha,
                       output: output + p0 * channels, params: params)
            }
        case .add(let kernel, let count, let a, let b, let output, let params):
            return bands(count, parts: parts, multiple: 64, minimum: 4096).map { (i0, i1) in
                .add(kernel, count: i1 - i0, a: a + i0, b: b + i0, output: output + i0, params: params)
            }
        case .clamp(let kernel, let count, let input, let output, let min, let max):
            return bands(count, parts: parts, multiple: 64, minimum: 4096).map { (i0, i1) in
                .clamp(kernel, count: i1 - i0, input: input + i0, output: output + i0, min: min, max: max)
            }
        case .gdconv, .gavgpool:
            return [step]
        }
    }

    /// One band of output rows of a 3×3 convolution: its geometry (in load-time memory) and addresses.
    struct RowBand {
        let geometry: UnsafePointer<ffem_qs8_conv3x3_geometry>
        let input: UnsafePointer<Int8>
        let output: UnsafeMutablePointer<Int8>
    }

    /// The output-row bands of a 3×3 convolution (see the type's description).
    static func rowBands(_ geometry: UnsafePointer<ffem_qs8_conv3x3_geometry>, input: UnsafePointer<Int8>,
                         output: UnsafeMutablePointer<Int8>, parts: Int, memory: LoadTimeMemory) -> [RowBand] {
        let g = geometry.pointee
        let inputRow = Int(g.input_width) * Int(g.input_channels), outputRow = Int(g.output_width) * Int(g.output_channels)
        return bands(Int(g.output_height), parts: parts, multiple: 1, minimum: 2).map { (r0, r1) in
            var band = g
            band.output_height = UInt32(r1 - r0)
            var first = 0
            if r0 > 0 {
                first = r0 * Int(g.stride) - Int(g.padding_top)
                band.padding_top = 0
                band.input_height = g.input_height - UInt32(first)
            }
            return RowBand(geometry: UnsafePointer(memory.store(band)), input: input + first * inputRow,
                           output: output + r0 * outputRow)
        }
    }

    /// [0, total) cut into at most `parts` consecutive non-empty ranges whose starts are multiples
    /// of `multiple`; a single range when total < minimum.
    static func bands(_ total: Int, parts: Int, multiple: Int, minimum: Int) -> [(Int, Int)] {
        guard total >= max(minimum, 2), parts > 1 else { return [(0, total)] }
        let size = roundUp((total + parts - 1) / parts, multiple)
        var ranges: [(Int, Int)] = []
        var start = 0
        while start < total {
            ranges.append((start, min(start + size, total)))
            start += size
        }
        return ranges
    }
}
