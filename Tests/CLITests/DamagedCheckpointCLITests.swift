import FFEMCore
import Foundation
import Testing

/// A damaged checkpoint is bad input data: exit 65 with the file and the reason, never a crash.
@Suite struct DamagedCheckpointCLITests {
    static let truncated: [UInt8] = {
        var bytes = [UInt8](repeating: 0x20, count: 64)
        let length: UInt64 = 5000  // the header claims more than the file holds
        for k in 0..<8 { bytes[k] = UInt8((length >> (8 * UInt64(k))) & 0xFF) }
        return bytes
    }()

    @Test func trainerRefusesToResumeFromATruncatedCheckpoint() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileIO.makeDirectories(root + "/run")
        try FileIO.writeAtomically(DamagedCheckpointCLITests.truncated, to: root + "/run/last.safetensors")
        let result = try ToolRunner.run("ffem-train", ["--train-file", root + "/list.json", "--img-root-path", root, "--num-identity", "2",
                                                       "--batch-size", "1", "--input-size", "16", "--epochs", "1", "--output-dir", root + "/run", "--resume"])
        #expect(result.status == 65)
        #expect(result.standardError.contains("last.safetensors: header length 5000 exceeds the file"))
    }

    @Test func quantizerRefusesATruncatedCheckpoint() throws {
        let root = try FFEMDataCLITests.makeDataset()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileIO.writeAtomically(DamagedCheckpointCLITests.truncated, to: root + "/model.safetensors")
        try FileIO.writeAtomically("a/1.jpg\n", to: root + "/manifest.txt")
        try FileIO.writeAtomically("{\"image_list\": \"\(root)/list.json\", \"img_root_path\": \"\(root)\", \"manifest\": \"\(root)/manifest.txt\"}",
                                   to: root + "/calibration.json")
        let result = try ToolRunner.run("ffem-quantize", ["--model", root + "/model.safetensors", "--calib", root + "/calibration.json",
                                                          "--output", root + "/model.ffq"])
        #expect(result.status == 65)
        #expect(result.standardError.contains("model.safetensors: header length 5000 exceeds the file"))
        #expect(!FileManager.default.fileExists(atPath: root + "/model.ffq"))
    }
}
