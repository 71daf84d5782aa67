import FFEMCore
import FFEMData
import FFEMRuntime
import FFEMTestSupport
import Foundation
import Testing
@testable import FFEMQuant
@testable import FFEMTrain

/// Golden replay (tinygrad's process replay): a fixed tiny model and eight calibration images must
/// quantize to exactly the committed `.ffq` bytes. Any change to folding, calibration, observers,
/// rounding or the file format shows up here. Regenerating the golden file is an explicit, reviewed
/// step: `FFEM_REGENERATE_GOLDEN=1 OPENBLAS_CORETYPE=Haswell swift test --filter GoldenModelTests`, then
/// commit the file. The calibration's float sums depend on the BLAS kernel, so the bytes are those of
/// OpenBLAS's Haswell kernels (`make swift-test` sets OPENBLAS_CORETYPE=Haswell; SkylakeX's differ).
@Suite(.serialized) struct GoldenModelTests {
    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/golden/tiny-model.ffq").path

    @Test func tinyModelAndEightImagesGiveTheGoldenBytes() throws {
        let fixture = try DatasetFixture.make(identities: 2, perIdentity: 4)
        defer { fixture.remove() }
        let network = try EndToEndQuantizationTests.network()
        let calibration = try EndToEndQuantizationTests.calibration(fixture)
        #expect(calibration.indices.count == 8)
        let crops = CropSource(store: FolderStore(dataset: calibration.dataset), side: 16, policy: .identity)
        for observer in [Observer.percentile(99.99)] {
            let (_, plan) = try Quantizer.plan(network: network, crops: crops, calibration: calibration, observer: observer)
            let bytes = try FFQWriter.serialize(try plan.model(metadata: ModelMetadata(inputSize: 16)))
            if ProcessInfo.processInfo.environment["FFEM_REGENERATE_GOLDEN"] == "1" {
                try FileIO.makeDirectories(FileIO.directory(of: GoldenModelTests.goldenPath))
                try FileIO.writeAtomically(bytes, to: GoldenModelTests.goldenPath)
            }
            let golden = try FileIO.read(GoldenModelTests.goldenPath)
            let firstDifference = Array(zip(bytes, golden)).firstIndex { $0 != $1 } ?? min(bytes.count, golden.count)
            let differing = zip(bytes, golden).filter { $0 != $1 }.count + abs(bytes.count - golden.count)
            #expect(bytes.count == golden.count && differing == 0,
                    "the quantized tiny model differs from \(GoldenModelTests.goldenPath): \(bytes.count) vs \(golden.count) bytes, \(differing) differ, the first at offset \(firstDifference) (OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset"); the golden bytes are Haswell's)")
        }
    }
}
