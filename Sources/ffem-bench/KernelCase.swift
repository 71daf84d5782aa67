// ffem-bench — KernelCase.swift: one layer shape bound to one kernel, ready to time.
import CFFEMKernels
import FFEMCLI

/// What a timed kernel computes, for the derived columns of the report.
struct KernelCase {
    var kernelName: String
    /// The ISA bit of the kernel that runs (a scalar fallback reports FFEM_ISA_SCALAR).
    var isa: UInt32
    /// int8 multiply-adds per call (0 for elementwise ops).
    var macs: Double
    /// Activation and weight bytes read plus bytes written per call (the memory-bound floor).
    var bytes: Double
    var workspace: Workspace
    var run: () -> Void
}

extension KernelCase {
    /// Binds `layer` to the kernel `table` selects for its op.
    static func make(_ layer: LayerShape, table: ffem_kernel_table, seed: UInt64) throws(CommandError) -> KernelCase {
        let w = Workspace(seed: seed)
        switch layer.op {
        case "gemm", "fc":
            let config = layer.op == "gemm" ? table.gemm : table.fc
            let m = try layer.value("m"), k = try layer.value("k"), n = try layer.value("n")
            var tile = config.tile
            let packed = w.bytes(ffem_x8_pack_gemm_size(&tile, n, k))
            ffem_x8_pack_gemm(&tile, n, k, w.int8s(n * k, lower: -127), w.int32s(n, lower: -5000, upper: 5000), 3, packed)
            let input = w.int8s(m * k), output = w.int8s(m * n)
            let params = requantParams(w, channels: n)
            if layer.values["prelu"] == 1, layer.op == "gemm", let fused = table.gemm_prelu.ukernel {
                let prelu = preluEpilogue(w, channels: n)
                return KernelCase(kernelName: String(cString: table.gemm_prelu.name), isa: table.gemm_prelu.isa,
                                  macs: Double(m * n * k), bytes: Double(m * k + n * k + m * n), workspace: w) {
                    fused(m, n, k, input, k, packed, output, n, params, prelu)
                }
            }
            let kernel = config.ukernel!
            return KernelCase(kernelName: String(cString: config.name), isa: config.isa, macs: Double(m * n * k),
                              bytes: Double(m * k + n * k + m * n), workspace: w) {
                kernel(m, n, k, input, k, packed, output, n, params)
            }
        case "conv3x3", "dwconv3x3":
            let h = try layer.value("h"), width = try layer.value("w"), s = try layer.value("s")
            let isDepthwise = layer.op == "dwconv3x3"
            let ci = isDepthwise ? try layer.value("c") : try layer.value("cin")
            let co = isDepthwise ? ci : try layer.value("cout")
            let geometry = w.bytes(MemoryLayout<ffem_qs8_conv3x3_geometry>.stride)
                .bindMemory(to: ffem_qs8_conv3x3_geometry.self, capacity: 1)
            let ho = (h + 2 - 3) / s + 1, wo = (width + 2 - 3) / s + 1
            geometry.pointee = ffem_qs8_conv3x3_geometry(
                input_height: UInt32(h), input_width: UInt32(width), input_channels: UInt32(ci), output_height: UInt32(ho),
                output_width: UInt32(wo), output_channels: UInt32(co), stride: UInt32(s), padding_top: 1, padding_left: 1,
                input_zero_point: -3)
            let input = w.int8s(h * width * ci), output = w.int8s(ho * wo * co)
            let params = requantParams(w, channels: co)
            let bias = w.int32s(co, lower: -5000, upper: 5000)
            let packed: UnsafeMutableRawPointer, name: String, isa: UInt32, kernel: ffem_qs8_conv3x3_fn
            if isDepthwise {
                var tile = table.dwconv3x3.tile
                packed = w.bytes(ffem_x8_pack_dwconv_size(&tile, ci, 9))
                ffem_x8_pack_dwconv(&tile, ci, 9, w.int8s(ci * 9, lower: -127), bias, -3, packed)
                (name, isa, kernel) = (String(cString: table.dwconv3x3.name), table.dwconv3x3.isa, table.dwconv3x3.ukernel!)
            } else {
                var tile = table.conv3x3.tile
                packed = w.bytes(ffem_x8_pack_conv3x3_size(&tile, co, ci))
                ffem_x8_pack_conv3x3(&tile, co, ci, w.int8s(co * 9 * ci, lower: -127), bias, -3, packed)
                (name, isa, kernel) = (String(cString: table.conv3x3.name), table.conv3x3.isa, table.conv3x3.ukernel!)
            }
            let macs = Double(ho * wo * co * 9 * (isDepthwise ? 1 : ci))
            let bytes = Double(h * width * ci + ho * wo * co + co * 9 * (isDepthwise ? 1 : ci))
            if isDepthwise, layer.values["prelu"] == 1, let fused = table.dwconv3x3_prelu.ukernel {
                let prelu = preluEpilogue(w, channels: co)
                return KernelCase(kernelName: String(cString: table.dwconv3x3_prelu.name), isa: table.dwconv3x3_prelu.isa,
                                  macs: macs, bytes: bytes, workspace: w) {
                    fused(geometry, input, packed, output, params, prelu)
                }
            }
            return KernelCase(kernelName: name, isa: isa, macs: macs, bytes: bytes, workspace: w) {
                kernel(geometry, input, packed, output, params)
            }
        case "gdconv":
            let pixels = try layer.value("pixels"), c = try layer.value("c")
            var tile = table.gdconv.tile
            let packed = w.bytes(ffem_x8_pack_dwconv_size(&tile, c, pixels))
            ffem_x8_pack_dwconv(&tile, c, pixels, w.int8s(c * pixels, lower: -127), w.int32s(c, lower: -5000, upper: 5000), 2, packed)
            let input = w.int8s(pixels * c), output = w.int8s(c)
            let params = requantParams(w, channels: c)
            let kernel = table.gdconv.ukernel!
            return KernelCase(kernelName: String(cString: table.gdconv.name), isa: table.gdconv.isa, macs: Double(pixels * c),
                              bytes: Double(2 * pixels * c + c), workspace: w) {
                kernel(pixels, c, input, packed, output, params)
            }
        default:
            return try makeElementwise(layer, table: table, workspace: w)
        }
    }

