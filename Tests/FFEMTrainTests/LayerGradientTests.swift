import FFEMCore
import Testing
@testable import FFEMTrain

/// Every layer's backward pass against central finite differences.
@Suite struct LayerGradientTests {
    static func single(_ operation: Operation, input: Shape, extra: [NodeSpec] = []) -> ModelSpec {
        ModelSpec(name: "t", input: input, nodes: [NodeSpec(name: "layer", operation: operation, inputs: [-1])] + extra)
    }

    static let cases: [(String, ModelSpec, Bool)] = [
        ("conv3x3 s1 same bias", single(.convolution(kernel: 3, stride: 1, padding: .same, outputChannels: 5, hasBias: true), input: Shape(6, 5, 3)), false),
        ("conv3x3 s2 same", single(.convolution(kernel: 3, stride: 2, padding: .same, outputChannels: 4, hasBias: false), input: Shape(7, 6, 2)), false),
        ("conv1x1 pointwise", single(.convolution(kernel: 1, stride: 1, padding: .valid, outputChannels: 6, hasBias: true), input: Shape(4, 3, 5)), false),
        ("conv1x1 s2", single(.convolution(kernel: 1, stride: 2, padding: .valid, outputChannels: 3, hasBias: false), input: Shape(5, 5, 4)), false),
        ("depthwise3x3 s1", single(.depthwiseConvolution(kernel: 3, stride: 1, padding: .same, hasBias: true), input: Shape(5, 6, 7)), false),
        ("depthwise3x3 s2", single(.depthwiseConvolution(kernel: 3, stride: 2, padding: .same, hasBias: false), input: Shape(7, 7, 3)), false),
        ("gdc 4x4 valid", single(.depthwiseConvolution(kernel: 4, stride: 1, padding: .valid, hasBias: false), input: Shape(4, 4, 13)), false),
        ("batchnorm", single(.batchNormalization(epsilon: 1e-3, momentum: 0.9), input: Shape(3, 2, 5)), false),
        ("prelu", single(.prelu, input: Shape(3, 3, 4)), true),
        ("batchnorm → prelu (fused)", single(.batchNormalization(epsilon: 1e-3, momentum: 0.9), input: Shape(3, 2, 5),
                                            extra: [NodeSpec(name: "act", operation: .prelu, inputs: [0])]), false),
        ("relu", single(.relu, input: Shape(2, 3, 4)), true),
        ("relu6", single(.relu6, input: Shape(2, 2, 3)), true),
        ("dense", single(.dense(outputs: 7, hasBias: true), input: Shape(2, 2, 3)), false),
        ("flatten", single(.flatten, input: Shape(2, 3, 2)), false),
        ("global average pooling", single(.globalAveragePooling, input: Shape(3, 4, 5)), false),
        ("dropout", single(.dropout(rate: 0.3), input: Shape(2, 2, 6)), false),
        ("l2 normalisation", single(.l2Normalization, input: Shape(1, 1, 9)), false),
        ("residual add", ModelSpec(name: "t", input: Shape(3, 3, 4), nodes: [
            NodeSpec(name: "a", operation: .convolution(kernel: 1, stride: 1, padding: .valid, outputChannels: 4, hasBias: false), inputs: [-1]),
            NodeSpec(name: "sum", operation: .add, inputs: [-1, 0]),
        ]), false),
    ]

    @Test(arguments: 0..<cases.count)
    func backwardMatchesCentralDifferences(_ k: Int) throws {
        let (name, spec, kinked) = LayerGradientTests.cases[k]
        let checker = try GradientChecker(spec: spec, batch: 3, seed: UInt64(100 + k), avoidKinks: kinked)
        let mismatches = checker.mismatches(samples: 16)
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(4))")
    }

    @Test func chainedBottleneckBackwardMatchesCentralDifferences() throws {
        // MobileFaceNet's building blocks chained: stem, inverted residual with its add, GDC, embedding.
        var b = ModelBuilder(name: "t", input: Shape(6, 6, 3))
        b.convolutionBlock("stem", kernel: 3, stride: 2, outputChannels: 4, activation: .prelu, from: -1)
        b.invertedResidual("block", inputChannels: 4, expansion: 2, outputChannels: 4, stride: 1, activation: .prelu)
        b.depthwiseBlock("gdc", kernel: 3, stride: 1, activation: nil, padding: .valid)
        b.add("flatten", .flatten)
        b.add("dense", .dense(outputs: 5, hasBias: true))
        let checker = try GradientChecker(spec: b.build(), batch: 6, seed: 5, epsilon: 1e-3)
        let mismatches = checker.mismatches(samples: 4)
        // Inside a chain a ±ε perturbation can cross a PReLU kink downstream; allow 2 of ~100 coordinates.
        #expect(mismatches.count <= 2, "\(mismatches.count) mismatches: \(mismatches.prefix(8))")
    }
}
