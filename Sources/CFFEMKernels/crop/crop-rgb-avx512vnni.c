// CFFEMKernels — ffem_crop_rgb_ukernel__avx512vnni: the crop as gather + convert + blend
// (crop-plan.h) on 16 int32 lanes (AVX-512 F+BW; filled under the avx512vnni ISA bit, which
// implies them). Bit-exact with ffem_crop_rgb_ukernel__scalar.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "crop-interleave-x86.h"
#include "crop-plan.h"
#include "crop-yuv-coefficients.h"

#define FFEM_AVX512 "avx512f,avx512bw,avx512vl,avx512vnni"

/// 16 int32 lanes → 16 bytes clamped to [0, 255] (clamp, then the exact truncating vpmovdb).
static inline __attribute__((always_inline, target(FFEM_AVX512))) __m128i clamp_u8_x16(__m512i x) {
  return _mm512_cvtepi32_epi8(_mm512_min_epi32(_mm512_max_epi32(x, _mm512_setzero_si512()), _mm512_set1_epi32(255)));
}

__attribute__((target(FFEM_AVX512))) static void convert_yuv(size_t count, const uint8_t *y, const uint8_t *u,
                                                             const uint8_t *v, ffem_yuv_range range, uint8_t *r,
                                                             uint8_t *g, uint8_t *b) {
  const ffem_yuv_coefficients k = ffem_yuv_coefficients_of(range);
  const __m512i y_offset = _mm512_set1_epi32(k.y_offset), y_scale = _mm512_set1_epi32(k.y_scale);
  const __m512i v_to_r = _mm512_set1_epi32(k.v_to_r), u_to_g = _mm512_set1_epi32(k.u_to_g);
  const __m512i v_to_g = _mm512_set1_epi32(k.v_to_g), u_to_b = _mm512_set1_epi32(k.u_to_b);
  const __m512i half = _mm512_set1_epi32(128);
  for (size_t i = 0; i < count; i += 16) {
    const __m512i yi = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(y + i)));
    const __m512i d = _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(u + i))), half);
    const __m512i e = _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(v + i))), half);
    const __m512i c = _mm512_add_epi32(_mm512_mullo_epi32(_mm512_sub_epi32(yi, y_offset), y_scale), half);
    const __m512i rr = _mm512_srai_epi32(_mm512_add_epi32(c, _mm512_mullo_epi32(e, v_to_r)), 8);
    const __m512i gg = _mm512_srai_epi32(
        _mm512_add_epi32(_mm512_add_epi32(c, _mm512_mullo_epi32(d, u_to_g)), _mm512_mullo_epi32(e, v_to_g)), 8);
    const __m512i bb = _mm512_srai_epi32(_mm512_add_epi32(c, _mm512_mullo_epi32(d, u_to_b)), 8);
    _mm_storeu_si128((__m128i *)(r + i), clamp_u8_x16(rr));
    _mm_storeu_si128((__m128i *)(g + i), clamp_u8_x16(gg));
    _mm_storeu_si128((__m128i *)(b + i), clamp_u8_x16(bb));
  }
}

/// One channel of output columns [j, j+16): (top·wy0 + bottom·wy1 + 2^21) >> 22 with top and bottom
/// the horizontal pair sums (vpmaddwd of samples and weights, ≤ 255·2^11 each); results ≤ 255.
static inline __attribute__((always_inline, target(FFEM_AVX512))) __m128i blend_x16(const int16_t *weight,
                                                                                     const uint8_t *top,
                                                                                     const uint8_t *bottom,
                                                                                     __m512i wy0, __m512i wy1) {
  const __m512i w = _mm512_loadu_si512((const void *)weight);
  const __m512i t = _mm512_madd_epi16(_mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)top)), w);
  const __m512i b = _mm512_madd_epi16(_mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)bottom)), w);
  const __m512i sum = _mm512_add_epi32(_mm512_add_epi32(_mm512_mullo_epi32(t, wy0), _mm512_mullo_epi32(b, wy1)),
                                       _mm512_set1_epi32(1 << 21));
  return _mm512_cvtepi32_epi8(_mm512_srli_epi32(sum, 22));
}

__attribute__((target(FFEM_AVX512))) static void blend_row(const ffem_crop_plan *plan, const ffem_crop_row *top,
                                                           const ffem_crop_row *bottom, int32_t wy1, uint8_t *out) {
  const __m512i wy1v = _mm512_set1_epi32(wy1), wy0v = _mm512_set1_epi32(2048 - wy1);
  const uint32_t n = plan->n;
  for (uint32_t j = 0; j < n; j += 16) {
    __m128i rgb[3];
    for (uint32_t c = 0; c < plan->channel_count; c++) {
      rgb[c] = blend_x16(plan->weight + 2 * j, top->rgb[c] + 2 * j, bottom->rgb[c] + 2 * j, wy0v, wy1v);
    }
    if (plan->channel_count == 1) rgb[1] = rgb[2] = rgb[0];  // grey: R = G = B
    ffem_store_rgb24_x16(rgb[0], rgb[1], rgb[2], out + 3 * (size_t)j, n - j < 16 ? n - j : 16);
  }
}

__attribute__((target(FFEM_AVX512))) void ffem_crop_rgb_ukernel__avx512vnni(const ffem_image_view *image,
                                                                            ffem_box_q16 box, uint32_t n, int mirror,
                                                                            uint8_t *out) {
  ffem_crop_run(image, box, n, mirror, out, ffem_crop_split_words_ssse3, convert_yuv, blend_row);
}
#undef FFEM_AVX512
#endif
