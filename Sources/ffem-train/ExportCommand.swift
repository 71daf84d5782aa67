// ffem-train — ExportCommand.swift: `ffem-train export-onnx`, a float network as an ONNX file, plus
// optional reference inputs and embeddings so another engine's output can be compared with ours.
import COpenBLAS
import FFEMCLI
import FFEMCore
import FFEMTrain

let exportCommand = CommandSpec(
    name: "export-onnx",
    abstract: "Export a float network (inference mode) to ONNX: input \"input\" NCHW [N,3,H,W], output \"embedding\" [N,D].",
    discussion: """
        The weights come from --checkpoint, or with --random-init from --seed for --arch (or --spec). --bn-warmup runs that many \
        training-mode forward passes on random input first (batch max(2, --reference-count), BN momentum 0.5 during \
        the warm-up only), so the exported running statistics are far from their initial 0 and 1. \
        --reference-count N also writes MODEL.inputs.f32 (N×H×W×3 NHWC float32 little-endian, uniform in [-1, 1)) \
        and MODEL.outputs.f32 (our inference-mode embeddings, N×D float32 little-endian); transpose the inputs \
        with (0, 3, 1, 2) before feeding them to the ONNX model.
        """,
    options: [
        .option("checkpoint", "FILE", help: "A safetensors checkpoint written by ffem-train (architecture from its metadata)."),
        .flag("random-init", help: "Seeded random weights for --arch instead of a checkpoint."),
        .option("arch", "NAME", help: "Architecture for --random-init: mobilefacenet, iresnet18, iresnet50, mobilenetv2.", default: "mobilefacenet"),
        .option("spec", "FILE.json", help: "A ModelSpec JSON for --random-init instead of --arch (e.g. Tests/Fixtures/onnx/all-operations.json)."),
        .option("embedding-dim", "N", help: "Embedding size for --random-init (default: the architecture's)."),
        .option("input-size", "N", help: "Input side in pixels for --random-init.", default: "112"),
        .option("seed", "N", help: "Seed of the random weights and inputs.", default: "1"),
        .option("bn-warmup", "N", help: "Training-mode forward passes before the export (random-init only).", default: "0"),
        .option("reference-count", "N", help: "Random inputs to write with our embeddings beside the model (0: none).", default: "0"),
        .option("output", "MODEL.onnx", help: "Where the ONNX model goes.", required: true),
        .option("threads", "N", help: "Threads for BLAS and parallel loops.", default: "2"),
    ],
    examples: [
        "ffem-train export-onnx --checkpoint out/phase1/best.safetensors --output out/phase1/model.onnx",
        "ffem-train export-onnx --arch iresnet18 --random-init --bn-warmup 2 --reference-count 4 --output /tmp/iresnet18.onnx",
    ])

func runExport(_ arguments: ParsedArguments) throws(CommandError) {
    let threads = try arguments.int("threads", in: 1...256) ?? 2
    let seed = UInt64(try arguments.int("seed", in: 0...Int.max) ?? 1)
    let warmups = try arguments.int("bn-warmup", in: 0...1000) ?? 0
    let referenceCount = try arguments.int("reference-count", in: 0...4096) ?? 0
    let output = try arguments.requiredString("output")
    openblas_set_num_threads(Int32(threads))
    let network: Network
    switch (arguments.string("checkpoint"), arguments.flag("random-init")) {
    case let (path?, false):
        guard warmups == 0 else { throw CommandError.usage("--bn-warmup only applies to --random-init") }
        network = try ExportSteps.loadCheckpointNetwork(path, threads: threads)
    case (nil, true):
        network = try ExportSteps.randomNetwork(arguments, seed: seed, warmups: warmups, warmupBatch: max(2, referenceCount), threads: threads)
    default:
        throw CommandError.usage("give exactly one of --checkpoint FILE and --random-init")
    }
    do {
        let bytes = try ONNXExport.serialized(network)
        try FileIO.makeDirectories(FileIO.directory(of: output))
        try FileIO.writeAtomically(bytes, to: output)
        print("exported \(network.spec.name) (\(network.parameterCount) parameters, embedding \(network.outputShape.count)) to \(output), \(bytes.count) bytes")
        if referenceCount > 0 {
            let inputs = ExportSteps.randomInputs(count: referenceCount, shape: network.spec.input, seed: seed, stream: 1)
            let embeddings = network.forward(FloatBuffer(inputs), batch: referenceCount, isTraining: false).array
            try FileIO.writeAtomically(ExportSteps.littleEndianBytes(inputs), to: output + ".inputs.f32")
            try FileIO.writeAtomically(ExportSteps.littleEndianBytes(embeddings), to: output + ".outputs.f32")
            print("reference: \(referenceCount) inputs NHWC \(network.spec.input) → \(output).inputs.f32, embeddings \(referenceCount)x\(network.outputShape.count) → \(output).outputs.f32")
        }
    } catch let error as ModelError {
        throw CommandError.failure(error.description)
    } catch {
        throw CommandError.failure("\(error)")
    }
}

