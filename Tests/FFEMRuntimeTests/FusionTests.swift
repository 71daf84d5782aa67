// FFEMRuntimeTests — FusionTests.swift: a convolution fused with its PReLU gives the bytes of the two ops in turn.
import CFFEMKernels
import FFEMRuntime
import Testing

@Suite struct FusionTests {
    /// MobileFaceNet's op list (pointwise → PReLU and depthwise → PReLU pairs, residual adds that
    /// read PReLU outputs twice): with fusion on, every ISA, 1 and 2 threads, the embedding equals
    /// the reference interpreter's and the unfused run's; where the table has fused kernels
    /// (AVX-512 VNNI) they are used, elsewhere the ops run unfused.
    @Test(arguments: RuntimeISA.all)
    func fusedRunEqualsUnfusedRunAndReference(isa: RuntimeISA) throws {
        let model = try MobileFaceNetShapes.build(seed: 23, inputSize: 48, embedding: 32)
        let input = TinyModels.input(for: model, seed: 23)
        let expected = ReferenceInterpreter(model: model).run(input: input).last!
        #expect(Set(expected).count > 8)
        var table = ffem_kernel_table()
        ffem_kernel_table_fill(&table, isa.bit | UInt32(FFEM_ISA_SCALAR))
        let hasFusedKernels = table.gemm_prelu.ukernel != nil && table.dwconv3x3_prelu.ukernel != nil
        for threads in [1, 2] {
            var options = isa.options
            options.threads = threads
            options.fusesOperations = true
            let fused = try Interpreter(model: model, options: options)
            options.fusesOperations = false
            let unfused = try Interpreter(model: model, options: options)
            input.withUnsafeBufferPointer { fused.invoke(input: $0) }
            input.withUnsafeBufferPointer { unfused.invoke(input: $0) }
            #expect(Array(fused.int8Embedding) == expected, "\(isa), \(threads) threads, fused")
            #expect(Array(unfused.int8Embedding) == expected, "\(isa), \(threads) threads, unfused")
            let fusedNames = fused.kernelNames.filter { $0.contains("_prelu_ukernel_") }
            #expect(fused.kernelNames.count == model.operations.count)
            #expect(hasFusedKernels ? !fusedNames.isEmpty : fusedNames.isEmpty, "\(fused.kernelNames)")
            #expect(!unfused.kernelNames.contains { $0.contains("_prelu_ukernel_") })
        }
    }

    /// A convolution output that another op reads besides the PReLU (here the residual add), or
    /// that preservesAllTensors keeps, is not fused away; the result still equals the reference.
    @Test(arguments: RuntimeISA.all)
    func keepsTensorsThatOtherOpsRead(isa: RuntimeISA) throws {
        var p = ParameterSource(seed: 25)
        var model = QuantizedModel(metadata: ModelMetadata(inputSize: 10))
        let c = 19
        let stem = try model.append(.convolution3x3(p.layer(input: QuantizedModel.input, weights: c * 27, outputChannels: c,
                                                            depth: 27, stride: 2, padding: 1)), output: p.quantization())
        let pointwise = try model.append(.pointwiseConvolution(p.layer(input: stem, weights: c * c, outputChannels: c, depth: c)),
                                         output: p.quantization())
        let sIn = model.tensors[pointwise].quantization.scale, activated = p.quantization()
        let (pm, ps) = p.quantized(Double(sIn / activated.scale))
        let (nm, ns) = p.quantized(Double(sIn) / 256 / Double(activated.scale))
        let prelu = try model.append(.prelu(PReLULayer(
            input: pointwise, alpha: (0..<c).map { _ in Int8(p.int(-10...80)) }, alphaZeroPoint: 0, positiveMultiplier: pm,
            positiveShift: ps, negativeMultipliers: [Int32](repeating: nm, count: c),
            negativeShifts: [Int32](repeating: ns, count: c))), output: activated)
        let sum = try model.append(.add(TinyModels.addLayer(model, a: pointwise, b: prelu, output: activated.scale * 2, p: p)),
                                   output: ActivationQuantization(scale: activated.scale * 2, zeroPoint: 3))
        let pixels = model.tensors[sum].shape.pixelCount
        try model.append(.globalDepthwiseConvolution(p.layer(input: sum, weights: c * pixels, outputChannels: c, depth: pixels)),
                         output: p.quantization())
        let input = TinyModels.input(for: model, seed: 25)
        let expected = ReferenceInterpreter(model: model).run(input: input).last!
        for preserves in [false, true] {
            var options = isa.options
            options.fusesOperations = true
            options.preservesAllTensors = preserves
            let interpreter = try Interpreter(model: model, options: options)
            #expect(!interpreter.kernelNames.contains { $0.contains("_prelu_ukernel_") }, "\(interpreter.kernelNames)")
            input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
            #expect(Array(interpreter.int8Embedding) == expected)
        }
    }
}
