// FFEMQuant — QuantizationReport.swift: how far int8 is from float, layer by layer and end to end.
import FFEMCore
import FFEMRuntime
import FFEMTrain
import Foundation

/// SQNR of every quantized tensor and the cosine between float and int8 embeddings over a set of images.
public struct QuantizationReport {
    /// 10·log10(Σ f² / Σ (f − dequantize(q))²) in dB, over all evaluation images, per plan node.
    public var layerSQNR: [(name: String, decibels: Double)] = []
    public var cosines: [Double] = []
    public var meanCosine: Double { cosines.isEmpty ? 0 : cosines.reduce(0, +) / Double(cosines.count) }
    public var minimumCosine: Double { cosines.min() ?? 0 }

    /// Runs the float network and the int8 interpreter on the same crops of `indices`; per-layer
    /// SQNR uses one prefix model per node (`QuantizedPlan.model(metadata:through:)`) over the first
    /// `layerImages` images. Returns the report and both embeddings per image (float first).
    public static func measure(network: Network, graph: FoldedGraph, plan: QuantizedPlan, interpreter: Interpreter,
                               crops: CropSource, indices: [Int], layerImages: Int = 20) throws -> (QuantizationReport, [[Float]], [[Float]]) {
        var prefixes: [Interpreter] = []
        for k in 0..<plan.nodes.count {
            prefixes.append(try Interpreter(model: try plan.model(metadata: ModelMetadata(inputSize: crops.side), through: k)))
        }
        var signal = [Double](repeating: 0, count: plan.nodes.count)
        var noise = [Double](repeating: 0, count: plan.nodes.count)
        var report = QuantizationReport()
        var floatEmbeddings: [[Float]] = [], int8Embeddings: [[Float]] = []
        let perImage = crops.side * crops.side * 3
        let input = FloatBuffer(count: perImage)
        for (n, index) in indices.enumerated() {
            let pixels = try crops.pixels(index)
            for i in 0..<perImage { input[i] = (Float(pixels[i]) - 128) / 128 }
            let output = network.forward(input, batch: 1, isTraining: false)
            pixels.withUnsafeBufferPointer { interpreter.invoke(pixels: $0) }
            for (k, node) in plan.nodes.enumerated() where n < layerImages {
                let floats = network.activations[graph.nodes[k].floatNode]
                pixels.withUnsafeBufferPointer { prefixes[k].invoke(pixels: $0) }
                let quantized = prefixes[k].tensorBytes(k + 1)
                for i in 0..<quantized.count {
                    let f = Double(floats[i]), q = Double(node.output.dequantize(quantized[i]))
                    signal[k] += f * f
                    noise[k] += (f - q) * (f - q)
                }
            }
            let floatEmbedding = EmbeddingExtractor.normalized(output.array)
            let int8Embedding = Array(interpreter.embedding)
            var dot = 0.0
            for i in 0..<floatEmbedding.count { dot += Double(floatEmbedding[i]) * Double(int8Embedding[i]) }
            report.cosines.append(dot)
            floatEmbeddings.append(floatEmbedding)
            int8Embeddings.append(int8Embedding)
        }
        report.layerSQNR = plan.nodes.enumerated().map { k, node in
            (node.name, noise[k] > 0 ? 10 * log10(signal[k] / noise[k]) : .infinity)
        }
        return (report, floatEmbeddings, int8Embeddings)
    }

    /// The layer table and the embedding cosines, for a terminal.
    public var text: String {
        var lines = ["layer SQNR (int8 vs float, dB):"]
        for (name, db) in layerSQNR { lines.append(String(format: "  %-32@ %6.1f", name as NSString, db)) }
        lines.append(String(format: "embedding cosine float/int8: mean %.4f, min %.4f over %d images", meanCosine, minimumCosine, cosines.count))
        return lines.joined(separator: "\n")
    }
}
