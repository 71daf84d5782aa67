// FFEMQuant — Calibrator.swift: activation ranges from the float network run over calibration crops.
import FFEMRuntime
import FFEMTrain

/// Runs the float network (inference mode: BN running statistics, equal to the folded graph) over
/// calibration batches and records every folded tensor's distribution (two passes: extremes, then
/// histograms), from which an `Observer` picks the clipping ranges.
public struct Calibrator {
    public let network: Network
    public let graph: FoldedGraph
    public private(set) var histograms: [ValueHistogram]

    public init(network: Network, graph: FoldedGraph) {
        self.network = network
        self.graph = graph
        histograms = graph.nodes.map { _ in ValueHistogram() }
    }

    /// Pass 1 (`histogramPass` false) records extremes, pass 2 the histograms; call both over the same batches.
    public mutating func observe(batch input: FloatBuffer, count: Int, histogramPass: Bool) {
        network.forward(input, batch: count, isTraining: false)
        for (k, node) in graph.nodes.enumerated() {
            let buffer = network.activations[node.floatNode]
            let values = UnsafeBufferPointer(start: buffer.pointer, count: count * network.shapes[node.floatNode].count)
            if histogramPass { histograms[k].observeHistogram(values) } else { histograms[k].observeRange(values) }
        }
    }

    /// The int8 encoding of every folded tensor under `observer`.
    public func quantizations(_ observer: Observer) -> [ActivationQuantization] {
        histograms.map { histogram in
            let (lo, hi) = histogram.range(observer)
            return ActivationQuantization(lower: lo, upper: hi)
        }
    }
}
