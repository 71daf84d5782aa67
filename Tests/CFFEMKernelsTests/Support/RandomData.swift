// CFFEMKernelsTests — RandomData.swift: seeded tensors and quantization parameters for the testers.
import CFFEMKernels
import FFEMCore
import FFEMRuntime

extension SeededRandom {
    /// Uniform in lower...upper.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }

    /// `count` int8 values; one in eight is an extreme (−128 or 127) so every sweep sees them.
    mutating func int8s(_ count: Int, lower: Int = -128, upper: Int = 127) -> [Int8] {
        (0..<count).map { _ in
            switch nextInt(below: 8) {
            case 0: return Int8(nextInt(below: 2) == 0 ? lower : upper)
            default: return Int8(int(in: lower...upper))
            }
        }
    }

    /// Symmetric weights in [−127, 127] (DESIGN.md §7), extremes included.
    mutating func weights(_ count: Int) -> [Int8] { int8s(count, lower: -127, upper: 127) }

    mutating func int32s(_ count: Int, in range: ClosedRange<Int>) -> [Int32] {
        (0..<count).map { _ in Int32(int(in: range)) }
    }

    /// Any Int32, with the edges (Int32.min, Int32.max, 0, ±1) over-represented.
    mutating func anyInt32() -> Int32 {
        switch nextInt(below: 10) {
        case 0: return [Int32.min, Int32.max, 0, 1, -1][nextInt(below: 5)]
        default: return Int32(truncatingIfNeeded: next())
        }
    }
}

/// Per-channel requantization parameters held as Swift arrays.
struct Requantization {
    var multiplier: [Int32]
    var shift: [Int32]
    var outputZeroPoint: Int32
    var outputMin: Int32
    var outputMax: Int32

    /// Channels whose real multiplier is about `typicalScale`·2^u, u uniform in [−3, 3]: most outputs
    /// land inside int8, the rest saturate. One channel in five gets a multiplier above 1 (left
    /// shift), saturating almost always. Random zero point and a random clamp.
    static func random(channels: Int, typicalScale: Double, using rng: inout SeededRandom) -> Requantization {
        var multipliers: [Int32] = []
        var shifts: [Int32] = []
        for _ in 0..<channels {
            let exponent = rng.nextInt(below: 5) == 0 ? Double(rng.int(in: 0...3)) : Double(rng.nextFloat(in: -3, 3))
            let real = rng.nextInt(below: 5) == 0 ? pow2(exponent) : typicalScale * pow2(exponent)
            var multiplier: Int32 = 0
            var shift: Int32 = 0
            let status = ffem_quantize_multiplier(real, &multiplier, &shift)
            precondition(status == 0)
            multipliers.append(multiplier)
            shifts.append(shift)
        }
        let zeroPoint = Int32(rng.int(in: -128...127))
        let low = Int32(rng.nextInt(below: 3) == 0 ? rng.int(in: -128...0) : -128)
        let high = Int32(rng.nextInt(below: 3) == 0 ? rng.int(in: Int(low)...127) : 127)
        return Requantization(multiplier: multipliers, shift: shifts, outputZeroPoint: zeroPoint, outputMin: low, outputMax: high)
    }

    /// Any multiplier and shift at all (including negative and Int32.min multipliers): the SIMD
    /// requantization must equal the scalar one lane for lane even outside the quantizer's range.
    static func arbitrary(channels: Int, using rng: inout SeededRandom) -> Requantization {
        Requantization(multiplier: (0..<channels).map { _ in rng.anyInt32() },
                       shift: (0..<channels).map { _ in Int32(rng.int(in: -31...30)) },
                       outputZeroPoint: Int32(rng.int(in: -128...127)), outputMin: -128, outputMax: 127)
    }

    func reference(_ acc: Int32, channel: Int) -> Int8 {
        FixedPointReference.requantize(acc, multiplier: multiplier[channel], shift: Int(shift[channel]),
                                       outputZeroPoint: outputZeroPoint, outputMin: outputMin, outputMax: outputMax)
    }

    func withParams<R>(_ body: (UnsafePointer<ffem_qs8_requant_params>) -> R) -> R {
        multiplier.withUnsafeBufferPointer { m in
            shift.withUnsafeBufferPointer { s in
                var params = ffem_qs8_requant_params(multiplier: m.baseAddress, shift: s.baseAddress,
                                                     output_zero_point: outputZeroPoint, output_min: outputMin,
                                                     output_max: outputMax)
                return withUnsafePointer(to: &params) { body($0) }
            }
        }
    }
}

func pow2(_ exponent: Double) -> Double {
    // 2^e for |e| ≤ 64 without Foundation: integer part by repeated doubling, fraction by a short series.
    var result = 1.0
    let whole = Int(exponent.rounded(.down))
    let fraction = exponent - Double(whole)
    for _ in 0..<abs(whole) { result = whole > 0 ? result * 2 : result / 2 }
    var term = 1.0, series = 1.0
    for n in 1...20 {
        term *= fraction * 0.6931471805599453 / Double(n)
        series += term
    }
    return result * series
}

/// Failure text naming the first mismatching element.
func firstMismatch<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
    guard actual.count == expected.count else { return "count \(actual.count) ≠ \(expected.count)" }
    for i in actual.indices where actual[i] != expected[i] {
        return "element \(i): got \(actual[i]), expected \(expected[i])"
    }
    return nil
}
