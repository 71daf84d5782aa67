// FFEMRuntimeTests — InterpreterTests.swift: the runtime against the reference, under every ISA the host has.
import CFFEMKernels
import CFFEMRuntimeTestSupport
import FFEMRuntime
import Testing

/// One FFEM_ISA_* bit the host supports, as a test argument.
struct RuntimeISA: Sendable, CustomStringConvertible {
    let bit: UInt32
    var description: String { bit == UInt32(FFEM_ISA_SCALAR) ? "scalar" : isaName }
    private var isaName: String {
        guard let name = ffem_isa_name(bit) else { return "?" }
        return String(cString: name)
    }
    /// Exactly this ISA (plus scalar kernels for ops it lacks).
    var options: InterpreterOptions { InterpreterOptions(isaMask: bit | UInt32(FFEM_ISA_SCALAR)) }

    static let all: [RuntimeISA] = {
        let features = ffem_cpu_features()
        return (0..<32).map { UInt32(1) << UInt32($0) }.filter { features & $0 != 0 }.map { RuntimeISA(bit: $0) }
    }()
}

@Suite struct InterpreterTests {
    static let seeds: [UInt64] = [1, 2, 3]

    func models(seed: UInt64) throws -> [QuantizedModel] {
        [try TinyModels.residual(seed: seed), try TinyModels.remainingOps(seed: seed),
         try TinyModels.residual(seed: seed + 100, inputSize: 14, channels: 40, embedding: 35)]
    }

    @Test(arguments: RuntimeISA.all)
    func matchesTheReferenceBitForBit(isa: RuntimeISA) throws {
        for seed in Self.seeds {
            for (index, model) in try models(seed: seed).enumerated() {
                // The model as a file would give it: written, read back, then run.
                let loaded = try FFQReader.read(try FFQWriter.serialize(model))
                let interpreter = try Interpreter(model: loaded, options: isa.options)
                let input = TinyModels.input(for: model, seed: seed * 31 + UInt64(index))
                let expected = ReferenceInterpreter(model: model).run(input: input).last!
                input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
                let actual = Array(interpreter.int8Embedding)
                #expect(actual == expected, "model \(index), seed \(seed), kernels \(interpreter.kernelNames)")
                // Not all saturated: the comparison means something.
                #expect(Set(expected).count > 2, "model \(index), seed \(seed): degenerate embedding \(expected)")
            }
        }
    }

    @Test func everyISAGivesIdenticalBytes() throws {
        for seed in Self.seeds {
            for model in try models(seed: seed) {
                let input = TinyModels.input(for: model, seed: seed)
                var embeddings: [[Int8]] = []
                var floats: [[Float]] = []
                for isa in RuntimeISA.all {
                    let interpreter = try Interpreter(model: model, options: isa.options)
                    input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
                    embeddings.append(Array(interpreter.int8Embedding))
                    floats.append(Array(interpreter.embedding))
                }
                #expect(Set(embeddings.map { $0.map { Int($0) } }).count == 1)
                #expect(Set(floats.map { $0.map { $0.bitPattern } }).count == 1)
            }
        }
    }

    @Test func selectsKernelsOfTheRequestedISAOnly() throws {
        let model = try TinyModels.residual(seed: 5)
        let scalar = try Interpreter(model: model, options: RuntimeISA.all[0].options)
        #expect(scalar.kernelNames.allSatisfy { $0.hasSuffix("__scalar") }, "\(scalar.kernelNames)")
        for isa in RuntimeISA.all.dropFirst() {
            let interpreter = try Interpreter(model: model, options: isa.options)
            #expect(interpreter.isaMask == isa.bit | UInt32(FFEM_ISA_SCALAR))
            #expect(interpreter.kernelNames.contains { $0.hasSuffix("__\(isa)") }, "\(interpreter.kernelNames)")
        }
    }

