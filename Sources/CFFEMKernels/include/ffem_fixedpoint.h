// CFFEMKernels — the integer numeric contract (../shared/DESIGN.md §7), written once, in scalar C.
//
// Every int8 kernel of every ISA requantizes with exactly these primitives. The SIMD kernels
// reproduce them lane for lane; the Swift reference (FFEMRuntime/FixedPointReference.swift)
// re-derives them in 64-bit arithmetic, and the testers demand equality, never tolerance.
//
// The contract is TFLite's int8 specification with gemmlowp's *double* rounding (TFLite without
// TFLITE_SINGLE_ROUNDING): a real multiplier r > 0 is stored as (M, shift) with
//     r ≈ M · 2^shift / 2^31,   M ∈ [2^30, 2^31),   shift ∈ [FFEM_SHIFT_MIN, FFEM_SHIFT_MAX]
// (TFLite's sign convention: shift > 0 is a left shift, shift < 0 a right shift), and an int32
// accumulator x is mapped to
//     y = RDBPOT(SRDHM(x · 2^max(shift,0), M), max(−shift,0))
//     out = clamp(y + output_zero_point, output_min, output_max).
#ifndef FFEM_FIXEDPOINT_H
#define FFEM_FIXEDPOINT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Largest left shift (shift > 0) a multiplier may carry: real multipliers below 2^30.
#define FFEM_SHIFT_MAX 30
/// Most negative shift (a right shift by 31): real multipliers down to 2^-32.
#define FFEM_SHIFT_MIN (-31)

/// Saturating Rounding Doubling High Multiply (gemmlowp `SaturatingRoundingDoublingHighMul`).
///
/// Read a and b as Q0.31 fixed-point numbers, a/2^31 and b/2^31 in [−1, 1). The result is their
/// product in the same format: the high 32 bits of the doubled 64-bit product 2·a·b, i.e.
///     SRDHM(a, b) = round_half_up(a · b / 2^31).
/// "Doubling" because the 64-bit product of two Q0.31 numbers is Q1.62 and taking its high word
/// needs one more left shift; "high" because only those 32 bits are kept; "rounding" because the
/// discarded 31 bits round the result: exact halves go towards +∞ (−2.5 → −2, 2.5 → 3), which is
/// what gemmlowp's nudge (2^30 for ab ≥ 0, 1 − 2^30 otherwise, then a truncating division)
/// computes and what `(a·b + 2^30) >> 31` (arithmetic shift, i.e. floor) computes too.
/// "Saturating" because one input pair overflows: (−1)·(−1) = +1 is not representable, so
/// SRDHM(INT32_MIN, INT32_MIN) = INT32_MAX. That is the only saturating case.
///
/// Valid for every int32 a, b. Matches ARM `sqrdmulh` (vqrdmulhq_s32) exactly. On x86 there is
/// no single instruction: the kernels use pmuldq (`_mm_mul_epi32`) on even and odd lanes, add
/// 2^30, take bits 31..62 and fix the saturating lane.
static inline int32_t ffem_srdhm_s32(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t ab = (int64_t)a * (int64_t)b;
  const int64_t nudge = ab >= 0 ? (INT64_C(1) << 30) : (INT64_C(1) - (INT64_C(1) << 30));
  return (int32_t)((ab + nudge) / (INT64_C(1) << 31));
}

