// NetworkFusionTests: the fused training schedule (BN → PReLU pairs run as one, single-reader
// gradients stored instead of zeroed and accumulated) gives the plain schedule's bits.
import FFEMCore
import Testing
@testable import FFEMTrain

@Suite struct NetworkFusionTests {
    /// MobileFaceNet's building blocks: stem, inverted residuals (one with its add, one strided), GDC, dense.
    static func spec() -> ModelSpec {
        var b = ModelBuilder(name: "t", input: Shape(9, 9, 3))
        b.convolutionBlock("stem", kernel: 3, stride: 2, outputChannels: 6, activation: .prelu, from: -1)
        b.invertedResidual("block1", inputChannels: 6, expansion: 2, outputChannels: 6, stride: 1, activation: .prelu)
        b.invertedResidual("block2", inputChannels: 6, expansion: 3, outputChannels: 5, stride: 2, activation: .prelu)
        b.depthwiseBlock("gdc", kernel: 3, stride: 1, activation: nil, padding: .valid)
        b.add("flatten", .flatten)
        b.add("dense", .dense(outputs: 7, hasBias: true))
        return b.build()
    }

    @Test func planFusesEveryBatchNormPReLUPair() throws {
        let network = try Network(spec: Self.spec(), seed: 3)
        let pairs = network.spec.nodes.indices.filter {
            if case .batchNormalization = network.spec.nodes[$0].operation, $0 + 1 < network.spec.nodes.count,
               case .prelu = network.spec.nodes[$0 + 1].operation { return true }
            return false
        }
        #expect(Set(network.fusedPairs.keys) == Set(pairs))
        #expect(pairs.count == 5)
    }

    @Test(arguments: [1, 2])
    func fusedTrainingStepEqualsPlainStep(threads: Int) throws {
        let spec = Self.spec(), batch = 5
        let fused = try Network(spec: spec, seed: 11, threads: threads)
        let plain = try Network(spec: spec, seed: 11, threads: threads)
        plain.fusesLayers = false
        var random = SeededRandom(seed: 12)
        let input = FloatBuffer((0..<(batch * spec.input.count)).map { _ in random.nextFloat(in: -1, 1) })
        let projection = (0..<(batch * fused.outputShape.count)).map { _ in random.nextFloat(in: -1, 1) }
        for network in [fused, plain] {
            // Two steps, so the second starts from gradient buffers the first left behind.
            for _ in 0..<2 {
                network.forward(input, batch: batch, isTraining: true)
                network.zeroGradients()
                network.outputGradient.copy(from: projection)
                network.backward(input: input, computeInputGradient: true)
            }
        }
        #expect(fused.output.array == plain.output.array)
        #expect(fused.inputGradientBuffer.array == plain.inputGradientBuffer.array)
        for (f, p) in zip(fused.parameters + fused.buffers, plain.parameters + plain.buffers) {
            #expect(f.gradient.array == p.gradient.array, "\(f.name) gradient")
            #expect(f.value.array == p.value.array, "\(f.name) value")
        }
        // Inference after fused training passes fills every activation, as the plain schedule does.
        fused.forward(input, batch: batch, isTraining: false)
        plain.forward(input, batch: batch, isTraining: false)
        for (f, p) in zip(fused.activations, plain.activations) { #expect(f.array == p.array) }
    }
}
