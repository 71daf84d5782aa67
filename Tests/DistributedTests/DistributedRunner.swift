// Runs ffem-train as a user runs it: under `mpirun -np N` (loopback, shared memory) or plainly.
import Foundation

struct RunResult {
    var status: Int32
    var output: String
    var seconds: Double
}

enum DistributedRunner {
    /// The folder holding the built products: the test bundle sits beside them.
    static var products: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }
    static var trainTool: String { products.appendingPathComponent("ffem-train").path }

    /// `mpirun` on PATH, or nil (the suite is then skipped).
    static let mpirun: String? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/mpirun"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// The suite runs with FFEM_MPI_TESTS=1 where mpirun exists: `make mpi-test` (part of `make
    /// test`) runs it on its own, so that timing-bound checks do not share the cores with the
    /// parallel `swift test` of every other suite.
    static var isEnabled: Bool { mpirun != nil && ProcessInfo.processInfo.environment["FFEM_MPI_TESTS"] == "1" }

    /// Open MPI settings for a container: shared-memory and self transports only, no CMA
    /// single-copy (ptrace is usually not allowed), root allowed, more ranks than cores allowed.
    static func mpiArguments(ranks: Int) -> [String] {
        ["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,vader", "--mca", "btl_vader_single_copy_mechanism", "none",
         "-np", "\(ranks)"]
    }

    /// Starts ffem-train with `arguments` under mpirun with `ranks` ranks (ranks nil: a plain process).
    static func start(ranks: Int?, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        if let ranks {
            process.executableURL = URL(fileURLWithPath: mpirun!)
            process.arguments = mpiArguments(ranks: ranks) + [trainTool] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: trainTool)
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return (process, pipe)
    }

    static func run(ranks: Int?, _ arguments: [String]) throws -> RunResult {
        let start = Date()
        let (process, pipe) = try Self.start(ranks: ranks, arguments)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }
}

/// Two small networks for 16×16 crops as ModelSpec JSON (`--arch FILE.json`): without batch
/// normalisation (the equality tests: with per-rank BN, N × B/N is a different model from 1 × B)
/// and with it.
enum TinySpecs {
    static let withoutBatchNormalization = """
    {"input": {"channels": 3, "height": 16, "width": 16}, "name": "tiny-nobn", "nodes": [
    {"inputs": [-1], "name": "stem.conv", "operation": {"convolution": {"hasBias": true, "kernel": 3, "outputChannels": 8, "padding": "same", "stride": 2}}},
    {"inputs": [0], "name": "stem.act", "operation": {"prelu": {}}},
    {"inputs": [1], "name": "dw.dw", "operation": {"depthwiseConvolution": {"hasBias": true, "kernel": 3, "padding": "same", "stride": 1}}},
    {"inputs": [2], "name": "dw.act", "operation": {"prelu": {}}},
    {"inputs": [3], "name": "expand.conv", "operation": {"convolution": {"hasBias": true, "kernel": 1, "outputChannels": 16, "padding": "same", "stride": 1}}},
    {"inputs": [4], "name": "expand.act", "operation": {"prelu": {}}},
    {"inputs": [5], "name": "gdc.dw", "operation": {"depthwiseConvolution": {"hasBias": true, "kernel": 8, "padding": "valid", "stride": 1}}},
    {"inputs": [6], "name": "flatten", "operation": {"flatten": {}}},
    {"inputs": [7], "name": "embedding", "operation": {"dense": {"hasBias": true, "outputs": 8}}}]}
    """

    static let withBatchNormalization = """
    {"input": {"channels": 3, "height": 16, "width": 16}, "name": "tiny-bn", "nodes": [
    {"inputs": [-1], "name": "stem.conv", "operation": {"convolution": {"hasBias": false, "kernel": 3, "outputChannels": 8, "padding": "same", "stride": 2}}},
    {"inputs": [0], "name": "stem.bn", "operation": {"batchNormalization": {"epsilon": 1e-05, "momentum": 0.99}}},
    {"inputs": [1], "name": "stem.act", "operation": {"prelu": {}}},
    {"inputs": [2], "name": "gdc.dw", "operation": {"depthwiseConvolution": {"hasBias": false, "kernel": 8, "padding": "valid", "stride": 1}}},
    {"inputs": [3], "name": "gdc.bn", "operation": {"batchNormalization": {"epsilon": 1e-05, "momentum": 0.99}}},
    {"inputs": [4], "name": "flatten", "operation": {"flatten": {}}},
    {"inputs": [5], "name": "embedding", "operation": {"dense": {"hasBias": true, "outputs": 8}}}]}
    """
}
