// FFEMRuntime — StepBuilder.swift: binds each op to its kernel, packed weights, parameters and arena addresses.
import CFFEMKernels

/// Load-time preparation of interpreter steps. Packs weights with the packer of the tile of the
/// kernel the table selected (so the packed layout always matches the kernel that reads it).
struct StepBuilder {
    let table: ffem_kernel_table
    let memory: LoadTimeMemory
    let arena: UnsafeMutableRawPointer
    let plan: MemoryPlan
    let tensors: [ActivationTensor]

    private func address(_ tensor: Int) -> UnsafeMutablePointer<Int8> {
        (arena + plan.offsets[tensor]).bindMemory(to: Int8.self, capacity: plan.sizes[tensor])
    }

    private func zeroPoint(_ tensor: Int) -> Int32 { tensors[tensor].quantization.zeroPoint }

    private func requantization(_ r: ChannelRequantization, output: Int) -> UnsafePointer<ffem_qs8_requant_params> {
        UnsafePointer(memory.store(ffem_qs8_requant_params(
            multiplier: memory.copy(r.multipliers), shift: memory.copy(r.shifts),
            output_zero_point: zeroPoint(output), output_min: r.outputMin, output_max: r.outputMax)))
    }

    /// The step of `operation`, which writes tensor `output`, and the C name of its kernel.
    mutating func step(for operation: QuantizedOperation, output: Int) -> (InterpreterStep, String) {
        switch operation {
        case .convolution3x3(let layer):
            var tile = table.conv3x3.tile
            let inputChannels = tensors[layer.input].shape.channels
            let packed = memory.bytes(ffem_x8_pack_conv3x3_size(&tile, layer.outputChannels, inputChannels))
            layer.weights.withUnsafeBufferPointer { w in
                layer.bias.withUnsafeBufferPointer { b in
                    ffem_x8_pack_conv3x3(&tile, layer.outputChannels, inputChannels, w.baseAddress, b.baseAddress,
                                         zeroPoint(layer.input), packed)
                }
            }
            return (.conv3x3(table.conv3x3.ukernel!, geometry: geometry(layer, output: output), input: address(layer.input),
                             weights: packed, output: address(output), params: requantization(layer.requantization, output: output)),
                    name(table.conv3x3.name))
        case .depthwiseConvolution3x3(let layer):
            let packed = packDepthwise(layer, tile: table.dwconv3x3.tile, taps: 9)
            return (.conv3x3(table.dwconv3x3.ukernel!, geometry: geometry(layer, output: output), input: address(layer.input),
                             weights: packed, output: address(output), params: requantization(layer.requantization, output: output)),
                    name(table.dwconv3x3.name))
        case .globalDepthwiseConvolution(let layer):
            let shape = tensors[layer.input].shape
            let packed = packDepthwise(layer, tile: table.gdconv.tile, taps: shape.pixelCount)
            return (.gdconv(table.gdconv.ukernel!, pixels: shape.pixelCount, channels: shape.channels,
                            input: address(layer.input), weights: packed, output: address(output),
                            params: requantization(layer.requantization, output: output)),
                    name(table.gdconv.name))
        case .pointwiseConvolution(let layer):
            let shape = tensors[layer.input].shape
            return gemm(layer, config: table.gemm, m: shape.pixelCount, k: shape.channels, output: output)
        case .fullyConnected(let layer):
            return gemm(layer, config: table.fc, m: 1, k: tensors[layer.input].shape.elementCount, output: output)
        case .prelu(let layer):
            let shape = tensors[layer.input].shape
            let params = preluParameters(layer, output: output)
            return (.prelu(table.vprelu.ukernel!, pixels: shape.pixelCount, channels: shape.channels,
                           input: address(layer.input), alpha: memory.copy(layer.alpha), output: address(output),
                           params: params),
                    name(table.vprelu.name))
        case .add(let layer):
            let params = memory.store(ffem_qs8_add_params(
                a_zero_point: zeroPoint(layer.a), a_multiplier: layer.aMultiplier, a_shift: layer.aShift,
                b_zero_point: zeroPoint(layer.b), b_multiplier: layer.bMultiplier, b_shift: layer.bShift,
                left_shift: layer.leftShift, output_multiplier: layer.outputMultiplier, output_shift: layer.outputShift,
                output_zero_point: zeroPoint(output), output_min: layer.outputMin, output_max: layer.outputMax))
            return (.add(table.vadd.ukernel!, count: tensors[layer.a].shape.elementCount, a: address(layer.a),
                         b: address(layer.b), output: address(output), params: params),
                    name(table.vadd.name))
        case .globalAveragePooling(let layer):
            let shape = tensors[layer.input].shape
            let params = memory.store(ffem_qs8_gavgpool_params(
                input_zero_point: zeroPoint(layer.input), multiplier: layer.multiplier, shift: layer.shift,
                output_zero_point: zeroPoint(output), output_min: layer.outputMin, output_max: layer.outputMax))
            return (.gavgpool(table.gavgpool.ukernel!, pixels: shape.pixelCount, channels: shape.channels,
                              input: address(layer.input), output: address(output), params: params),
                    name(table.gavgpool.name))
        case .clamp(let layer):
            return (.clamp(table.vclamp.ukernel!, count: tensors[layer.input].shape.elementCount, input: address(layer.input),
                           output: address(output), min: Int8(layer.outputMin), max: Int8(layer.outputMax)),
                    name(table.vclamp.name))
        }
    }

