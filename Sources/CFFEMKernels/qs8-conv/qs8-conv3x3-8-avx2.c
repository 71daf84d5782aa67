// CFFEMKernels — ffem_qs8_conv3x3_minmax_ukernel_8__avx2: standard 3×3 convolution (the stem), 8 output
// channels per step (tile nr 8, FFEM_CONV3X3_LAYOUT_INT16_PAIRS). Each output pixel's window is
// gathered as int16 (zero point in the padding), and every int16 pair of it, broadcast, meets the
// 8 channels' weight pairs in one vpmaddwd. |x·w| ≤ 128·127 and the window is at most 9·1024
// values: exact in int32.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"
#include "../qs8-dwconv/dwconv3x3-taps.h"
#include "conv3x3-window.h"

__attribute__((target("avx2"))) void ffem_qs8_conv3x3_minmax_ukernel_8__avx2(const ffem_qs8_conv3x3_geometry *g,
                                                                              const int8_t *input,
                                                                              const void *packed_weights,
                                                                              int8_t *output,
                                                                              const ffem_qs8_requant_params *params) {
  enum { NR = 8, CHUNK = 256 };
  const size_t ci = g->input_channels, co = g->output_channels, window = 9 * ci, pairs = (window + 1) / 2;
  const ffem_output_stage_avx2 stage =
      ffem_output_stage_avx2_make(params->output_zero_point, params->output_min, params->output_max);
  int16_t values[CHUNK + 2];
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t o0 = 0; o0 < co; o0 += NR) {
    const size_t lanes = co - o0 < NR ? co - o0 : NR;
    int32_t multiplier[NR] = {0}, shift[NR] = {0};
    memcpy(multiplier, params->multiplier + o0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + o0, lanes * sizeof(int32_t));
    const ffem_requant_avx2 r = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)multiplier),
                                                          _mm256_loadu_si256((const __m256i *)shift));
    const __m256i bias = _mm256_loadu_si256((const __m256i *)block);
    const __m256i *w = (const __m256i *)(block + NR * sizeof(int32_t));
    for (size_t oy = 0; oy < g->output_height; oy++) {
      const int8_t *rows[3];
      ffem_dwconv3x3_rows(g, input, oy, rows);
      for (size_t ox = 0; ox < g->output_width; ox++) {
        const int8_t *taps[9];
        ffem_dwconv3x3_taps(g, rows, ox, taps);
        __m256i acc = bias;
        for (size_t first = 0; first < window; first += CHUNK) {
          const size_t count = window - first < CHUNK ? window - first : CHUNK;
          ffem_conv3x3_window(taps, ci, g->input_zero_point, first, count, values);
          for (size_t q = 0; q < (count + 1) / 2; q++) {
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_set1_epi32(ffem_conv3x3_pair(values, q)),
                                                          _mm256_loadu_si256(w + first / 2 + q)));
          }
        }
        const int64_t bytes = _mm_cvtsi128_si64(ffem_narrow_s32_to_s8_avx2(ffem_output_avx2(ffem_mbqm_avx2(acc, &r), &stage)));
        ffem_copy_partial(output + (oy * g->output_width + ox) * co + o0, &bytes, lanes, 8);
      }
    }
    block += NR * sizeof(int32_t) + pairs * NR * 2 * sizeof(int16_t);
  }
}
#endif