/// Rounding Divide By Power Of Two (gemmlowp `RoundingDivideByPOT`).
///
/// x / 2^exponent rounded to the nearest integer, exact halves away from zero
/// (5/2 → 3, −5/2 → −3, −3/2 → −2). Computed without overflow as
///     (x >> exponent) + (remainder > threshold),  remainder = x & (2^exponent − 1),
///     threshold = (2^exponent − 1) >> 1, plus one when x < 0,
/// where >> is the arithmetic (flooring) shift.
///
/// Valid for every int32 x and exponent ∈ [0, 31]; exponent 0 returns x. Note the rounding
/// differs from ARM `srshl`/`vrshlq_s32` (halves towards +∞): NEON kernels need gemmlowp's
/// fix-up (subtract 1 from negative lanes before the rounding shift). x86 has no rounding shift;
/// the kernels use psrad/vpsravd plus this remainder comparison.
static inline int32_t ffem_rdbpot_s32(int32_t x, int32_t exponent) {
  const int32_t mask = (int32_t)((UINT32_C(1) << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/// The left-shift step of the requantization: x · 2^left_shift, wrapping modulo 2^32.
///
/// Decision (the same on every ISA): the multiplication wraps like TFLite's
/// `x * (1 << left_shift)` does on every compiler in practice, like x86 `pslld`/`vpsllvd` and
/// ARM `shl`/`vshlq_s32` (the non-saturating forms). It is computed on uint32 here because
/// signed overflow is undefined in C. A wrapped value is meaningless, so the quantizer must keep
/// |x| · 2^left_shift < 2^31 for every accumulator it can produce (TFLite ADD uses left_shift 20
/// on 9-bit inputs; conv multipliers above 1 are rare and small). left_shift ∈ [0, FFEM_SHIFT_MAX].
static inline int32_t ffem_shift_left_wrapping_s32(int32_t x, int32_t left_shift) {
  return (int32_t)((uint32_t)x << left_shift);
}

/// TFLite `MultiplyByQuantizedMultiplier` (double rounding):
///     RDBPOT(SRDHM(x · 2^max(shift,0), multiplier), max(−shift, 0))
/// ≈ x · multiplier · 2^shift / 2^31. multiplier ∈ [2^30, 2^31) (or 0 for a real multiplier
/// below 2^-32, see ffem_quantize_multiplier), shift ∈ [FFEM_SHIFT_MIN, FFEM_SHIFT_MAX].
static inline int32_t ffem_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left_shift = shift > 0 ? shift : 0;
  const int32_t right_shift = shift > 0 ? 0 : -shift;
  return ffem_rdbpot_s32(ffem_srdhm_s32(ffem_shift_left_wrapping_s32(x, left_shift), multiplier), right_shift);
}

/// Requantization of one int32 accumulator to int8:
///     out = clamp(output_zero_point + MultiplyByQuantizedMultiplier(acc, multiplier, shift),
///                 output_min, output_max)
/// with the sum taken in exact integer arithmetic (no wrap; output_zero_point ∈ [−128, 127],
/// −128 ≤ output_min ≤ output_max ≤ 127). SIMD kernels compute the same value as
/// clamp(y, output_min − zp, output_max − zp) + zp, which never overflows int32.
static inline int8_t ffem_requantize_s32(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_zero_point,
                                         int32_t output_min, int32_t output_max) {
  const int64_t y = (int64_t)ffem_multiply_by_quantized_multiplier(acc, multiplier, shift) + output_zero_point;
  return (int8_t)(y < output_min ? output_min : (y > output_max ? output_max : y));
}

/// Result codes of ffem_quantize_multiplier.
enum {
  FFEM_QUANTIZE_MULTIPLIER_OK = 0,
  FFEM_QUANTIZE_MULTIPLIER_NOT_FINITE_OR_NEGATIVE = 1,  ///< NaN, ±∞ or < 0
  FFEM_QUANTIZE_MULTIPLIER_TOO_LARGE = 2,               ///< ≥ 2^30 after rounding (shift > FFEM_SHIFT_MAX)
};

/// TFLite `QuantizeMultiplier`: the (multiplier, shift) pair of a real multiplier r ≥ 0, with
///     r = q · 2^shift, q ∈ [0.5, 1),   multiplier = round_half_away(q · 2^31) ∈ [2^30, 2^31]
/// and, when rounding reaches 2^31, multiplier = 2^30 and shift + 1. Then
///     |multiplier · 2^shift / 2^31 − r| ≤ 2^-32 · 2^shift.
/// r = 0 gives (0, 0). A real multiplier below 2^-32 (shift < FFEM_SHIFT_MIN) gives (0, 0) as in
/// TFLite: every accumulator then maps to the output zero point.
///
/// Deterministic on every platform: only exact operations (scaling by 2, one addition of 0.5 to
/// a value whose ulp is at most 2^-21) and no libm, so the quantizer and the runtime agree.
static inline int ffem_quantize_multiplier(double real_multiplier, int32_t *multiplier, int32_t *shift) {
  *multiplier = 0;
  *shift = 0;
  if (!(real_multiplier >= 0.0) || real_multiplier > 1e300) return FFEM_QUANTIZE_MULTIPLIER_NOT_FINITE_OR_NEGATIVE;
  if (real_multiplier == 0.0) return FFEM_QUANTIZE_MULTIPLIER_OK;
  double q = real_multiplier;
  int32_t exponent = 0;
  while (q >= 1.0) { q *= 0.5; exponent += 1; }
  while (q < 0.5) { q *= 2.0; exponent -= 1; }
  int64_t q_fixed = (int64_t)(q * 2147483648.0 + 0.5);  // q·2^31 ≥ 2^30 > 0: truncation = floor
  if (q_fixed == (INT64_C(1) << 31)) { q_fixed /= 2; exponent += 1; }
  if (exponent < FFEM_SHIFT_MIN) return FFEM_QUANTIZE_MULTIPLIER_OK;
  if (exponent > FFEM_SHIFT_MAX) return FFEM_QUANTIZE_MULTIPLIER_TOO_LARGE;
  *multiplier = (int32_t)q_fixed;
  *shift = exponent;
  return FFEM_QUANTIZE_MULTIPLIER_OK;
}

#ifdef __cplusplus
}
#endif
#endif
