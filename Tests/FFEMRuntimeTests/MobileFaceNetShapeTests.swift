// FFEMRuntimeTests — MobileFaceNetShapeTests.swift: the real network's op list and shapes (random
// int8 parameters) through writer, reader and interpreter, identical under every ISA and equal
// to the reference interpreter.
import FFEMRuntime
import Testing

enum MobileFaceNetShapes {
    /// Chen et al. 2018, Table 1 (as FFEMTrain's `Architectures.mobileFaceNet`), BN folded:
    /// conv3×3 s2 64 + PReLU → dw3×3 + PReLU → bottlenecks (t, c, n, s) → 1×1 512 + PReLU → GDC → 1×1 E.
    static func build(seed: UInt64, inputSize: Int = 112, embedding: Int = 128) throws(FFQError) -> QuantizedModel {
        var p = ParameterSource(seed: seed)
        var model = QuantizedModel(metadata: ModelMetadata(inputSize: inputSize))
        func prelu(_ input: Int, _ model: inout QuantizedModel, _ p: inout ParameterSource) throws(FFQError) -> Int {
            let channels = model.tensors[input].shape.channels, sIn = model.tensors[input].quantization.scale
            let output = p.quantization()
            let (pm, ps) = p.quantized(Double(sIn / output.scale))
            let (nm, ns) = p.quantized(Double(sIn) / 256 / Double(output.scale))
            return try model.append(.prelu(PReLULayer(
                input: input, alpha: (0..<channels).map { _ in Int8(p.int(0...64)) }, alphaZeroPoint: 0,
                positiveMultiplier: pm, positiveShift: ps, negativeMultipliers: [Int32](repeating: nm, count: channels),
                negativeShifts: [Int32](repeating: ns, count: channels))), output: output)
        }
        func pointwise(_ input: Int, _ outputs: Int, _ model: inout QuantizedModel,
                       _ p: inout ParameterSource) throws(FFQError) -> Int {
            let k = model.tensors[input].shape.channels
            return try model.append(.pointwiseConvolution(p.layer(input: input, weights: outputs * k, outputChannels: outputs,
                                                                  depth: k)), output: p.quantization())
        }
        var x = try model.append(.convolution3x3(p.layer(input: 0, weights: 64 * 27, outputChannels: 64, depth: 27,
                                                         stride: 2, padding: 1)), output: p.quantization())
        x = try prelu(x, &model, &p)
        x = try model.append(.depthwiseConvolution3x3(p.layer(input: x, weights: 64 * 9, outputChannels: 64, depth: 9,
                                                              padding: 1)), output: p.quantization())
        x = try prelu(x, &model, &p)
        var channels = 64
        for (t, c, n, s) in [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)] {
            for k in 0..<n {
                let input = x, stride = k == 0 ? s : 1, expanded = channels * t
                x = try prelu(try pointwise(x, expanded, &model, &p), &model, &p)
                x = try model.append(.depthwiseConvolution3x3(p.layer(input: x, weights: expanded * 9, outputChannels: expanded,
                                                                      depth: 9, stride: stride, padding: 1)),
                                     output: p.quantization())
                x = try prelu(x, &model, &p)
                x = try pointwise(x, c, &model, &p)
                if stride == 1 && channels == c {
                    x = try model.append(.add(TinyModels.addLayer(model, a: input, b: x, output: 0.07, p: p)),
                                         output: ActivationQuantization(scale: 0.07, zeroPoint: Int32(p.int(-10...10))))
                }
                channels = c
            }
        }
        x = try prelu(try pointwise(x, 512, &model, &p), &model, &p)
        let pixels = model.tensors[x].shape.pixelCount
        x = try model.append(.globalDepthwiseConvolution(p.layer(input: x, weights: 512 * pixels, outputChannels: 512,
                                                                 depth: pixels)), output: p.quantization())
        _ = try pointwise(x, embedding, &model, &p)
        return model
    }
}

@Suite struct MobileFaceNetShapeTests {
    @Test func runsIdenticallyUnderEveryISAAndMatchesTheReference() throws {
        let model = try MobileFaceNetShapes.build(seed: 21)
        #expect(model.tensors[model.outputTensor].shape == TensorShape(height: 1, width: 1, channels: 128))
        let loaded = try FFQReader.read(try FFQWriter.serialize(model))
        let input = TinyModels.input(for: model, seed: 21)
        let all = ReferenceInterpreter(model: model).run(input: input)
        let expected = all.last!
        #expect(Set(expected).count > 16)
        for isa in RuntimeISA.all {
            var options = isa.options
            options.threads = isa.bit == 1 ? 1 : 2
            let interpreter = try Interpreter(model: loaded, options: options)
            input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
            // Every layer, not just the embedding: the same model with all tensors kept.
            options.preservesAllTensors = true
            let preserving = try Interpreter(model: loaded, options: options)
            input.withUnsafeBufferPointer { preserving.invoke(input: $0) }
            for t in 0..<model.tensors.count where Array(preserving.tensorBytes(t)) != all[t] {
                Issue.record("\(isa): tensor \(t) (after op \(model.operations[t == 0 ? 0 : t - 1].name)) differs")
            }
            #expect(Array(interpreter.int8Embedding) == expected, "\(isa), \(options.threads) threads")
            let largest = interpreter.plan.sizes.max()!, total = interpreter.plan.sizes.reduce(0, +)
            #expect(interpreter.plan.arenaBytes < total / 4, "arena \(interpreter.plan.arenaBytes) of \(total)")
            #expect(interpreter.plan.arenaBytes >= largest)
        }
    }
}