    @Test func pixelInputIsPMinus128() throws {
        let model = try TinyModels.residual(seed: 9)
        let interpreter = try Interpreter(model: model, options: RuntimeISA.all.last!.options)
        let pixels = (0..<interpreter.inputCount).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let input = pixels.map { Int8(Int($0) - 128) }
        let expected = ReferenceInterpreter(model: model).run(input: input).last!
        pixels.withUnsafeBufferPointer { interpreter.invoke(pixels: $0) }
        #expect(Array(interpreter.int8Embedding) == expected)
    }

    @Test func embeddingIsTheL2NormalisedDequantisation() throws {
        let model = try TinyModels.residual(seed: 4)
        let interpreter = try Interpreter(model: model)
        let input = TinyModels.input(for: model, seed: 4)
        input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
        let q = model.outputQuantization
        let real = interpreter.int8Embedding.map { Double(q.scale) * Double(Int32($0) - q.zeroPoint) }
        let norm = real.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for (value, expected) in zip(interpreter.embedding, real) {
            #expect(abs(Double(value) - expected / norm) < 1e-6)
        }
    }

    /// The acceptance's "no allocation inside an invocation": every malloc-family call of this thread
    /// is counted (CFFEMRuntimeTestSupport interposes them); a control allocation proves the counter
    /// sees allocations; then repeated invocations must count zero, and the arena and output buffers
    /// must stay where the load put them. (With a pool, the workers' calls are not counted: they run
    /// only the kernels, which never allocate.)
    @Test(.enabled(if: ffem_malloc_counter_is_available() != 0, "allocation counting needs glibc and no sanitizer"),
          arguments: [1, 2])
    func invokeAllocatesNothing(threads: Int) throws {
        let model = try TinyModels.residual(seed: 6, inputSize: 30, channels: 16)
        for isa in RuntimeISA.all {
            var options = isa.options
            options.threads = threads
            let interpreter = try Interpreter(model: model, options: options)
            let input = TinyModels.input(for: model, seed: 6)
            let pixels = [UInt8](repeating: 200, count: interpreter.inputCount)
            let arena = interpreter.arenaAddress
            let outputs = (interpreter.int8Embedding.baseAddress, interpreter.embedding.baseAddress)
            ffem_malloc_counter_start()
            let control = [Int](repeating: 7, count: 1000 + input.count)
            let controlCount = ffem_malloc_counter_stop()
            #expect(controlCount >= 1 && control.count > 1000, "the counter must see an allocation")

            input.withUnsafeBufferPointer { input in
                pixels.withUnsafeBufferPointer { pixels in
                    ffem_malloc_counter_start()
                    for _ in 0..<3 {
                        interpreter.invoke(input: input)
                        interpreter.invoke(pixels: pixels)
                    }
                    let count = ffem_malloc_counter_stop()
                    #expect(count == 0, "\(isa): \(count) allocations during 6 invocations")
                }
            }
            #expect(interpreter.arenaAddress == arena)
            #expect(interpreter.int8Embedding.baseAddress == outputs.0 && interpreter.embedding.baseAddress == outputs.1)
        }
    }

    @Test func everyThreadCountGivesIdenticalBytes() throws {
        for model in [try TinyModels.residual(seed: 8, inputSize: 33, channels: 24, embedding: 9),
                      try TinyModels.remainingOps(seed: 8, inputSize: 40, channels: 19)] {
            let input = TinyModels.input(for: model, seed: 8)
            let expected = ReferenceInterpreter(model: model).run(input: input).last!
            for isa in RuntimeISA.all {
                for threads in [1, 2, 3, 5] {
                    var options = isa.options
                    options.threads = threads
                    let interpreter = try Interpreter(model: model, options: options)
                    #expect(interpreter.requestedThreads == threads && interpreter.threads == threads)
                    for _ in 0..<3 {
                        input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
                        #expect(Array(interpreter.int8Embedding) == expected, "\(isa), \(threads) threads")
                    }
                }
            }
        }
        for threads in [0, InterpreterOptions.maximumThreads + 1] {
            #expect(throws: FFQError.invalidOption(name: "threads", reason: "\(threads) is outside 1...64")) {
                try Interpreter(model: try TinyModels.residual(seed: 8), options: InterpreterOptions(threads: threads))
            }
        }
    }
}
