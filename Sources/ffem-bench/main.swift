// ffem-bench — kernel benchmarks on real MobileFaceNet layer shapes (STYLE.md "Benchmarks").
import CFFEMBenchSupport
import CFFEMKernels
import FFEMCLI
import FFEMCore

let kernelsCommand = CommandSpec(
    name: "kernels",
    abstract: "Time every int8 kernel on the layer shapes of a shapes file, per ISA, single thread.",
    discussion: """
        For each ISA of this CPU (or --isa), fills the kernel table with that ISA plus the scalar
        fallbacks and times every layer: the best per-call time over batches lasting --min-time-ms.
        Prints ns, GOP/s (2 ops per int8 multiply-add), the fraction of the ISA's measured MAC peak
        (clock from a dependent-add chain × MACs/cycle of the ISA's widest MAC instruction), for
        AVX-512 VNNI also of the nominal 64 MACs/cycle, and for memory-bound ops the fraction of
        the memcpy bandwidth bound (main memory and L2).
        """,
    options: [
        .option("shapes", "FILE", help: "Layer shapes file.", default: "Benchmarks/shapes/mobilefacenet.txt"),
        .option("isa", "LIST", help: "Comma-separated ISAs to time (scalar, sse41, avx2, avx512vnni, neon, neondot)."),
        .option("min-time-ms", "MS", help: "Timing per layer and ISA, in milliseconds.", default: "40"),
        .option("layer", "NAME", help: "Only layers whose name starts with NAME."),
    ],
    examples: ["swift run -c release ffem-bench kernels", "ffem-bench kernels --isa avx512vnni --layer b1"])

let rootCommand = CommandSpec(name: "ffem-bench", abstract: "FFEM benchmarks.", subcommands: [kernelsCommand, modelCommand, cropsCommand])

CommandRunner.main(root: rootCommand, arguments: Array(CommandLine.arguments.dropFirst())) { (arguments: ParsedArguments) throws(CommandError) in
    switch arguments.commandPath.last {
    case "kernels": try runKernels(arguments)
    case "model": try runModel(arguments)
    case "crops": try runCrops(arguments)
    default: throw CommandError.usage("unknown subcommand")
    }
}

func runKernels(_ arguments: ParsedArguments) throws(CommandError) {
    let path = arguments.string("shapes") ?? "Benchmarks/shapes/mobilefacenet.txt"
    let bytes: [UInt8]
    do { bytes = try FileIO.read(path) } catch { throw .dataError("\(path): \(error.description)") }
    var layers = try LayerShape.parse(String(decoding: bytes, as: UTF8.self))
    if let prefix = arguments.string("layer") { layers = layers.filter { $0.name.hasPrefix(prefix) } }
    let minimumNanoseconds = UInt64(try arguments.int("min-time-ms", in: 1...100_000) ?? 40) * 1_000_000

    var flags: UInt32 = 0
    let mask = ffem_isa_mask_parse(arguments.string("isa"), ffem_cpu_features(), &flags)
    if flags & UInt32(FFEM_ISA_PARSE_UNKNOWN_NAME) != 0 { throw .usage("--isa: unknown ISA name in '\(arguments.string("isa") ?? "")'") }
    if flags & UInt32(FFEM_ISA_PARSE_UNAVAILABLE) != 0 { Process.printError("warning: --isa names an ISA this CPU lacks; skipped") }
    var isas = (0..<32).map { UInt32(1) << UInt32($0) }.filter { mask & $0 != 0 }
    if arguments.isGiven("isa"), arguments.string("isa")?.contains("scalar") == false {
        isas.removeAll { $0 == UInt32(FFEM_ISA_SCALAR) }
    }

    let machine = MachineProfile.measure(isas: isas)
    printMachine(machine, isas: isas)
    print("| layer | op | ISA | kernel | ns | GOP/s | % ISA peak | % 64 MAC/cyc | % DRAM bound | % L2 bound |")
    print("|---|---|---|---|--:|--:|--:|--:|--:|--:|")
    for isa in isas {
        var table = ffem_kernel_table()
        ffem_kernel_table_fill(&table, isa | UInt32(FFEM_ISA_SCALAR))
        var networkNanoseconds = 0.0
        for (index, layer) in layers.enumerated() {
            let kernelCase = try KernelCase.make(layer, table: table, seed: UInt64(index))
            let ns = Timer.bestNanoseconds(minimumNanoseconds: minimumNanoseconds, kernelCase.run)
            networkNanoseconds += ns * Double(layer.count)
            print(row(layer: layer, isa: isa, kernelCase: kernelCase, ns: ns, machine: machine))
        }
        print("| **network total** | Σ count × ns | \(String(cString: ffem_isa_name(isa))) | (this ISA + scalar fallbacks) | \(fixed(networkNanoseconds, 0)) | | | | | |")
    }
}

func printMachine(_ machine: MachineProfile, isas: [UInt32]) {
    print("clock under load: \(fixed(machine.clockHz / 1e9, 3)) GHz (dependent 64-bit add chain, 1 add/cycle)")
    for isa in isas {
        print("peak \(String(cString: ffem_isa_name(isa))): \(fixed(machine.macsPerCycle[isa] ?? 0, 2)) int8 MACs/cycle measured → \(fixed(machine.peakOps(isa) / 1e9, 1)) GOP/s")
    }
    if isas.contains(UInt32(FFEM_ISA_AVX512VNNI)) {
        print("nominal avx512vnni (issue: one 512-bit vpdpbusd/cycle): 64 MACs/cycle → \(fixed(2 * 64 * machine.clockHz / 1e9, 1)) GOP/s")
    }
    print("memcpy bandwidth (read+write): DRAM \(fixed(machine.memoryBandwidth / 1e9, 1)) GB/s (2×64 MiB), L2 \(fixed(machine.cacheBandwidth / 1e9, 1)) GB/s (2×512 KiB)")
    print("")
}

func row(layer: LayerShape, isa: UInt32, kernelCase: KernelCase, ns: Double, machine: MachineProfile) -> String {
    let seconds = ns * 1e-9
    let ops = 2 * kernelCase.macs
    let gops = ops > 0 ? fixed(ops / seconds / 1e9, 1) : "-"
    let peak = machine.peakOps(kernelCase.isa)
    let percentPeak = ops > 0 && peak > 0 ? fixed(100 * ops / seconds / peak, 1) : "-"
    let nominal = ops > 0 && kernelCase.isa == UInt32(FFEM_ISA_AVX512VNNI)
        ? fixed(100 * ops / seconds / (2 * MachineProfile.nominalVNNIMacsPerCycle * machine.clockHz), 1) : "-"
    let isMemoryBound = layer.op != "gemm" && layer.op != "fc" && layer.op != "conv3x3"
    let dram = isMemoryBound ? fixed(100 * kernelCase.bytes / machine.memoryBandwidth / seconds, 1) : "-"
    let l2 = isMemoryBound ? fixed(100 * kernelCase.bytes / machine.cacheBandwidth / seconds, 1) : "-"
    let shape = layer.values.filter { $0.key != "count" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    return "| \(layer.name) ×\(layer.count) | \(layer.op) \(shape) | \(String(cString: ffem_isa_name(isa))) | \(kernelCase.kernelName) | \(fixed(ns, 0)) | \(gops) | \(percentPeak) | \(nominal) | \(dram) | \(l2) |"
}
