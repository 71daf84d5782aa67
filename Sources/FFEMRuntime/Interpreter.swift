// FFEMRuntime — Interpreter.swift: runs a QuantizedModel with the kernel table, inside one planned arena.
import CFFEMKernels

/// How an interpreter runs.
public struct InterpreterOptions: Equatable, Sendable {
    /// FFEM_ISA_* bits the kernel table may use (intersected with the CPU's); nil = the CPU's,
    /// restricted by the FFEM_ISA environment variable (`ffem_isa_mask_from_environment`).
    public var isaMask: UInt32?
    /// Threads per invocation, caller included (≥ 1). With more than 1, a pthread pool
    /// (`ffem_parallel.h`; Embedded Swift has no Dispatch) is created at load and the large ops are
    /// split into row bands / slices (`StepPartition`); the bytes computed are identical for every
    /// thread count. `Interpreter.threads` reports the threads actually running (1 if the pool
    /// could not be created).
    public var threads: Int
    /// The largest `threads` accepted.
    public static let maximumThreads = 64
    /// Keep every tensor readable after `invoke` (`Interpreter.tensorBytes`): the arena then holds
    /// all tensors side by side instead of reusing memory. For per-layer diagnostics, not for
    /// deployment.
    public var preservesAllTensors: Bool
    /// Run a convolution and the PReLU that alone reads its output as one fused kernel when the
    /// kernel table has one (`gemm_prelu`, `dwconv3x3_prelu`; AVX-512 VNNI here). The bytes are
    /// those of the two ops in sequence (tested); only the intermediate tensor is never written,
    /// so `preservesAllTensors` turns fusion off. Off by default: on the x86 host measured
    /// (docs/RUNTIME.md), the fused kernels are slower than the two kernels in turn, because the
    /// PReLU's arithmetic, not the memory pass, is the cost, and the fused loops run out of registers.
    public var fusesOperations: Bool

    public init(isaMask: UInt32? = nil, threads: Int = 1, preservesAllTensors: Bool = false, fusesOperations: Bool = false) {
        self.isaMask = isaMask
        self.threads = threads
        self.preservesAllTensors = preservesAllTensors
        self.fusesOperations = fusesOperations
    }
}

/// The int8 runtime (DESIGN.md §6–7, issue 6 item 4).
///
/// At load (`init`): the model is validated, the kernel table filled for the ISA mask, every weight
/// tensor packed once with the packer of the selected kernel's tile (input zero point folded into
/// the bias), every activation placed in one arena by `MemoryPlanner`, and every op bound to its
/// kernel, weights, parameters and arena addresses. All float math and all allocation happen here.
///
/// `invoke` then runs integer kernels only, from the int8 input (p − 128) to the int8 embedding,
/// without allocating; the one float step is the output's L2 normalisation:
///   embedding[i] = (q[i] − zp) / ‖q − zp‖₂   (= L2-normalised dequantisation scale·(q − zp), scale > 0)
/// and all zeros when q = zp everywhere.
///
/// An interpreter is not thread-safe: one invocation at a time (its arena is shared state). With
/// `threads` > 1 it runs each large op on its own pool, the calling thread included.
public final class Interpreter {
    public let metadata: ModelMetadata
    /// The activation tensors (shapes, quantization); tensor 0 is the input, the last the embedding.
    public let tensors: [ActivationTensor]
    public let plan: MemoryPlan
    /// The mask the kernel table was filled from.
    public let isaMask: UInt32
    /// Threads the caller asked for, and threads running each invocation (see `InterpreterOptions.threads`).
    public let requestedThreads: Int
    public let threads: Int
    /// The C names of the kernels the ops call, in op order (both ops of a fused pair name the fused kernel).
    public let kernelNames: [String]

    private let memory = LoadTimeMemory()
    private let arena: UnsafeMutableRawPointer
    /// The tasks of all steps, step after step; step i is tasks[groups[i].start ..< + groups[i].count].
    private let tasks: UnsafeMutableBufferPointer<InterpreterStep>
    private let groups: UnsafeMutableBufferPointer<(start: Int, count: Int)>
    private let pool: OpaquePointer?
    private let outputZeroPoint: Int32
    private let int8Output: UnsafeMutableBufferPointer<Int8>
    private let floatOutput: UnsafeMutableBufferPointer<Float>

