// CFFEMKernels — one axis of the crop's sampling grid (internal; contract in ffem_image.h).
// Shared by the scalar oracle (crop-scalar.c) and the SIMD crop plan (crop-plan.c), so both sample
// exactly the same source pixels with exactly the same weights.
#ifndef FFEM_CROP_AXIS_H
#define FFEM_CROP_AXIS_H
#include <stdint.h>

/// The two clamped source indices of one output sample and the 11-bit weight of the second.
typedef struct ffem_axis_tap {
  uint32_t i0, i1;
  int32_t w1;  ///< in [0, 2048]; the first index weighs 2048 − w1
} ffem_axis_tap;

/// Sample k of n over [lo, hi) (Q16 edges) in a source of `size` pixels:
///   s_q16 = lo + floor((2k+1)(hi−lo) / 2n) − 32768;  w1 = round(frac(s) · 2048).
/// (hi − lo < 2^37 and 2k+1 < 2^11, so the product stays below 2^48.)
static inline ffem_axis_tap ffem_axis_tap_at(int64_t lo, int64_t hi, uint32_t k, uint32_t n, uint32_t size) {
  const int64_t s = lo + ((int64_t)(2 * k + 1) * (hi - lo)) / (2 * (int64_t)n) - 32768;
  const int64_t i0 = s >> 16;  // floor
  const int64_t last = (int64_t)size - 1;
  ffem_axis_tap tap;
  tap.i0 = (uint32_t)(i0 < 0 ? 0 : (i0 > last ? last : i0));
  tap.i1 = (uint32_t)(i0 + 1 < 0 ? 0 : (i0 + 1 > last ? last : i0 + 1));
  tap.w1 = (int32_t)(((s & 0xFFFF) + 16) >> 5);
  return tap;
}
#endif
