// FFEMRuntime — FixedPointReference.swift: the integer numeric contract (DESIGN.md §7), re-derived.
//
// The oracle of the C scalar primitives in `ffem_fixedpoint.h`. It is written in a different
// form on purpose: everything is computed exactly in 64-bit integers (or Double for the
// multiplier) and only then narrowed, instead of gemmlowp's 32-bit nudges, masks and
// thresholds. Tests demand bit equality between the two.

/// Why a real multiplier has no (multiplier, shift) representation.
public enum QuantizeMultiplierError: Error, Equatable {
    /// NaN, infinite or negative.
    case notFiniteOrNegative
    /// At least 2^30 after rounding: it would need a left shift above `FixedPointReference.maximumShift`.
    case tooLarge
}

/// TFLite int8 requantization with gemmlowp's double rounding, as plain integer arithmetic.
///
/// A real multiplier `r` is stored as an integer `multiplier` ∈ [2^30, 2^31) and a `shift`
/// (positive = left), with r ≈ multiplier · 2^shift / 2^31. An accumulator `x` maps to
/// `roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMultiply(x · 2^max(shift, 0), multiplier), max(−shift, 0))`.
public enum FixedPointReference {
    /// Largest left shift a multiplier may carry.
    public static let maximumShift = 30
    /// Most negative shift (a right shift by 31).
    public static let minimumShift = -31

    /// SRDHM(a, b) = ⌊a·b / 2^31 + 1/2⌋ (exact halves towards +∞), saturated to `Int32.max`.
    ///
    /// Reads `a` and `b` as a/2^31 and b/2^31; the result is their product in the same format.
    /// The only product beyond Int32 is (−2^31)·(−2^31) → 2^31, which saturates.
    ///
    /// Example: SRDHM(2^30, 3) = ⌊1.5 + 0.5⌋ = 2; SRDHM(−2^30, 3) = ⌊−1.5 + 0.5⌋ = −1.
    public static func saturatingRoundingDoublingHighMultiply(_ a: Int32, _ b: Int32) -> Int32 {
        let product = Int64(a) * Int64(b)  // |a·b| ≤ 2^62: exact
        let rounded = (product + (1 << 30)) >> 31  // `>>` on Int64 floors
        return Int32(clamping: rounded)
    }

    /// x / 2^exponent rounded to nearest, exact halves away from zero; exponent ∈ 0...31.
    ///
    /// Computed on the magnitude: sign(x) · ⌊(|x| + 2^(exponent−1)) / 2^exponent⌋.
    ///
    /// Example: (5, 1) → 3, (−5, 1) → −3, (−3, 1) → −2, (−6, 2) → −2.
    public static func roundingDivideByPowerOfTwo(_ x: Int32, exponent: Int) -> Int32 {
        precondition((0...31).contains(exponent), "exponent out of 0...31")
        if exponent == 0 { return x }
        let magnitude = Int64(x.magnitude)
        let quotient = (magnitude + (Int64(1) << (exponent - 1))) >> exponent
        return Int32(x < 0 ? -quotient : quotient)
    }

    /// x · 2^leftShift modulo 2^32 (two's complement wrap), leftShift ∈ 0...30 — the contract's
    /// decision for the left shift, shared by every ISA. The quantizer keeps |x|·2^leftShift < 2^31.
    public static func shiftLeftWrapping(_ x: Int32, by leftShift: Int) -> Int32 {
        precondition((0...maximumShift).contains(leftShift), "left shift out of 0...30")
        return Int32(truncatingIfNeeded: Int64(x) * (Int64(1) << leftShift))
    }

    /// TFLite `MultiplyByQuantizedMultiplier`: ≈ x · multiplier · 2^shift / 2^31, rounded twice.
    public static func multiplyByQuantizedMultiplier(_ x: Int32, multiplier: Int32, shift: Int) -> Int32 {
        let scaled = shiftLeftWrapping(x, by: max(shift, 0))
        return roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMultiply(scaled, multiplier), exponent: max(-shift, 0))
    }

    /// One accumulator to int8: clamp(outputZeroPoint + MultiplyByQuantizedMultiplier(acc), min, max).
    public static func requantize(_ acc: Int32, multiplier: Int32, shift: Int, outputZeroPoint: Int32,
                                  outputMin: Int32, outputMax: Int32) -> Int8 {
        let y = Int64(multiplyByQuantizedMultiplier(acc, multiplier: multiplier, shift: shift)) + Int64(outputZeroPoint)
        return Int8(min(max(y, Int64(outputMin)), Int64(outputMax)))
    }

    /// TFLite `QuantizeMultiplier`: r = q · 2^shift with q ∈ [0.5, 1), multiplier = round(q · 2^31)
    /// (halves away from zero), renormalised when the rounding reaches 2^31.
    ///
    /// Derived from Double's own binary exponent: r = significand · 2^exponent with significand
    /// ∈ [1, 2), so q = significand / 2 and shift = exponent + 1. r = 0 and r < 2^-32 give (0, 0).
    ///
    /// Guarantee: |multiplier · 2^shift / 2^31 − r| ≤ 2^-32 · 2^shift.
    public static func quantizeMultiplier(_ real: Double) throws(QuantizeMultiplierError) -> (multiplier: Int32, shift: Int) {
        guard real.isFinite, real >= 0 else { throw .notFiniteOrNegative }
        if real == 0 { return (0, 0) }
        var shift = Int(real.exponent) + 1
        var q = (real.significand * 1_073_741_824).rounded(.toNearestOrAwayFromZero)  // significand/2 · 2^31
        if q == 2_147_483_648 {
            q = 1_073_741_824
            shift += 1
        }
        if shift < minimumShift { return (0, 0) }
        if shift > maximumShift { throw .tooLarge }
        return (Int32(q), shift)
    }
}
