// CFFEMKernels — ffem_qs8_conv3x3_minmax_ukernel_16__avx512vnni: standard 3×3 convolution (the stem),
// 16 output channels per step (tile nr 16, FFEM_CONV3X3_LAYOUT_INT16_PAIRS). Each output pixel's
// window is gathered as int16 (zero point in the padding), and every int16 pair of it, broadcast,
// meets the 16 channels' weight pairs in one vpdpwssd. |x·w| ≤ 128·127 and the window is at most
// 9·1024 values: exact in int32.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx512.h"
#include "../qs8-dwconv/dwconv3x3-taps.h"
#include "conv3x3-window.h"

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_conv3x3_minmax_ukernel_16__avx512vnni(
    const ffem_qs8_conv3x3_geometry *g, const int8_t *input, const void *packed_weights, int8_t *output,
    const ffem_qs8_requant_params *params) {
  enum { NR = 16, CHUNK = 256 };
  const size_t ci = g->input_channels, co = g->output_channels, window = 9 * ci, pairs = (window + 1) / 2;
  const ffem_output_stage_avx512 stage =
      ffem_output_stage_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  int16_t values[CHUNK + 2];
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t o0 = 0; o0 < co; o0 += NR) {
    const size_t lanes = co - o0 < NR ? co - o0 : NR;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const ffem_requant_avx512 r = ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask, params->multiplier + o0),
                                                              _mm512_maskz_loadu_epi32(mask, params->shift + o0));
    const __m512i bias = _mm512_loadu_si512(block);
    const __m512i *w = (const __m512i *)(block + NR * sizeof(int32_t));
    for (size_t oy = 0; oy < g->output_height; oy++) {
      const int8_t *rows[3];
      ffem_dwconv3x3_rows(g, input, oy, rows);
      for (size_t ox = 0; ox < g->output_width; ox++) {
        const int8_t *taps[9];
        ffem_dwconv3x3_taps(g, rows, ox, taps);
        __m512i acc = bias;
        for (size_t first = 0; first < window; first += CHUNK) {
          const size_t count = window - first < CHUNK ? window - first : CHUNK;
          ffem_conv3x3_window(taps, ci, g->input_zero_point, first, count, values);
          for (size_t q = 0; q < (count + 1) / 2; q++) {
            acc = _mm512_dpwssd_epi32(acc, _mm512_set1_epi32(ffem_conv3x3_pair(values, q)), _mm512_loadu_si512(w + first / 2 + q));
          }
        }
        _mm_mask_storeu_epi8(output + (oy * g->output_width + ox) * co + o0, mask,
                             ffem_output_avx512(ffem_mbqm_avx512(acc, &r), &stage));
      }
    }
    block += NR * sizeof(int32_t) + pairs * NR * 2 * sizeof(int16_t);
  }
}
#endif
