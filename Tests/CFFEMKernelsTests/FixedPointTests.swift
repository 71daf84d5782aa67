// CFFEMKernelsTests — FixedPointTests.swift: the C primitives of ffem_fixedpoint.h equal the Swift reference.
import CFFEMKernels
import FFEMCore
import FFEMRuntime
import Testing

@Suite struct FixedPointTests {
    /// gemmlowp's edge list: 0, ±2^i + {−2…2} for every i, and the extremes.
    static let edgeValues: [Int32] = {
        var values: Set<Int64> = [0, Int64(Int32.min), Int64(Int32.max), Int64(Int32.min) + 1, Int64(Int32.max) - 1]
        for i in 0..<32 {
            for delta in -2...2 {
                values.insert((Int64(1) << i) + Int64(delta))
                values.insert(-(Int64(1) << i) + Int64(delta))
            }
        }
        return values.filter { Int64(Int32.min)...Int64(Int32.max) ~= $0 }.map { Int32($0) }.sorted()
    }()

    static func randomValues(count: Int, seed: UInt64) -> [Int32] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in rng.anyInt32() }
    }

    @Test func srdhmMatchesHandComputedValues() {
        #expect(ffem_srdhm_s32(1 << 30, 3) == 2)        // 1.5 rounds up
        #expect(ffem_srdhm_s32(-(1 << 30), 3) == -1)    // −1.5 rounds up, towards +∞
        #expect(ffem_srdhm_s32(-(1 << 30), 1) == 0)     // −0.5 rounds up to 0
        #expect(ffem_srdhm_s32(Int32.min, Int32.min) == Int32.max)
        #expect(ffem_srdhm_s32(Int32.min, Int32.max) == Int32.min + 1)
        #expect(ffem_srdhm_s32(Int32.max, Int32.max) == Int32.max - 1)
    }

    @Test func rdbpotRoundsHalfAwayFromZero() {
        #expect(ffem_rdbpot_s32(5, 1) == 3)
        #expect(ffem_rdbpot_s32(-5, 1) == -3)
        #expect(ffem_rdbpot_s32(-3, 1) == -2)
        #expect(ffem_rdbpot_s32(-6, 2) == -2)
        #expect(ffem_rdbpot_s32(-7, 2) == -2)
        #expect(ffem_rdbpot_s32(Int32.min, 31) == -1)
        #expect(ffem_rdbpot_s32(Int32.max, 31) == 1)
        #expect(ffem_rdbpot_s32(Int32.min, 0) == Int32.min)
    }

    @Test func srdhmEqualsReferenceOnEdgePairsAndRandoms() {
        let values = Self.edgeValues + Self.randomValues(count: 1000, seed: 1)
        var mismatches = 0
        for a in values {
            for b in Self.edgeValues where ffem_srdhm_s32(a, b) != FixedPointReference.saturatingRoundingDoublingHighMultiply(a, b) {
                mismatches += 1
            }
        }
        let randoms = Self.randomValues(count: 2000, seed: 2)
        for i in stride(from: 0, to: randoms.count, by: 2)
        where ffem_srdhm_s32(randoms[i], randoms[i + 1])
            != FixedPointReference.saturatingRoundingDoublingHighMultiply(randoms[i], randoms[i + 1]) {
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    @Test func rdbpotEqualsReferenceForEveryExponent() {
        let values = Self.edgeValues + Self.randomValues(count: 1000, seed: 3)
        for exponent in 0...31 {
            let mismatch = values.first {
                ffem_rdbpot_s32($0, Int32(exponent)) != FixedPointReference.roundingDivideByPowerOfTwo($0, exponent: exponent)
            }
            #expect(mismatch == nil, "exponent \(exponent), x \(mismatch ?? 0)")
        }
    }

    @Test func leftShiftWrapsLikeTheReference() {
        for x in Self.edgeValues {
            for shift in 0...30 {
                #expect(ffem_shift_left_wrapping_s32(x, Int32(shift)) == FixedPointReference.shiftLeftWrapping(x, by: shift))
            }
        }
    }

    /// Every int16 accumulator through the whole requantization, for a handful of multipliers.
    @Test func requantizationEqualsReferenceOnEveryInt16Accumulator() {
        let cases: [(Int32, Int32)] = [(1 << 30, 0), (1 << 30, -1), (Int32.max, -7), (1_518_500_250, -12),
                                       (1_073_741_825, 3), (1_900_000_000, -31), (1_234_567_890, 16), (1_500_000_000, -20)]
        var mismatches = 0
        for (multiplier, shift) in cases {
            for x in Int32(Int16.min)...Int32(Int16.max) {
                let c = ffem_requantize_s32(x, multiplier, shift, -5, -128, 127)
                let swift = FixedPointReference.requantize(x, multiplier: multiplier, shift: Int(shift),
                                                           outputZeroPoint: -5, outputMin: -128, outputMax: 127)
                if c != swift || ffem_multiply_by_quantized_multiplier(x, multiplier, shift)
                    != FixedPointReference.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: Int(shift)) {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func multiplyByQuantizedMultiplierEqualsReferenceOnRandoms() {
        var rng = SeededRandom(seed: 4)
        for _ in 0..<20_000 {
            let x = rng.anyInt32(), multiplier = rng.anyInt32(), shift = Int32(rng.int(in: -31...30))
            let c = ffem_multiply_by_quantized_multiplier(x, multiplier, shift)
            let swift = FixedPointReference.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: Int(shift))
            if c != swift {
                Issue.record("x \(x) multiplier \(multiplier) shift \(shift): C \(c), Swift \(swift)")
                return
            }
        }
    }

    /// |m·2^shift/2^31 − r| ≤ 2^-32·2^shift, m ∈ [2^30, 2^31), and C and Swift agree.
    @Test func quantizedMultiplierRoundTripsWithinHalfAStep() throws {
        var rng = SeededRandom(seed: 5)
        var reals: [Double] = [1, 0.5, 0.25, 0.999_999_999_9, 1.0 / 3, 0.000_123, 1e-9, 3.0e-10, 1_000_000,
                               536_870_911.9, 0.999_999_999_95]
        for _ in 0..<2000 { reals.append(pow2(Double(rng.nextFloat(in: -31, 29))) * Double(rng.nextFloat(in: 1, 2))) }
        for real in reals {
            var multiplier: Int32 = 0, shift: Int32 = 0
            #expect(ffem_quantize_multiplier(real, &multiplier, &shift) == 0, "r = \(real)")
            let swift = try FixedPointReference.quantizeMultiplier(real)
            #expect(swift.multiplier == multiplier && swift.shift == Int(shift), "r = \(real)")
            #expect(multiplier >= 1 << 30, "r = \(real)")
            let represented = Double(multiplier) * pow2exact(Int(shift) - 31)
            #expect(abs(represented - real) <= pow2exact(Int(shift) - 32), "r = \(real)")
        }
    }

    @Test func quantizeMultiplierRejectsNegativeInfiniteAndTooLarge() {
        var multiplier: Int32 = 0, shift: Int32 = 0
        #expect(ffem_quantize_multiplier(-1, &multiplier, &shift) == Int32(FFEM_QUANTIZE_MULTIPLIER_NOT_FINITE_OR_NEGATIVE))
        #expect(ffem_quantize_multiplier(.infinity, &multiplier, &shift) != 0)
        #expect(ffem_quantize_multiplier(.nan, &multiplier, &shift) != 0)
        #expect(ffem_quantize_multiplier(1_073_741_824, &multiplier, &shift) == Int32(FFEM_QUANTIZE_MULTIPLIER_TOO_LARGE))
        #expect(throws: QuantizeMultiplierError.tooLarge) { try FixedPointReference.quantizeMultiplier(1_073_741_824) }
        #expect(throws: QuantizeMultiplierError.notFiniteOrNegative) { try FixedPointReference.quantizeMultiplier(-0.5) }
        // Below 2^-32 the multiplier is 0: every accumulator maps to the zero point (TFLite).
        #expect(ffem_quantize_multiplier(1e-12, &multiplier, &shift) == 0 && multiplier == 0 && shift == 0)
    }
}

/// 2^e exactly, for any e a Double can hold.
func pow2exact(_ e: Int) -> Double {
    Double(sign: .plus, exponent: e, significand: 1)
}
