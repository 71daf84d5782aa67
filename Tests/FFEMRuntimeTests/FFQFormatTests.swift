// FFEMRuntimeTests — FFQFormatTests.swift: writer/reader round trip, the header layout, named refusals.
import FFEMCore
import FFEMRuntime
import Testing

@Suite struct FFQFormatTests {
    func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    /// Rewrites the CRC after a deliberate edit, so that the structural checks are reached.
    func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let crc = CRC32.checksum(Array(bytes[20...]))
        for i in 0..<4 { bytes[16 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        return bytes
    }

    @Test func roundTripsEveryOpExactly() throws {
        for model in [try TinyModels.residual(seed: 1), try TinyModels.remainingOps(seed: 1)] {
            let bytes = try FFQWriter.serialize(model)
            #expect(try FFQReader.read(bytes) == model)
            #expect(try FFQWriter.serialize(try FFQReader.read(bytes)) == bytes, "same model, same bytes")
        }
    }

    @Test func headerHoldsTheDocumentedFields() throws {
        let model = try TinyModels.residual(seed: 2)
        let bytes = try FFQWriter.serialize(model)
        #expect(Array(bytes[0..<8]) == [0x89, 0x46, 0x46, 0x51, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(bytes[8] == 1 && bytes[9] == 0)                          // version 1
        #expect(Int(u32(bytes, 12)) == bytes.count)                        // file bytes
        #expect(u32(bytes, 16) == CRC32.checksum(Array(bytes[20...])))     // CRC of everything after it
        #expect(u32(bytes, 20) == 1)                                       // double rounding
        #expect(u32(bytes, 24) == 9 && u32(bytes, 28) == 9 && u32(bytes, 32) == 3)
        #expect(u32(bytes, 36) == 72_090 && u32(bytes, 40) == 1)           // crop scale Q16, make square
        #expect(Float(bitPattern: u32(bytes, 44)) == 1.0 / 128 && u32(bytes, 48) == 0)
        #expect(Int(u32(bytes, 52)) == model.embeddingSize)
        #expect(Float(bitPattern: u32(bytes, 56)) == model.outputQuantization.scale)
        #expect(Int32(bitPattern: u32(bytes, 60)) == model.outputQuantization.zeroPoint)
        #expect(u32(bytes, 64) == 2)                                       // two thresholds
        let thresholds = Int(u32(bytes, 68))
        #expect(Float(bitPattern: u32(bytes, thresholds)) == 0.01 && Float(bitPattern: u32(bytes, thresholds + 4)) == 0.41)
        // Every payload is 64-byte aligned and inside the file.
        let buffers = Int(u32(bytes, 92))
        for b in 0..<Int(u32(bytes, 88)) {
            let record = buffers + 16 * b
            #expect(u32(bytes, record + 8) % 64 == 0)
            #expect(Int(u32(bytes, record + 8) + u32(bytes, record) * u32(bytes, record + 4)) <= bytes.count)
        }
    }

    @Test func refusesByName() throws {
        let bytes = try FFQWriter.serialize(try TinyModels.residual(seed: 3))
        var magic = bytes
        magic[1] = UInt8(ascii: "G")
        #expect(throws: FFQError.badMagic) { try FFQReader.read(magic) }

        var newer = bytes
        newer[8] = 2
        #expect(throws: FFQError.unsupportedVersion(found: 2, supported: 1)) { try FFQReader.read(newer) }
        #expect(FFQError.unsupportedVersion(found: 2, supported: 1).description
            == "unsupported .ffq format version 2: this runtime reads version 1 (the model is newer than the runtime)")

        #expect(throws: FFQError.truncated(expectedBytes: bytes.count, actualBytes: bytes.count - 1)) {
            try FFQReader.read(Array(bytes.dropLast()))
        }
        #expect(throws: FFQError.trailingBytes(expectedBytes: bytes.count, actualBytes: bytes.count + 1)) {
            try FFQReader.read(bytes + [0])
        }
        var flipped = bytes
        flipped[bytes.count - 1] ^= 0x10
        #expect { try FFQReader.read(flipped) } throws: { error in
            guard case FFQError.checksumMismatch = error else { return false }
            return true
        }
        var rounding = bytes
        rounding[20] = 2
        #expect(throws: FFQError.unsupportedRoundingMode(2)) { try FFQReader.read(resealed(rounding)) }
    }

    @Test func refusesStructuralDamageBehindAValidChecksum() throws {
        let bytes = try FFQWriter.serialize(try TinyModels.residual(seed: 3))
        let ops = Int(u32(bytes, 84)), buffers = Int(u32(bytes, 92))

        var forward = bytes  // op 0 reads tensor 1, its own output
        forward[ops + 4] = 1
        #expect(throws: FFQError.invalidReference(operation: 0, tensor: 1,
                                                  reason: "not computed yet (op 0 may read tensors 0...0)")) {
            try FFQReader.read(resealed(forward))
        }
        var code = bytes
        code[ops] = 77
        #expect(throws: FFQError.unknownOperation(index: 0, code: 77)) { try FFQReader.read(resealed(code)) }

        var misaligned = bytes  // buffer 0's payload offset moved by 4
        misaligned[buffers + 8] &+= 4
        #expect { try FFQReader.read(resealed(misaligned)) } throws: { error in
            guard case FFQError.misaligned = error else { return false }
            return true
        }
        var outside = bytes
        outside[buffers + 8 + 3] = 0x7F
        #expect { try FFQReader.read(resealed(outside)) } throws: { error in
            guard case FFQError.outOfBounds = error else { return false }
            return true
        }
        var stride = bytes  // op 0 (stem) stride 3
        stride[ops + 16] = 3
        #expect { try FFQReader.read(resealed(stride)) } throws: { error in
            guard case FFQError.argumentOutOfRange(operation: 0, argument: "stride", value: 3, _) = error else { return false }
            return true
        }
    }

    @Test func builderRefusesBadOpsAndLeavesTheModelUnchanged() throws {
        var model = try TinyModels.residual(seed: 4)
        let before = model
        var p = ParameterSource(seed: 4)
        let last = model.outputTensor, channels = model.embeddingSize
        #expect(throws: FFQError.invalidReference(operation: model.operations.count, tensor: last + 1,
                                                  reason: "no such tensor (the model has \(last + 1))")) {
            try model.append(.clamp(ClampLayer(input: last + 1, outputMin: 0, outputMax: 10)), output: p.quantization())
        }
        var layer = p.layer(input: last, weights: channels * channels, outputChannels: channels, depth: channels)
        layer.requantization.multipliers[2] = 12345
        #expect { try model.append(.pointwiseConvolution(layer), output: p.quantization()) } throws: { error in
            guard case FFQError.argumentOutOfRange(_, "multipliers[2]", 12345, _) = error else { return false }
            return true
        }
        layer = p.layer(input: last, weights: channels * channels, outputChannels: channels, depth: channels)
        layer.weights[0] = -128
        #expect(throws: FFQError.self) { try model.append(.pointwiseConvolution(layer), output: p.quantization()) }
        layer = p.layer(input: last, weights: channels * channels - 1, outputChannels: channels, depth: channels)
        #expect(throws: FFQError.shapeMismatch(operation: model.operations.count,
                                               reason: "weights has \(channels * channels - 1) elements, expected \(channels * channels)")) {
            try model.append(.pointwiseConvolution(layer), output: p.quantization())
        }
        #expect(throws: FFQError.self) {
            try model.append(.clamp(ClampLayer(input: last, outputMin: 5, outputMax: 4)), output: model.outputQuantization)
        }
        #expect(model == before)
    }
}
