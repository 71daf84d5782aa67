import FFEMCore
import FFEMData
import FFEMImage
import FFEMRuntime
import FFEMTestSupport
import Foundation
import Testing
@testable import FFEMQuant
@testable import FFEMTrain

/// Checkpoint-free PTQ flow on a small MobileFaceNet-shaped network and synthetic face crops.
@Suite(.serialized) struct EndToEndQuantizationTests {
    static func network() throws -> Network {
        var b = ModelBuilder(name: "tiny", input: Shape(16, 16, 3))
        b.convolutionBlock("stem", kernel: 3, stride: 2, outputChannels: 8, activation: .prelu, from: -1)
        b.invertedResidual("block", inputChannels: 8, expansion: 2, outputChannels: 8, stride: 1, activation: .prelu)
        b.depthwiseBlock("gdc", kernel: 8, stride: 1, activation: nil, padding: .valid)
        b.convolutionBlock("embedding", kernel: 1, stride: 1, outputChannels: 8, activation: nil)
        let network = try Network(spec: b.build(), seed: 12)
        // Non-trivial BN statistics: a few training-mode passes on random inputs.
        var random = SeededRandom(seed: 13)
        let input = FloatBuffer((0..<(8 * 16 * 16 * 3)).map { _ in random.nextFloat(in: -1, 1) })
        network.recalibrateBatchNormalization([(input, 8)])
        return network
    }

    static func calibration(_ fixture: DatasetFixture) throws -> CalibrationSet {
        let dataset = try Dataset.load(listFile: fixture.listPath, imageRoot: fixture.root)
        var configuration = try JSONDecoder().decode(CalibrationConfiguration.self, from: Data("""
            {"image_list": "\(fixture.listPath)", "img_root_path": "\(fixture.root)", "manifest": "-", "batch_size": 4}
            """.utf8))
        configuration.observer = "minmax"
        return CalibrationSet(configuration: configuration, dataset: dataset, indices: Array(dataset.entries.indices))
    }

    /// The tiny network quantized with min/max ranges on the fixture's 16×16 crops.
    struct TinyQuantization {
        var network: Network
        var calibration: CalibrationSet
        var crops: CropSource
        var graph: FoldedGraph
        var plan: QuantizedPlan
    }

    static func tinyQuantization(_ fixture: DatasetFixture) throws -> TinyQuantization {
        let network = try network()
        let calibration = try calibration(fixture)
        let crops = CropSource(store: FolderStore(dataset: calibration.dataset), side: 16, policy: .identity)
        let (graph, plan) = try Quantizer.plan(network: network, crops: crops, calibration: calibration, observer: .minMax)
        return TinyQuantization(network: network, calibration: calibration, crops: crops, graph: graph, plan: plan)
    }

    @Test func int8EmbeddingsStayCloseToFloatAndTheModelIsReproducible() throws {
        let fixture = try DatasetFixture.make(identities: 3, perIdentity: 4)
        defer { fixture.remove() }
        let tiny = try EndToEndQuantizationTests.tinyQuantization(fixture)
        let (network, calibration, crops, graph, plan) = (tiny.network, tiny.calibration, tiny.crops, tiny.graph, tiny.plan)
        let model = try plan.model(metadata: ModelMetadata(inputSize: 16))
        let interpreter = try Interpreter(model: model)
        let (report, _, _) = try QuantizationReport.measure(network: network, graph: graph, plan: plan, interpreter: interpreter,
                                                             crops: crops, indices: calibration.indices)
        #expect(report.minimumCosine > 0.98, "min cosine \(report.minimumCosine)")
        #expect(report.layerSQNR.allSatisfy { $0.decibels > 15 }, "\(report.layerSQNR)")
        // Every weight symmetric within ±127, every zero point in range (the runtime validated it on append).
        let bytes = try FFQWriter.serialize(model)
        let again = try FFQWriter.serialize(try Quantizer.plan(network: network, crops: crops, calibration: calibration, observer: .minMax).1
            .model(metadata: ModelMetadata(inputSize: 16)))
        #expect(bytes == again, "quantizing twice must give the same bytes")
        let reread = try FFQReader.read(bytes)
        #expect(try FFQWriter.serialize(reread) == bytes)
    }
}
