// ffem-bench — ModelCommand.swift: `ffem-bench model`, whole-network latency of an int8 .ffq model.
import CFFEMBenchSupport
import CFFEMKernels
import FFEMCLI
import FFEMCore
import FFEMRuntime

let modelCommand = CommandSpec(
    name: "model",
    abstract: "Time whole int8 inferences of a .ffq model through the runtime (batch 1): median ms and the ISA.",
    discussion: """
        Loads the model with `Interpreter(contentsOf:options:)` (the kernel table filled for --isa, or
        for this CPU restricted by FFEM_ISA), feeds one fixed crop of seeded random pixels, runs
        --warmup untimed inferences, then times --runs inferences one by one (monotonic clock) and
        prints the median, minimum, 10th/90th percentiles and mean in milliseconds, the widest ISA in
        the kernel table and the kernels the ops call. The last line is machine-readable:
        `median_ms=… isa=… threads=… runs=…`.
        """,
    options: [
        .option("model", "FILE", help: "The .ffq model.", required: true),
        .option("threads", "N", help: "Threads per inference, caller included.", default: "1"),
        .option("runs", "N", help: "Timed inferences.", default: "200"),
        .option("warmup", "N", help: "Untimed inferences first.", default: "20"),
        .option("isa", "LIST", help: "Comma-separated ISAs the kernel table may use (default: this CPU's)."),
        .flag("fused", help: "Fuse convolution + PReLU pairs where the kernel table has fused kernels (InterpreterOptions.fusesOperations)."),
    ],
    examples: ["ffem-bench model --model out/phase1b/model.ffq --threads 1 --runs 500"])

func runModel(_ arguments: ParsedArguments) throws(CommandError) {
    let path = try arguments.requiredString("model")
    let threads = try arguments.int("threads", in: 1...256) ?? 1
    let runs = try arguments.int("runs", in: 1...10_000_000) ?? 200
    let warmup = try arguments.int("warmup", in: 0...10_000_000) ?? 20
    var isaMask: UInt32? = nil
    if let list = arguments.string("isa") {
        var flags: UInt32 = 0
        let mask = ffem_isa_mask_parse(list, ffem_cpu_features(), &flags)
        if flags & UInt32(FFEM_ISA_PARSE_UNKNOWN_NAME) != 0 { throw .usage("--isa: unknown ISA name in '\(list)'") }
        if flags & UInt32(FFEM_ISA_PARSE_UNAVAILABLE) != 0 { Process.printError("warning: --isa names an ISA this CPU lacks; skipped") }
        isaMask = mask | UInt32(FFEM_ISA_SCALAR)
    }

    let interpreter: Interpreter
    do {
        interpreter = try Interpreter(contentsOf: path, options: InterpreterOptions(isaMask: isaMask, threads: threads,
                                                                                     fusesOperations: arguments.flag("fused")))
    } catch {
        throw .dataError("\(path): \(error)")
    }
    var random = SeededRandom(seed: 1)
    let pixels = (0..<interpreter.inputCount).map { _ in UInt8.random(in: 0...255, using: &random) }

    var nanoseconds = [UInt64](repeating: 0, count: runs)
    pixels.withUnsafeBufferPointer { input in
        for _ in 0..<warmup { interpreter.invoke(pixels: input) }
        for run in 0..<runs {
            let start = ffem_bench_now_ns()
            interpreter.invoke(pixels: input)
            nanoseconds[run] = ffem_bench_now_ns() - start
        }
    }
    ffem_bench_consume(interpreter.embedding.baseAddress)

    let sorted = nanoseconds.sorted().map { Double($0) / 1e6 }
    let median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2
    let mean = sorted.reduce(0, +) / Double(runs)
    let isa = widestISA(interpreter.isaMask)
    var kernels: [String] = []
    for name in interpreter.kernelNames where !kernels.contains(name) { kernels.append(name) }
    print("model: \(path) (\(interpreter.kernelNames.count) ops, input \(interpreter.inputCount) bytes, arena \(interpreter.plan.arenaBytes) bytes)")
    print("kernel table: \(isa) (mask 0x\(String(interpreter.isaMask, radix: 16))), threads \(interpreter.threads)")
    print("kernels: \(kernels.joined(separator: ", "))")
    print("\(runs) runs after \(warmup) warm-up: median \(fixed(median, 3)) ms, min \(fixed(sorted[0], 3)), p10 \(fixed(sorted[runs / 10], 3)), p90 \(fixed(sorted[(runs * 9) / 10], 3)), mean \(fixed(mean, 3))")
    print("median_ms=\(fixed(median, 4)) isa=\(isa) threads=\(interpreter.threads) runs=\(runs)")
}

/// The name of the highest ISA bit of `mask` (the kernel table's widest instruction set).
private func widestISA(_ mask: UInt32) -> String {
    for bit in (0..<32).reversed() where mask & (UInt32(1) << UInt32(bit)) != 0 {
        return String(cString: ffem_isa_name(UInt32(1) << UInt32(bit)))
    }
    return "none"
}
