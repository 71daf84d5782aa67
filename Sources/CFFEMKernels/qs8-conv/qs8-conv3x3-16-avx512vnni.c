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
  const size_t block_bytes = NR * sizeof(int32_t) + pairs * NR * 2 * sizeof(int16_t);
  const int is_one_chunk = window <= CHUNK;
  const ffem_output_stage_avx512 stage =
      ffem_output_stage_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  int16_t values[CHUNK + 2];
  // Pixel by pixel; a window that fits one chunk (the stem: 27 values) is gathered once and
  // shared by every block of 16 output channels.
  for (size_t oy = 0; oy < g->output_height; oy++) {
    const int8_t *rows[3];
    ffem_dwconv3x3_rows(g, input, oy, rows);
    for (size_t ox = 0; ox < g->output_width; ox++) {
      const int8_t *taps[9];
      ffem_dwconv3x3_taps(g, rows, ox, taps);
      if (is_one_chunk) ffem_conv3x3_window(taps, ci, g->input_zero_point, 0, window, values);
      int8_t *out = output + (oy * g->output_width + ox) * co;
      const uint8_t *block = (const uint8_t *)packed_weights;
      for (size_t o0 = 0; o0 < co; o0 += NR) {
        const size_t lanes = co - o0 < NR ? co - o0 : NR;
        const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
        const __m512i *w = (const __m512i *)(block + NR * sizeof(int32_t));
        // Two accumulators (even and odd pairs) halve the vpdpwssd dependency chain.
        __m512i acc = _mm512_loadu_si512(block), acc_odd = _mm512_setzero_si512();
        for (size_t first = 0; first < window; first += CHUNK) {
          const size_t count = window - first < CHUNK ? window - first : CHUNK;
          if (!is_one_chunk) ffem_conv3x3_window(taps, ci, g->input_zero_point, first, count, values);
          const size_t chunk_pairs = (count + 1) / 2;
          size_t q = 0;
          for (; q + 2 <= chunk_pairs; q += 2) {
            acc = _mm512_dpwssd_epi32(acc, _mm512_set1_epi32(ffem_conv3x3_pair(values, q)), _mm512_loadu_si512(w + first / 2 + q));
            acc_odd = _mm512_dpwssd_epi32(acc_odd, _mm512_set1_epi32(ffem_conv3x3_pair(values, q + 1)),
                                          _mm512_loadu_si512(w + first / 2 + q + 1));
          }
          if (q < chunk_pairs) {
            acc = _mm512_dpwssd_epi32(acc, _mm512_set1_epi32(ffem_conv3x3_pair(values, q)), _mm512_loadu_si512(w + first / 2 + q));
          }
        }
        acc = _mm512_add_epi32(acc, acc_odd);
        const ffem_requant_avx512 r = ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask, params->multiplier + o0),
                                                                  _mm512_maskz_loadu_epi32(mask, params->shift + o0));
        _mm_mask_storeu_epi8(out + o0, mask, ffem_output_avx512(ffem_mbqm_avx512(acc, &r), &stage));
        block += block_bytes;
      }
    }
  }
}
#endif