    static func requantParams(_ w: Workspace, channels: Int) -> UnsafeMutablePointer<ffem_qs8_requant_params> {
        let (multiplier, shift) = w.requantization(channels: channels)
        let params = w.bytes(MemoryLayout<ffem_qs8_requant_params>.stride).bindMemory(to: ffem_qs8_requant_params.self, capacity: 1)
        params.pointee = ffem_qs8_requant_params(multiplier: multiplier, shift: shift, output_zero_point: 5, output_min: -128,
                                                 output_max: 127)
        return params
    }

    /// A fused PReLU epilogue with the parameters of the `vprelu` case.
    static func preluEpilogue(_ w: Workspace, channels: Int) -> UnsafeMutablePointer<ffem_qs8_prelu_epilogue> {
        let (multiplier, shift) = w.requantization(channels: channels)
        let params = w.bytes(MemoryLayout<ffem_qs8_prelu_params>.stride).bindMemory(to: ffem_qs8_prelu_params.self, capacity: 1)
        params.pointee = ffem_qs8_prelu_params(input_zero_point: 5, alpha_zero_point: 0, positive_multiplier: 1_400_000_000,
                                               positive_shift: 1, negative_multiplier: multiplier, negative_shift: shift,
                                               output_zero_point: -1, output_min: -128, output_max: 127)
        let epilogue = w.bytes(MemoryLayout<ffem_qs8_prelu_epilogue>.stride)
            .bindMemory(to: ffem_qs8_prelu_epilogue.self, capacity: 1)
        epilogue.pointee = ffem_qs8_prelu_epilogue(params: params, alpha: w.int8s(channels))
        return epilogue
    }