    /// Validates and prepares `model` (see the type's description).
    public init(model: QuantizedModel, options: InterpreterOptions = InterpreterOptions()) throws(FFQError) {
        try ModelValidator.validate(model)
        guard (1...InterpreterOptions.maximumThreads).contains(options.threads) else {
            throw .invalidOption(name: "threads", reason: "\(options.threads) is outside 1...\(InterpreterOptions.maximumThreads)")
        }
        metadata = model.metadata
        tensors = model.tensors
        requestedThreads = options.threads
        var table = ffem_kernel_table()
        ffem_kernel_table_fill(&table, options.isaMask ?? ffem_isa_mask_from_environment(nil))
        isaMask = table.isa_mask
        let fused = options.fusesOperations && !options.preservesAllTensors ? Self.fusedOperations(model, table: table) : []
        plan = MemoryPlanner.plan(model, preservingAllTensors: options.preservesAllTensors, fusedOperations: fused)
        // One spare cache line: no kernel reads past a tensor's end, but a vector tail load that
        // did could still not leave the arena.
        arena = memory.bytes(plan.arenaBytes + LoadTimeMemory.alignment)
        pool = options.threads > 1 ? ffem_thread_pool_create(options.threads) : nil
        threads = ffem_thread_pool_threads(pool)
        var builder = StepBuilder(table: table, memory: memory, arena: arena, plan: plan, tensors: model.tensors)
        var prepared: [InterpreterStep] = []
        var ranges: [(start: Int, count: Int)] = []
        var names: [String] = []
        let operations = model.operations
        var index = 0, nextFused = 0
        while index < operations.count {
            var built: (InterpreterStep, String)? = nil
            var consumed = 1
            if nextFused < fused.count, fused[nextFused] == index, case .prelu(let prelu) = operations[index + 1] {
                nextFused += 1
                built = builder.fusedStep(for: operations[index], prelu: prelu, output: index + 1)
                precondition(built != nil, "fusedOperations promised a fused kernel")
                consumed = 2
            }
            let (step, name) = built ?? builder.step(for: operations[index], output: index + 1)
            let parts = StepPartition.split(step, parts: threads, memory: memory)
            ranges.append((prepared.count, parts.count))
            prepared.append(contentsOf: parts)
            for _ in 0..<consumed { names.append(name) }
            index += consumed
        }
        tasks = UnsafeMutableBufferPointer(start: memory.copy(prepared), count: prepared.count)
        groups = UnsafeMutableBufferPointer(start: memory.copy(ranges), count: ranges.count)
        kernelNames = names
        let embeddingSize = model.embeddingSize
        outputZeroPoint = model.outputQuantization.zeroPoint
        int8Output = UnsafeMutableBufferPointer(start: memory.copy([Int8](repeating: 0, count: embeddingSize)),
                                                count: embeddingSize)
        floatOutput = UnsafeMutableBufferPointer(start: memory.copy([Float](repeating: 0, count: embeddingSize)),
                                                 count: embeddingSize)
        // One warm-up run on the (zeroed) arena: whatever the Swift runtime initialises lazily on
        // first use (generic metadata caches in non-Embedded builds) is then done at load time, so
        // even the first `invoke` allocates nothing.
        run()
    }

    /// The ops i (ascending) that run fused with op i + 1: op i is a 1×1 or depthwise 3×3 convolution whose
    /// output only the PReLU op i + 1 reads, and `table` has the fused kernel for its kind.
    static func fusedOperations(_ model: QuantizedModel, table: ffem_kernel_table) -> [Int] {
        let operations = model.operations
        var fused: [Int] = []
        var index = 0
        while index + 1 < operations.count {
            var hasKernel = false
            switch operations[index] {
            case .pointwiseConvolution: hasKernel = table.gemm_prelu.ukernel != nil
            case .depthwiseConvolution3x3: hasKernel = table.dwconv3x3_prelu.ukernel != nil
            default: break
            }
            if hasKernel, case .prelu(let prelu) = operations[index + 1], prelu.input == index + 1,
               isOnlyRead(tensor: index + 1, by: index + 1, in: operations) {
                fused.append(index)
                index += 2
            } else {
                index += 1
            }
        }
        return fused
    }

