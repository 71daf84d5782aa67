// CFFEMKernels — ffem_crop_rgb_ukernel__avx2: the crop as gather + convert + blend (crop-plan.h) on
// 8 int32 lanes. Bit-exact with ffem_crop_rgb_ukernel__scalar.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "crop-interleave-x86.h"
#include "crop-plan.h"
#include "crop-yuv-coefficients.h"

/// Lanes 0…7 of a then 0…7 of b (values in int16 range) → 16 bytes clamped to [0, 255], in order.
/// (vpackssdw works per 128-bit half; vpermq 0xD8 puts the quarters back in order.)
static inline __attribute__((always_inline, target("avx2"))) __m128i pack_u8_x16(__m256i a, __m256i b) {
  const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);
  return _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
}

__attribute__((target("avx2"))) static void convert_yuv(size_t count, const uint8_t *y, const uint8_t *u,
                                                        const uint8_t *v, ffem_yuv_range range, uint8_t *r, uint8_t *g,
                                                        uint8_t *b) {
  const ffem_yuv_coefficients k = ffem_yuv_coefficients_of(range);
  const __m256i y_offset = _mm256_set1_epi32(k.y_offset), y_scale = _mm256_set1_epi32(k.y_scale);
  const __m256i v_to_r = _mm256_set1_epi32(k.v_to_r), u_to_g = _mm256_set1_epi32(k.u_to_g);
  const __m256i v_to_g = _mm256_set1_epi32(k.v_to_g), u_to_b = _mm256_set1_epi32(k.u_to_b);
  const __m256i half = _mm256_set1_epi32(128);
  for (size_t i = 0; i < count; i += 16) {
    __m256i rr[2], gg[2], bb[2];
    for (int h = 0; h < 2; h++) {
      const size_t at = i + 8 * (size_t)h;
      const __m256i yh = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(y + at)));
      const __m256i d = _mm256_sub_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(u + at))), half);
      const __m256i e = _mm256_sub_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(v + at))), half);
      const __m256i c = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_sub_epi32(yh, y_offset), y_scale), half);
      rr[h] = _mm256_srai_epi32(_mm256_add_epi32(c, _mm256_mullo_epi32(e, v_to_r)), 8);
      gg[h] = _mm256_srai_epi32(
          _mm256_add_epi32(_mm256_add_epi32(c, _mm256_mullo_epi32(d, u_to_g)), _mm256_mullo_epi32(e, v_to_g)), 8);
      bb[h] = _mm256_srai_epi32(_mm256_add_epi32(c, _mm256_mullo_epi32(d, u_to_b)), 8);
    }
    _mm_storeu_si128((__m128i *)(r + i), pack_u8_x16(rr[0], rr[1]));
    _mm_storeu_si128((__m128i *)(g + i), pack_u8_x16(gg[0], gg[1]));
    _mm_storeu_si128((__m128i *)(b + i), pack_u8_x16(bb[0], bb[1]));
  }
}

/// One channel of output columns [j, j+16): (top·wy0 + bottom·wy1 + 2^21) >> 22 with top and bottom
/// the horizontal pair sums (vpmaddwd of samples and weights, ≤ 255·2^11 each).
static inline __attribute__((always_inline, target("avx2"))) __m128i blend_x16(const int16_t *weight,
                                                                                const uint8_t *top,
                                                                                const uint8_t *bottom, __m256i wy0,
                                                                                __m256i wy1) {
  const __m256i rounding = _mm256_set1_epi32(1 << 21);
  __m256i out[2];
  for (int h = 0; h < 2; h++) {
    const __m256i w = _mm256_loadu_si256((const __m256i *)(weight + 16 * h));
    const __m256i t = _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(top + 16 * h))), w);
    const __m256i b = _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(bottom + 16 * h))), w);
    const __m256i sum =
        _mm256_add_epi32(_mm256_add_epi32(_mm256_mullo_epi32(t, wy0), _mm256_mullo_epi32(b, wy1)), rounding);
    out[h] = _mm256_srli_epi32(sum, 22);
  }
  return pack_u8_x16(out[0], out[1]);
}

__attribute__((target("avx2"))) static void blend_row(const ffem_crop_plan *plan, const ffem_crop_row *top,
                                                      const ffem_crop_row *bottom, int32_t wy1, uint8_t *out) {
  const __m256i wy1v = _mm256_set1_epi32(wy1), wy0v = _mm256_set1_epi32(2048 - wy1);
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

__attribute__((target("avx2"))) void ffem_crop_rgb_ukernel__avx2(const ffem_image_view *image, ffem_box_q16 box,
                                                                  uint32_t n, int mirror, uint8_t *out) {
  ffem_crop_run(image, box, n, mirror, out, ffem_crop_split_words_ssse3, convert_yuv, blend_row);
}
#endif
