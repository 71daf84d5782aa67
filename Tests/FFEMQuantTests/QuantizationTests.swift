import FFEMCore
import Testing
import FFEMRuntime
@testable import FFEMQuant
@testable import FFEMTrain

@Suite struct QuantizationTests {
    @Test func realZeroIsExactlyRepresentable() {
        var random = SeededRandom(seed: 8)
        for _ in 0..<1000 {
            let lo = random.nextFloat(in: -50, 10), hi = lo + random.nextFloat(in: 0.001, 80)
            let q = ActivationQuantization(lower: lo, upper: hi)
            #expect(q.zeroPoint >= -128 && q.zeroPoint <= 127)
            #expect(q.dequantize(q.quantize(0)) == 0)
            #expect(q.scale > 0)
        }
    }

    @Test func weightsAreSymmetricPerChannelWithinPlusMinus127() {
        var random = SeededRandom(seed: 9)
        let weights = (0..<(5 * 27)).map { _ in random.nextFloat(in: -3, 3) }
        let q = ChannelWeights(weights, channels: 5)
        #expect(q.values.allSatisfy { $0 >= -127 })
        for c in 0..<5 {
            let slice = q.values[(c * 27)..<((c + 1) * 27)]
            #expect(slice.contains { abs(Int($0)) == 127 })  // the largest weight maps to ±127
            for i in 0..<27 { #expect(abs(Float(slice[c * 27 + i]) * q.scales[c] - weights[c * 27 + i]) <= q.scales[c] / 2 + 1e-6) }
        }
    }

    @Test func biasIsRoundedAtTheProductScale() {
        #expect(quantizeBias([1.0, -0.25], inputScale: 0.5, weightScales: [0.01, 0.1]) == [200, -5])
    }

    @Test func multiplierRoundTripsWithinTheContractBound() throws {
        for real in [0.5, 0.0003, 0.99999, 1.7, 1e-6] {
            let (m, shift) = try quantizeMultiplier(real)
            #expect(m >= 1 << 30)
            let back = Double(m) * pow(2.0, Double(shift)) / pow(2.0, 31)
            #expect(abs(back - real) <= pow(2.0, Double(shift) - 32))
        }
    }

    @Test func observersPickTheirRanges() {
        var histogram = ValueHistogram()
        let values = (0..<10_000).map { Float($0) / 10_000 } + [100]
        values.withUnsafeBufferPointer { histogram.observeRange($0) }
        values.withUnsafeBufferPointer { histogram.observeHistogram($0) }
        #expect(histogram.range(.minMax) == (0, 100))
        #expect(histogram.range(.percentile(99.9)).upper < 2)  // the lone outlier is clipped
        #expect(histogram.range(.mse).upper < 100)
    }

    @Test func batchNormFoldsIntoTheConvolution() throws {
        var b = ModelBuilder(name: "t", input: Shape(1, 1, 3))
        b.convolutionBlock("c", kernel: 1, stride: 1, outputChannels: 2, activation: .relu6, from: -1)
        let network = try Network(spec: b.build(), seed: 4)
        let bn = network.layers[1] as! BatchNormalization
        bn.gamma.value.copy(from: [2, -1])
        bn.beta.value.copy(from: [0.5, 0.25])
        bn.runningMean.value.copy(from: [0.1, -0.2])
        bn.runningVariance.value.copy(from: [4, 0.25])
        let graph = try FoldedGraph.fold(network)
        #expect(graph.nodes.count == 1)
        guard case let .convolution(_, _, _, weights, bias, _) = graph.nodes[0].operation else { Issue.record("not a convolution"); return }
        #expect(graph.nodes[0].clamp?.upper == 6 && graph.nodes[0].floatNode == 2)
        let x: [Float] = [0.3, -0.7, 0.2]
        let out = network.forward(FloatBuffer(x), batch: 1, isTraining: false)
        for o in 0..<2 {
            var folded = bias[o]
            for i in 0..<3 { folded += weights[o * 3 + i] * x[i] }
            #expect(abs(min(max(folded, 0), 6) - out[o]) < 1e-5)
        }
    }

    @Test func mobileFaceNetFoldsToTheRuntimeOperations() throws {
        let network = try Network(spec: Architectures.mobileFaceNet(), seed: 1)
        let graph = try FoldedGraph.fold(network)
        // Every BN disappears; convolution, depthwise, PReLU and add remain.
        #expect(graph.nodes.count < network.spec.nodes.count)
        #expect(graph.nodes.last?.outputShape == Shape(1, 1, 128))
        #expect(throws: QuantizationError.self) { try FoldedGraph.fold(try Network(spec: Architectures.irResNet(depth: 18)!, seed: 1)) }
    }
}

import Foundation
