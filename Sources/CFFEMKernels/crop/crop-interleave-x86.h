// CFFEMKernels — byte shuffles of the x86 crop kernels (internal, SSSE3 pshufb; every x86 crop ISA
// includes SSSE3): sample words → channel planes (the split stage of crop-plan.h), and planar R, G, B
// bytes → RGB24.
#ifndef FFEM_CROP_INTERLEAVE_X86_H
#define FFEM_CROP_INTERLEAVE_X86_H
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "crop-plan.h"

/// Byte q (0…47) of the RGB24 output of 16 pixels is channel q mod 3 of pixel ⌊q/3⌋. Output vector
/// k gathers from channel c the pixels listed in ffem_rgb24_shuffle[k][c] (−1: zero, ORed away).
static const int8_t ffem_rgb24_shuffle[3][3][16] = {
    {{0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1, -1, 5},
     {-1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1, -1},
     {-1, -1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1}},
    {{-1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1, 10, -1},
     {5, -1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1, 10},
     {-1, 5, -1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1}},
    {{-1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15, -1, -1},
     {-1, -1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15, -1},
     {10, -1, -1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15}},
};

/// Stores pixels [0, count) of the 16 planar pixels r, g, b as RGB24 at out (3·count bytes, count ≤ 16).
static inline __attribute__((always_inline, target("ssse3"))) void ffem_store_rgb24_x16(__m128i r, __m128i g,
                                                                                          __m128i b, uint8_t *out,
                                                                                          uint32_t count) {
  __m128i v[3];
  for (int k = 0; k < 3; k++) {
    const __m128i mr = _mm_loadu_si128((const __m128i *)ffem_rgb24_shuffle[k][0]);
    const __m128i mg = _mm_loadu_si128((const __m128i *)ffem_rgb24_shuffle[k][1]);
    const __m128i mb = _mm_loadu_si128((const __m128i *)ffem_rgb24_shuffle[k][2]);
    v[k] = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(r, mr), _mm_shuffle_epi8(g, mg)), _mm_shuffle_epi8(b, mb));
  }
  if (count == 16) {
    _mm_storeu_si128((__m128i *)out, v[0]);
    _mm_storeu_si128((__m128i *)(out + 16), v[1]);
    _mm_storeu_si128((__m128i *)(out + 32), v[2]);
  } else {
    uint8_t staged[48];
    _mm_storeu_si128((__m128i *)staged, v[0]);
    _mm_storeu_si128((__m128i *)(staged + 16), v[1]);
    _mm_storeu_si128((__m128i *)(staged + 32), v[2]);
    memcpy(out, staged, 3 * (size_t)count);
  }
}
/// The split stage (crop-plan.h, ffem_crop_split_fn) for `count` words (a multiple of 16). Per 4
/// words one pshufb gathers [c0 ×4 | c1 ×4 | c2 ×4 | 0 ×4]; its indices are the layout's positions
/// plus, in the adjusted channels' lanes, each word's adjust byte (broadcast by pshufd). A 4×4
/// transpose of 32-bit lanes over 16 words then gives 16 bytes per channel.
static inline __attribute__((target("ssse3"))) void ffem_crop_split_words_ssse3(size_t count, const uint32_t *words,
                                                                                const uint8_t *adjust,
                                                                                ffem_crop_word_layout layout,
                                                                                uint8_t *c0, uint8_t *c1, uint8_t *c2) {
  int8_t pick[16], adjusted[16];
  for (int c = 0; c < 3; c++) {
    for (int i = 0; i < 4; i++) {
      pick[4 * c + i] = (int8_t)(layout.position[c] + 4 * i);
      adjusted[4 * c + i] = (int8_t)((layout.adjusted_channels >> c) & 1 ? -1 : 0);
    }
  }
  for (int i = 12; i < 16; i++) pick[i] = -1, adjusted[i] = 0;
  const __m128i base = _mm_loadu_si128((const __m128i *)pick), lanes = _mm_loadu_si128((const __m128i *)adjusted);
  for (size_t k = 0; k < count; k += 16) {
    __m128i v[4];
    for (int q = 0; q < 4; q++) {
      int32_t four;
      memcpy(&four, adjust + k + 4 * q, 4);
      const __m128i offsets = _mm_and_si128(_mm_shuffle_epi32(_mm_cvtsi32_si128(four), 0), lanes);
      v[q] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(words + k + 4 * q)), _mm_add_epi8(base, offsets));
    }
    const __m128i lo01 = _mm_unpacklo_epi32(v[0], v[1]), lo23 = _mm_unpacklo_epi32(v[2], v[3]);  // c0 c0 c1 c1
    const __m128i hi01 = _mm_unpackhi_epi32(v[0], v[1]), hi23 = _mm_unpackhi_epi32(v[2], v[3]);  // c2 c2 0 0
    _mm_storeu_si128((__m128i *)(c0 + k), _mm_unpacklo_epi64(lo01, lo23));
    _mm_storeu_si128((__m128i *)(c1 + k), _mm_unpackhi_epi64(lo01, lo23));
    _mm_storeu_si128((__m128i *)(c2 + k), _mm_unpacklo_epi64(hi01, hi23));
  }
}
#endif
#endif