/// The steps of `export-onnx`, namespaced so they cannot clash with other commands' helpers.
enum ExportSteps {
    /// The network stored in a checkpoint, with its weights and BN statistics.
    static func loadCheckpointNetwork(_ path: String, threads: Int) throws(CommandError) -> Network {
        do {
            let file = try Checkpoint.read(path)
            let network = try Network(spec: try Checkpoint.architecture(of: file, path: path), seed: 0, threads: threads)
            try Checkpoint.restore(network.parameters + network.buffers, from: file, path: path)
            return network
        } catch {
            throw CommandError.dataError("\(error)")
        }
    }

    /// `--spec` or `--arch` with weights from `seed`, after `warmups` training-mode passes. The passes
    /// run on a twin network whose BN momentum is 0.5 (the same seed gives the same weights), so two
    /// passes move the running statistics most of the way to the batch statistics; the twin's
    /// parameters and buffers are then copied into a network of the architecture as specified.
    static func randomNetwork(_ arguments: ParsedArguments, seed: UInt64, warmups: Int, warmupBatch: Int, threads: Int) throws(CommandError) -> Network {
        let spec = try chosenSpec(arguments)
        do {
            let network = try Network(spec: spec, seed: seed, threads: threads)
            guard warmups > 0 else { return network }
            var warmupSpec = spec
            for k in warmupSpec.nodes.indices {
                if case let .batchNormalization(epsilon, _) = warmupSpec.nodes[k].operation {
                    warmupSpec.nodes[k].operation = .batchNormalization(epsilon: epsilon, momentum: 0.5)
                }
            }
            let twin = try Network(spec: warmupSpec, seed: seed, threads: threads)
            for pass in 0..<warmups {
                let inputs = randomInputs(count: warmupBatch, shape: spec.input, seed: seed, stream: UInt64(2 + pass))
                twin.forward(FloatBuffer(inputs), batch: warmupBatch, isTraining: true)
            }
            for (target, source) in zip(network.parameters + network.buffers, twin.parameters + twin.buffers) {
                precondition(target.name == source.name && target.count == source.count)
                target.value.copy(from: source.value.array)
            }
            return network
        } catch {
            throw CommandError.failure("\(error)")
        }
    }

    /// The ModelSpec of `--spec FILE.json`, or else the architecture `--arch` at `--input-size`.
    static func chosenSpec(_ arguments: ParsedArguments) throws(CommandError) -> ModelSpec {
        if let path = arguments.string("spec") {
            guard !arguments.isGiven("arch") else { throw CommandError.usage("give --spec or --arch, not both") }
            do {
                return try ModelSpec.fromJSON(String(decoding: try FileIO.read(path), as: UTF8.self))
            } catch {
                throw CommandError.dataError("--spec \(path): \(error)")
            }
        }
        let name = arguments.string("arch") ?? "mobilefacenet"
        let embeddingSize = try arguments.int("embedding-dim", in: 1...65536)
        let inputSize = try arguments.int("input-size", in: 8...4096) ?? 112
        guard let spec = Architectures.named(name, embeddingSize: embeddingSize, inputSize: inputSize) else {
            throw CommandError.usage("--arch '\(name)' is not one of \(Architectures.names.joined(separator: ", "))")
        }
        return spec
    }

    /// `count` samples of `shape` (NHWC), uniform in [−1, 1) like (p − 128)/128 pixels.
    static func randomInputs(count: Int, shape: Shape, seed: UInt64, stream: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed, stream: stream)
        return (0..<(count * shape.count)).map { _ in random.nextFloat(in: -1, 1) }
    }

    /// float32 values as little-endian bytes.
    static func littleEndianBytes(_ values: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = value.bitPattern
            for shift in [0, 8, 16, 24] as [UInt32] { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
        }
        return bytes
    }
}
