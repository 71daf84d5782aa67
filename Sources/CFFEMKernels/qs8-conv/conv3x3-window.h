// CFFEMKernels — the 3×3·input_channels window of one output pixel as int16 (shared by the SIMD stem kernels). Internal.
#ifndef FFEM_CONV3X3_WINDOW_H
#define FFEM_CONV3X3_WINDOW_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/// Window values [first, first + count) in OHWI order (index = tap·input_channels + ci) as int16
/// into `values`, taps in the padding (NULL) reading as `zero_point`; an odd count is followed by
/// one 0 so that values can be read as int16 pairs.
static inline __attribute__((always_inline)) void ffem_conv3x3_window(const int8_t *const taps[9], size_t input_channels,
                                                                      int32_t zero_point, size_t first, size_t count,
                                                                      int16_t *values) {
  size_t tap = first / input_channels, ci = first % input_channels, i = 0;
  while (i < count) {
    const size_t run = input_channels - ci < count - i ? input_channels - ci : count - i;
    const int8_t *pixel = taps[tap];
    if (pixel) {
      for (size_t j = 0; j < run; j++) values[i + j] = pixel[ci + j];
    } else {
      for (size_t j = 0; j < run; j++) values[i + j] = (int16_t)zero_point;
    }
    i += run;
    ci = 0;
    tap++;
  }
  if (count % 2 != 0) values[count] = 0;
}

/// Window values 2q and 2q + 1 as one int32 (low half 2q): the operand vpdpwssd/pmaddwd pair.
static inline __attribute__((always_inline)) int32_t ffem_conv3x3_pair(const int16_t *values, size_t q) {
  int32_t pair;
  memcpy(&pair, values + 2 * q, sizeof(pair));
  return pair;
}
#endif
