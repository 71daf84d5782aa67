// FFEMRuntimeTests — SingleOperationTests.swift: each op alone (then a fully connected readout) against
// the reference, under every ISA, at shapes around the SIMD tile edges (odd channel counts).
import FFEMRuntime
import Testing

@Suite struct SingleOperationTests {
    typealias Build = @Sendable (inout QuantizedModel, inout ParameterSource, Int) throws -> Int

    /// (name, builder of one op reading tensor 0 with `c` channels available after a 1×1 to c).
    static let cases: [(String, Build)] = [
        ("convolution3x3 s1 p1", { m, p, c in
            try m.append(.convolution3x3(p.layer(input: 1, weights: c * 9 * c, outputChannels: c, depth: 9 * c,
                                                 padding: 1)), output: p.quantization()) }),
        ("convolution3x3 s2 p0", { m, p, c in
            try m.append(.convolution3x3(p.layer(input: 1, weights: 5 * 9 * c, outputChannels: 5, depth: 9 * c,
                                                 stride: 2)), output: p.quantization()) }),
        ("depthwiseConvolution3x3 s1 p1", { m, p, c in
            try m.append(.depthwiseConvolution3x3(p.layer(input: 1, weights: c * 9, outputChannels: c, depth: 9,
                                                          padding: 1)), output: p.quantization()) }),
        ("depthwiseConvolution3x3 s2 p1", { m, p, c in
            try m.append(.depthwiseConvolution3x3(p.layer(input: 1, weights: c * 9, outputChannels: c, depth: 9,
                                                          stride: 2, padding: 1)), output: p.quantization()) }),
        ("pointwiseConvolution", { m, p, c in
            try m.append(.pointwiseConvolution(p.layer(input: 1, weights: 37 * c, outputChannels: 37, depth: c)),
                         output: p.quantization()) }),
        ("globalDepthwiseConvolution", { m, p, c in
            let pixels = m.tensors[1].shape.pixelCount
            return try m.append(.globalDepthwiseConvolution(p.layer(input: 1, weights: c * pixels, outputChannels: c,
                                                                    depth: pixels)), output: p.quantization()) }),
        ("globalAveragePooling", { m, p, c in
            let (mul, shift) = p.quantized(0.8 / Double(m.tensors[1].shape.pixelCount))
            return try m.append(.globalAveragePooling(GlobalAveragePoolingLayer(input: 1, multiplier: mul, shift: shift)),
                                output: p.quantization()) }),
        ("clamp", { m, p, c in
            try m.append(.clamp(ClampLayer(input: 1, outputMin: -40, outputMax: 33)), output: m.tensors[1].quantization) }),
        ("add", { m, p, c in
            let other = try m.append(.pointwiseConvolution(p.layer(input: 1, weights: c * c, outputChannels: c, depth: c)),
                                     output: p.quantization())
            return try m.append(.add(TinyModels.addLayer(m, a: 1, b: other, output: 0.08, p: p)),
                                output: ActivationQuantization(scale: 0.08, zeroPoint: 5)) }),
    ]

    @Test(arguments: RuntimeISA.all)
    func eachOpMatchesTheReference(isa: RuntimeISA) throws {
        for channels in [3, 8, 13, 33] {
            for (name, build) in Self.cases {
                var p = ParameterSource(seed: UInt64(channels))
                var model = QuantizedModel(metadata: ModelMetadata(inputSize: 7))
                // A 1×1 from RGB to `channels` first, so the op under test sees `channels` inputs.
                try model.append(.pointwiseConvolution(p.layer(input: 0, weights: channels * 3, outputChannels: channels,
                                                               depth: 3)), output: p.quantization())
                let tested = try build(&model, &p, channels)
                let size = model.tensors[tested].shape.elementCount
                try model.append(.fullyConnected(p.layer(input: tested, weights: 5 * size, outputChannels: 5, depth: size)),
                                 output: p.quantization())
                let interpreter = try Interpreter(model: model, options: isa.options)
                let input = TinyModels.input(for: model, seed: UInt64(channels))
                input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
                let expected = ReferenceInterpreter(model: model).run(input: input).last!
                #expect(Array(interpreter.int8Embedding) == expected, "\(name), \(channels) channels, \(isa)")
            }
        }
    }
}
