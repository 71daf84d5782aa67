// CFFEMKernelsTests — RequantTests.swift: every requantization kernel equals the scalar oracle, which equals Swift.
import CFFEMKernels
import FFEMCore
import Testing

@Suite struct RequantTests {
    static func run(_ table: ffem_kernel_table, rows: Int, channels: Int, input: [Int32], requant: Requantization) -> [Int8] {
        var output = [Int8](repeating: 0, count: rows * channels)
        requant.withParams { params in table.requant.ukernel!(rows, channels, input, &output, params) }
        return output
    }

    /// Arbitrary multipliers (negative, Int32.min) and accumulators (Int32.min…max): every lane
    /// of every SIMD kernel equals the scalar primitive, saturation included.
    @Test(arguments: HostISA.simd)
    func simdLanesEqualScalarForArbitraryParameters(isa: HostISA) {
        let table = isa.table
        var rng = SeededRandom(seed: 11)
        for channels in [1, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31, 33, 127] {
            let rows = rng.int(in: 1...5)
            var requant = Requantization.arbitrary(channels: channels, using: &rng)
            if rng.nextInt(below: 2) == 0 {
                requant.outputMin = Int32(rng.int(in: -128...0))
                requant.outputMax = Int32(rng.int(in: 0...127))
            }
            var input = (0..<rows * channels).map { _ in rng.anyInt32() }
            // The saturating SRDHM pair: Int32.min · Int32.min (shift ≤ 0 keeps the input Int32.min).
            input[0] = Int32.min
            requant.multiplier[0] = Int32.min
            requant.shift[0] = -Int32(rng.int(in: 0...31))
            let expected = Self.run(HostISA.scalarTable, rows: rows, channels: channels, input: input, requant: requant)
            let actual = Self.run(table, rows: rows, channels: channels, input: input, requant: requant)
            #expect(firstMismatch(actual, expected) == nil,
                    "\(String(cString: table.requant.name)) channels \(channels): \(firstMismatch(actual, expected) ?? "")")
        }
    }

    /// Every multiplier ≥ 0 and every shift ≤ −1 (the AVX-512 right-shift form, used by the
    /// quantizer's parameters for real scales below 1/2), with extreme multipliers and arbitrary
    /// accumulators: every SIMD kernel equals the scalar primitive.
    @Test(arguments: HostISA.simd)
    func simdLanesEqualScalarWhenEveryShiftIsRight(isa: HostISA) {
        let table = isa.table
        var rng = SeededRandom(seed: 13)
        for channels in [1, 5, 16, 17, 31, 64, 127] {
            let rows = rng.int(in: 1...7)
            var requant = Requantization.arbitrary(channels: channels, using: &rng)
            let extremes: [Int32] = [0, 1, 1 << 30, Int32.max]
            for c in 0..<channels {
                requant.multiplier[c] = c < extremes.count ? extremes[c] : Int32(rng.int(in: 0...Int(Int32.max)))
                requant.shift[c] = -Int32(rng.int(in: 1...31))
            }
            var input = (0..<rows * channels).map { _ in rng.anyInt32() }
            input[0] = Int32.min
            input[input.count - 1] = Int32.max
            let expected = Self.run(HostISA.scalarTable, rows: rows, channels: channels, input: input, requant: requant)
            let actual = Self.run(table, rows: rows, channels: channels, input: input, requant: requant)
            #expect(firstMismatch(actual, expected) == nil,
                    "\(String(cString: table.requant.name)) channels \(channels): \(firstMismatch(actual, expected) ?? "")")
            #expect(Set(expected).count > 2 || rows * channels < 8, "channels \(channels): degenerate output")
        }
    }

    @Test func scalarKernelEqualsSwiftReference() {
        var rng = SeededRandom(seed: 12)
        for channels in [1, 3, 13, 24, 127] {
            let rows = 3
            let requant = Requantization.arbitrary(channels: channels, using: &rng)
            let input = (0..<rows * channels).map { _ in rng.anyInt32() }
            let actual = Self.run(HostISA.scalarTable, rows: rows, channels: channels, input: input, requant: requant)
            let expected = (0..<rows * channels).map { requant.reference(input[$0], channel: $0 % channels) }
            #expect(firstMismatch(actual, expected) == nil, "channels \(channels): \(firstMismatch(actual, expected) ?? "")")
        }
    }
}
