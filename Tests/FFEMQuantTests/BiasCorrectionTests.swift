import FFEMCore
import FFEMData
import FFEMImage
import FFEMRuntime
import FFEMTestSupport
import Foundation
import Testing
@testable import FFEMQuant
@testable import FFEMTrain

/// Empirical bias correction: only int32 biases move, and each corrected layer's per-channel mean
/// int8 − float error over the calibration images shrinks to within half a bias step.
@Suite(.serialized) struct BiasCorrectionTests {
    /// Per-channel mean of dequantize(q) − f of plan node `k` over `indices`.
    static func meanErrors(_ plan: QuantizedPlan, node k: Int, network: Network, graph: FoldedGraph, crops: CropSource,
                           indices: [Int]) throws -> [Double] {
        let interpreter = try Interpreter(model: try plan.model(metadata: ModelMetadata(inputSize: crops.side), through: k))
        let channels = plan.nodes[k].outputShape.channels
        var sum = [Double](repeating: 0, count: channels)
        var count = 0
        let input = FloatBuffer(count: crops.side * crops.side * 3)
        for index in indices {
            let pixels = try crops.pixels(index)
            for i in 0..<pixels.count { input[i] = (Float(pixels[i]) - 128) / 128 }
            _ = network.forward(input, batch: 1, isTraining: false)
            let floats = network.activations[graph.nodes[k].floatNode]
            pixels.withUnsafeBufferPointer { interpreter.invoke(pixels: $0) }
            let quantized = interpreter.tensorBytes(k + 1)
            for i in 0..<quantized.count {
                sum[i % channels] += Double(plan.nodes[k].output.dequantize(quantized[i])) - Double(floats[i])
            }
            count += quantized.count / channels
        }
        return sum.map { $0 / Double(count) }
    }

    @Test func onlyBiasesMoveAndEachLayersMeanErrorShrinks() throws {
        let fixture = try DatasetFixture.make(identities: 3, perIdentity: 4)
        defer { fixture.remove() }
        let tiny = try EndToEndQuantizationTests.tinyQuantization(fixture)
        let (network, calibration, crops, graph, plan) = (tiny.network, tiny.calibration, tiny.crops, tiny.graph, tiny.plan)
        let (corrected, corrections) = try BiasCorrection.apply(to: plan, network: network, graph: graph, crops: crops,
                                                                indices: calibration.indices)
        #expect(!corrections.isEmpty)
        #expect(corrections.values.contains { $0.contains { $0 != 0 } }, "no bias changed at all")
        for k in plan.nodes.indices {
            let before = plan.nodes[k].operation, after = corrected.nodes[k].operation
            guard let (oldBias, oldRequantization) = before.biasAndRequantization else {
                #expect(corrections[k] == nil)
                continue
            }
            let (newBias, newRequantization) = after.biasAndRequantization!
            #expect(oldRequantization == newRequantization, "\(plan.nodes[k].name): requantization changed")
            #expect(before.replacingBias(newBias).biasAndRequantization!.0 == newBias)
            if let change = corrections[k] {
                #expect(zip(oldBias, newBias).map { $1 &- $0 } == change, "\(plan.nodes[k].name): reported changes differ")
            } else {
                #expect(oldBias == newBias)
            }
        }
        // Layer by layer (the earlier ones corrected), the corrected layer's mean error is at most
        // about half a step of its bias, in output units, and never larger than before.
        for k in corrections.keys.sorted() {
            let errorsBefore = try Self.meanErrors(corrected.replacing(node: k, from: plan), node: k, network: network, graph: graph,
                                                   crops: crops, indices: calibration.indices)
            let errorsAfter = try Self.meanErrors(corrected, node: k, network: network, graph: graph, crops: crops,
                                                  indices: calibration.indices)
            let scale = Double(plan.nodes[k].output.scale)
            let worstBefore = errorsBefore.map(abs).max()!, worstAfter = errorsAfter.map(abs).max()!
            #expect(worstAfter <= worstBefore + 1e-9, "\(plan.nodes[k].name): \(worstBefore) → \(worstAfter)")
            // The requantized mean moves in steps of the output scale: within one output step.
            #expect(worstAfter <= scale, "\(plan.nodes[k].name): mean error \(worstAfter) > output scale \(scale)")
        }
    }
}

extension QuantizedPlan {
    /// This plan with node `k`'s operation taken from `other` (the same graph).
    func replacing(node k: Int, from other: QuantizedPlan) -> QuantizedPlan {
        var copy = self
        copy.nodes[k].operation = other.nodes[k].operation
        return copy
    }
}
