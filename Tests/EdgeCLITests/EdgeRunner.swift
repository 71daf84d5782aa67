// EdgeCLITests — EdgeRunner.swift: runs the built ffem-edge with arguments and optional stdin, capturing everything.
import Foundation

struct EdgeResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// stdout split into lines, each parsed as a JSON object.
    var jsonLines: [[String: Any]] {
        standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

enum EdgeRunner {
    /// The built ffem-edge: the test bundle sits beside the products.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ffem-edge")
    }

    /// The committed tiny int8 model (16×16 crop, 8-dimensional embedding).
    static var tinyModel: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/golden/tiny-model.ffq").path
    }

    static func run(_ arguments: [String], input: Data? = nil) throws -> EdgeResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // stderr goes to a file, so a tool writing much to both streams can never block on a full pipe.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("ffem-edge-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errFile = try FileHandle(forWritingTo: errURL)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = errFile
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try inPipe.fileHandleForWriting.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errFile.close()
        let errData = try Data(contentsOf: errURL)
        return EdgeResult(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                          standardError: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh scratch folder.
    static func scratch(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ffem-edge-tests-\(UUID().uuidString)-\(name)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `count` pseudo-random YUYV frames of width×height, back to back.
    static func yuyvFrames(width: Int, height: Int, count: Int, seed: UInt32 = 7) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: width * height * 2 * count)
        for i in bytes.indices {
            state = state &* 1664525 &+ 1013904223
            bytes[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return Data(bytes)
    }
}