    private func gemm(_ layer: WeightedLayer, config: ffem_qs8_gemm_config, m: Int, k: Int,
                      output: Int) -> (InterpreterStep, String) {
        let packed = packGemm(layer, tile: config.tile, k: k)
        return (.gemm(config.ukernel!, m: m, n: layer.outputChannels, k: k, input: address(layer.input), weights: packed,
                      output: address(output), params: requantization(layer.requantization, output: output)),
                name(config.name))
    }

    /// One step for `operation` (writing tensor `output`) followed by `prelu` (reading it, writing
    /// tensor `output + 1`), when the table has a fused kernel for the operation's kind: a 1×1
    /// convolution (`gemm_prelu`) or a 3×3 depthwise convolution (`dwconv3x3_prelu`). Tensor
    /// `output` is then never written. The fused kernel gives the bytes of the two kernels in
    /// sequence (its contract, tested in FusedPReLUTests), with the same packing. nil otherwise.
    mutating func fusedStep(for operation: QuantizedOperation, prelu: PReLULayer, output: Int) -> (InterpreterStep, String)? {
        let preluOutput = output + 1
        switch operation {
        case .pointwiseConvolution(let layer):
            guard let kernel = table.gemm_prelu.ukernel else { return nil }
            let shape = tensors[layer.input].shape
            let packed = packGemm(layer, tile: table.gemm.tile, k: shape.channels)
            return (.gemmPReLU(kernel, m: shape.pixelCount, n: layer.outputChannels, k: shape.channels,
                               input: address(layer.input), weights: packed, output: address(preluOutput),
                               params: requantization(layer.requantization, output: output),
                               prelu: preluEpilogue(prelu, output: preluOutput)),
                    name(table.gemm_prelu.name))
        case .depthwiseConvolution3x3(let layer):
            guard let kernel = table.dwconv3x3_prelu.ukernel else { return nil }
            let packed = packDepthwise(layer, tile: table.dwconv3x3.tile, taps: 9)
            return (.conv3x3PReLU(kernel, geometry: geometry(layer, output: output), input: address(layer.input),
                                  weights: packed, output: address(preluOutput),
                                  params: requantization(layer.requantization, output: output),
                                  prelu: preluEpilogue(prelu, output: preluOutput)),
                    name(table.dwconv3x3_prelu.name))
        default:
            return nil
        }
    }

    private func preluParameters(_ layer: PReLULayer, output: Int) -> UnsafeMutablePointer<ffem_qs8_prelu_params> {
        memory.store(ffem_qs8_prelu_params(
            input_zero_point: zeroPoint(layer.input), alpha_zero_point: layer.alphaZeroPoint,
            positive_multiplier: layer.positiveMultiplier, positive_shift: layer.positiveShift,
            negative_multiplier: memory.copy(layer.negativeMultipliers), negative_shift: memory.copy(layer.negativeShifts),
            output_zero_point: zeroPoint(output), output_min: layer.outputMin, output_max: layer.outputMax))
    }

    private func preluEpilogue(_ layer: PReLULayer, output: Int) -> UnsafePointer<ffem_qs8_prelu_epilogue> {
        UnsafePointer(memory.store(ffem_qs8_prelu_epilogue(params: preluParameters(layer, output: output),
                                                           alpha: memory.copy(layer.alpha))))
    }

    private func packGemm(_ layer: WeightedLayer, tile: ffem_qs8_gemm_tile, k: Int) -> UnsafeMutableRawPointer {
        var tile = tile
        let packed = memory.bytes(ffem_x8_pack_gemm_size(&tile, layer.outputChannels, k))
        layer.weights.withUnsafeBufferPointer { w in
            layer.bias.withUnsafeBufferPointer { b in
                ffem_x8_pack_gemm(&tile, layer.outputChannels, k, w.baseAddress, b.baseAddress, zeroPoint(layer.input), packed)
            }
        }
        return packed
    }

    private func packDepthwise(_ layer: WeightedLayer, tile: ffem_qs8_dwconv_tile, taps: Int) -> UnsafeMutableRawPointer {
        var tile = tile
        let channels = layer.outputChannels
        let packed = memory.bytes(ffem_x8_pack_dwconv_size(&tile, channels, taps))
        layer.weights.withUnsafeBufferPointer { w in
            layer.bias.withUnsafeBufferPointer { b in
                ffem_x8_pack_dwconv(&tile, channels, taps, w.baseAddress, b.baseAddress, zeroPoint(layer.input), packed)
            }
        }
        return packed
    }

    private func geometry(_ layer: WeightedLayer, output: Int) -> UnsafePointer<ffem_qs8_conv3x3_geometry> {
        let i = tensors[layer.input].shape, o = tensors[output].shape
        return UnsafePointer(memory.store(ffem_qs8_conv3x3_geometry(
            input_height: UInt32(i.height), input_width: UInt32(i.width), input_channels: UInt32(i.channels),
            output_height: UInt32(o.height), output_width: UInt32(o.width), output_channels: UInt32(o.channels),
            stride: UInt32(layer.stride), padding_top: UInt32(layer.padding), padding_left: UInt32(layer.padding),
            input_zero_point: zeroPoint(layer.input))))
    }

    private func name(_ cName: UnsafePointer<CChar>?) -> String {
        guard let cName else { return "?" }
        var bytes: [UInt8] = []
        var i = 0
        while cName[i] != 0 {
            bytes.append(UInt8(bitPattern: cName[i]))
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