    static func makeElementwise(_ layer: LayerShape, table: ffem_kernel_table, workspace w: Workspace) throws(CommandError) -> KernelCase {
        let pixels = try layer.value("pixels"), c = try layer.value("c"), count = pixels * c
        switch layer.op {
        case "vadd":
            let a = w.int8s(count), b = w.int8s(count), output = w.int8s(count)
            let params = w.bytes(MemoryLayout<ffem_qs8_add_params>.stride).bindMemory(to: ffem_qs8_add_params.self, capacity: 1)
            params.pointee = ffem_qs8_add_params(a_zero_point: 3, a_multiplier: 1 << 30, a_shift: 0, b_zero_point: -4,
                                                 b_multiplier: 1_500_000_000, b_shift: -1, left_shift: 20,
                                                 output_multiplier: 1_300_000_000, output_shift: -19, output_zero_point: 1,
                                                 output_min: -128, output_max: 127)
            let kernel = table.vadd.ukernel!
            return KernelCase(kernelName: String(cString: table.vadd.name), isa: table.vadd.isa, macs: 0,
                              bytes: Double(3 * count), workspace: w) { kernel(count, a, b, output, params) }
        case "vprelu":
            let input = w.int8s(count), alpha = w.int8s(c), output = w.int8s(count)
            let (multiplier, shift) = w.requantization(channels: c)
            let params = w.bytes(MemoryLayout<ffem_qs8_prelu_params>.stride).bindMemory(to: ffem_qs8_prelu_params.self, capacity: 1)
            params.pointee = ffem_qs8_prelu_params(input_zero_point: 2, alpha_zero_point: 0, positive_multiplier: 1_400_000_000,
                                                   positive_shift: 1, negative_multiplier: multiplier, negative_shift: shift,
                                                   output_zero_point: -1, output_min: -128, output_max: 127)
            let kernel = table.vprelu.ukernel!
            return KernelCase(kernelName: String(cString: table.vprelu.name), isa: table.vprelu.isa, macs: 0,
                              bytes: Double(2 * count), workspace: w) { kernel(pixels, c, input, alpha, output, params) }
        case "gavgpool":
            let input = w.int8s(count), output = w.int8s(c)
            let params = w.bytes(MemoryLayout<ffem_qs8_gavgpool_params>.stride).bindMemory(to: ffem_qs8_gavgpool_params.self, capacity: 1)
            params.pointee = ffem_qs8_gavgpool_params(input_zero_point: 1, multiplier: 1_500_000_000, shift: -6,
                                                      output_zero_point: 0, output_min: -128, output_max: 127)
            let kernel = table.gavgpool.ukernel!
            return KernelCase(kernelName: String(cString: table.gavgpool.name), isa: table.gavgpool.isa, macs: 0,
                              bytes: Double(count + c), workspace: w) { kernel(pixels, c, input, output, params) }
        case "requant":
            let input = w.int32s(count, lower: -1 << 20, upper: 1 << 20), output = w.int8s(count)
            let params = requantParams(w, channels: c)
            let kernel = table.requant.ukernel!
            return KernelCase(kernelName: String(cString: table.requant.name), isa: table.requant.isa, macs: 0,
                              bytes: Double(5 * count), workspace: w) { kernel(pixels, c, input, output, params) }
        case "vclamp":
            let input = w.int8s(count), output = w.int8s(count)
            let kernel = table.vclamp.ukernel!
            return KernelCase(kernelName: String(cString: table.vclamp.name), isa: table.vclamp.isa, macs: 0,
                              bytes: Double(2 * count), workspace: w) { kernel(count, input, output, -5, 100) }
        default:
            throw .dataError("layer \(layer.name): unknown op '\(layer.op)'")
        }
    }
}