    /// Whether op `reader` is the only op that reads `tensor` (and the tensor is not the model's output).
    static func isOnlyRead(tensor: Int, by reader: Int, in operations: [QuantizedOperation]) -> Bool {
        guard tensor < operations.count else { return false }
        for (i, operation) in operations.enumerated() where i != reader {
            let (first, second) = operation.inputs
            if first == tensor || second == tensor { return false }
        }
        return operations[reader].inputs.1 != tensor
    }

    /// Reads, validates and prepares the `.ffq` model at `path`.
    public convenience init(contentsOf path: String, options: InterpreterOptions = InterpreterOptions()) throws(FFQError) {
        try self.init(model: try FFQReader.read(contentsOf: path), options: options)
    }

    /// Elements of the int8 input: N · N · 3 (NHWC, RGB).
    public var inputCount: Int { tensors[0].shape.elementCount }

    /// Runs the network on an int8 input (q = p − 128, NHWC RGB, `inputCount` values). Afterwards
    /// `int8Embedding` and `embedding` hold the result. Allocates nothing.
    public func invoke(input: UnsafeBufferPointer<Int8>) {
        precondition(input.count == inputCount, "the input must have N·N·3 elements")
        if let base = input.baseAddress { (arena + plan.offsets[0]).copyMemory(from: base, byteCount: input.count) }
        run()
    }

    /// Runs the network on crop pixels (N × N × 3 RGB bytes): the input is q = p − 128 exactly
    /// (DESIGN.md §4), written straight into the arena. Allocates nothing.
    public func invoke(pixels: UnsafeBufferPointer<UInt8>) {
        precondition(pixels.count == inputCount, "the crop must have N·N·3 bytes")
        let input = (arena + plan.offsets[0]).bindMemory(to: Int8.self, capacity: pixels.count)
        for i in 0..<pixels.count { input[i] = Int8(bitPattern: pixels[i] &- 128) }
        run()
    }

    /// The int8 embedding of the last invocation (E values, the output tensor's quantization).
    public var int8Embedding: UnsafeBufferPointer<Int8> { UnsafeBufferPointer(int8Output) }

    /// The L2-normalised float embedding of the last invocation (E values).
    public var embedding: UnsafeBufferPointer<Float> { UnsafeBufferPointer(floatOutput) }

    /// The bytes of tensor `index` in the arena. After `invoke`, valid for the input, the
    /// embedding and — with `InterpreterOptions.preservesAllTensors` — every tensor; otherwise a
    /// tensor's bytes may have been reused once its lifetime (`plan.lifetimes`) ended.
    public func tensorBytes(_ index: Int) -> UnsafeBufferPointer<Int8> {
        UnsafeBufferPointer(start: (arena + plan.offsets[index]).assumingMemoryBound(to: Int8.self),
                            count: plan.sizes[index])
    }

    /// The arena's address (stable for the interpreter's life).
    public var arenaAddress: UnsafeRawPointer { UnsafeRawPointer(arena) }

    private func run() {
        for group in groups {
            if group.count == 1 {
                tasks[group.start].run()
            } else {
                ffem_thread_pool_run(pool, { context, index in
                    context!.assumingMemoryBound(to: InterpreterStep.self)[index].run()
                }, UnsafeMutableRawPointer(tasks.baseAddress! + group.start), group.count)
            }
        }
        let output = (arena + plan.offsets[tensors.count - 1]).assumingMemoryBound(to: Int8.self)
        var sumOfSquares: Int64 = 0
        for i in 0..<int8Output.count {
            int8Output[i] = output[i]
            let v = Int64(output[i]) - Int64(outputZeroPoint)
            sumOfSquares += v * v
        }
        // The only float step: |q − zp| ≤ 255 and E ≤ 16384 keep the sum exact in Int64 and in Double.
        let norm = Double(sumOfSquares).squareRoot()
        for i in 0..<floatOutput.count {
            floatOutput[i] = sumOfSquares == 0 ? 0 : Float(Double(Int32(output[i]) - outputZeroPoint) / norm)
        }
    }

    deinit {
        ffem_thread_pool_destroy(pool)
        tasks.baseAddress?.deinitialize(count: tasks.count)
        groups.baseAddress?.deinitialize(count: groups.count)
    }
}
