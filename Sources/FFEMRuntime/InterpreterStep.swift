// FFEMRuntime — InterpreterStep.swift: one op, prepared at load time as a kernel call with fixed pointers.
import CFFEMKernels

/// An op bound to its kernel, its packed weights, its parameter block and its arena addresses.
/// Every payload is a trivial value (C function pointers, raw pointers, sizes), so running a step
/// neither allocates nor reference-counts, and does only what the kernel does: integer work.
enum InterpreterStep {
    case gemm(ffem_qs8_gemm_fn, m: Int, n: Int, k: Int, input: UnsafePointer<Int8>, weights: UnsafeRawPointer,
              output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_requant_params>)
    case conv3x3(ffem_qs8_conv3x3_fn, geometry: UnsafePointer<ffem_qs8_conv3x3_geometry>, input: UnsafePointer<Int8>,
                 weights: UnsafeRawPointer, output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_requant_params>)
    case gdconv(ffem_qs8_gdconv_fn, pixels: Int, channels: Int, input: UnsafePointer<Int8>, weights: UnsafeRawPointer,
                output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_requant_params>)
    case prelu(ffem_qs8_vprelu_fn, pixels: Int, channels: Int, input: UnsafePointer<Int8>, alpha: UnsafePointer<Int8>,
               output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_prelu_params>)
    case add(ffem_qs8_vadd_fn, count: Int, a: UnsafePointer<Int8>, b: UnsafePointer<Int8>,
             output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_add_params>)
    case gavgpool(ffem_qs8_gavgpool_fn, pixels: Int, channels: Int, input: UnsafePointer<Int8>,
                  output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_gavgpool_params>)
    case clamp(ffem_qs8_vclamp_fn, count: Int, input: UnsafePointer<Int8>, output: UnsafeMutablePointer<Int8>,
               min: Int8, max: Int8)
    /// A 1×1 convolution and the PReLU reading its output, as one fused kernel (`output` is the PReLU's).
    case gemmPReLU(ffem_qs8_gemm_prelu_fn, m: Int, n: Int, k: Int, input: UnsafePointer<Int8>, weights: UnsafeRawPointer,
                   output: UnsafeMutablePointer<Int8>, params: UnsafePointer<ffem_qs8_requant_params>,
                   prelu: UnsafePointer<ffem_qs8_prelu_epilogue>)
    /// A 3×3 (depthwise) convolution and the PReLU reading its output, as one fused kernel.
    case conv3x3PReLU(ffem_qs8_conv3x3_prelu_fn, geometry: UnsafePointer<ffem_qs8_conv3x3_geometry>,
                      input: UnsafePointer<Int8>, weights: UnsafeRawPointer, output: UnsafeMutablePointer<Int8>,
                      params: UnsafePointer<ffem_qs8_requant_params>, prelu: UnsafePointer<ffem_qs8_prelu_epilogue>)

    /// Calls the kernel.
    @inline(__always)
    func run() {
        switch self {
        case .gemm(let kernel, let m, let n, let k, let input, let weights, let output, let params):
            kernel(m, n, k, input, k, weights, output, n, params)
        case .conv3x3(let kernel, let geometry, let input, let weights, let output, let params):
            kernel(geometry, input, weights, output, params)
        case .gdconv(let kernel, let pixels, let channels, let input, let weights, let output, let params):
            kernel(pixels, channels, input, weights, output, params)
        case .prelu(let kernel, let pixels, let channels, let input, let alpha, let output, let params):
            kernel(pixels, channels, input, alpha, output, params)
        case .add(let kernel, let count, let a, let b, let output, let params):
            kernel(count, a, b, output, params)
        case .gavgpool(let kernel, let pixels, let channels, let input, let output, let params):
            kernel(pixels, channels, input, output, params)
        case .clamp(let kernel, let count, let input, let output, let min, let max):
            kernel(count, input, output, min, max)
        case .gemmPReLU(let kernel, let m, let n, let k, let input, let weights, let output, let params, let prelu):
            kernel(m, n, k, input, k, weights, output, n, params, prelu)
        case .conv3x3PReLU(let kernel, let geometry, let input, let weights, let output, let params, let prelu):
            kernel(geometry, input, weights, output, params, prelu)
        }
    }
}
