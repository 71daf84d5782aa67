// FFEMRuntimeTests — DamagedModelTests.swift: no damage to a model file may crash the runtime.
import FFEMCore
import FFEMRuntime
import Testing

@Suite struct DamagedModelTests {
    let bytes: [UInt8]
    let model: QuantizedModel

    init() throws {
        model = try TinyModels.residual(seed: 11, inputSize: 5, channels: 5, embedding: 3)
        bytes = try FFQWriter.serialize(model)
    }

    /// Every single-byte corruption (each byte XORed with a seeded non-zero mask) is refused.
    @Test func everySingleByteCorruptionIsRefused() throws {
        var random = SeededRandom(seed: 1)
        for offset in 0..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= UInt8(1 + random.nextInt(below: 255))
            #expect(throws: FFQError.self, "byte \(offset)") { try FFQReader.read(damaged) }
        }
    }

    /// Every truncation is refused, with the byte counts named for non-empty prefixes past the magic.
    @Test func everyTruncationIsRefused() throws {
        for length in 0..<bytes.count {
            #expect(throws: FFQError.self, "length \(length)") { try FFQReader.read(Array(bytes[0..<length])) }
        }
        #expect(throws: FFQError.truncated(expectedBytes: bytes.count, actualBytes: 100)) {
            try FFQReader.read(Array(bytes[0..<100]))
        }
    }

    /// Seeded damage behind a valid checksum (1–6 bytes set to random values, the CRC recomputed):
    /// the structural validator must refuse it, or the model must load and run without crashing.
    @Test func resealedRandomDamageNeverCrashes() throws {
        var random = SeededRandom(seed: 2)
        var refused = 0, loaded = 0
        for _ in 0..<3000 {
            var damaged = bytes
            for _ in 0..<(1 + random.nextInt(below: 6)) {
                let offset = 20 + random.nextInt(below: bytes.count - 20)
                damaged[offset] = random.nextInt(below: 4) == 0 ? UInt8(random.nextInt(below: 256))
                    : damaged[offset] ^ UInt8(1 << random.nextInt(below: 8))
            }
            let crc = CRC32.checksum(Array(damaged[20...]))
            for i in 0..<4 { damaged[16 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
            do {
                let loadedModel = try FFQReader.read(damaged)
                let interpreter = try Interpreter(model: loadedModel)
                let input = [Int8](repeating: -3, count: interpreter.inputCount)
                input.withUnsafeBufferPointer { interpreter.invoke(input: $0) }
                loaded += 1
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(refused > 1000 && loaded > 100, "refused \(refused), loaded \(loaded)")
    }
}
