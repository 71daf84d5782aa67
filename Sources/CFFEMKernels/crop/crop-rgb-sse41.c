// CFFEMKernels — ffem_crop_rgb_ukernel__sse41: the crop as gather + convert + blend (crop-plan.h) on
// 4 int32 lanes. Bit-exact with ffem_crop_rgb_ukernel__scalar.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "crop-interleave-x86.h"
#include "crop-plan.h"
#include "crop-yuv-coefficients.h"

/// Bytes p[0…3] zero-extended to 4 int32 lanes.
static inline __attribute__((always_inline, target("sse4.1"))) __m128i load_u8x4_as_s32(const uint8_t *p) {
  int32_t bits;
  memcpy(&bits, p, 4);
  return _mm_cvtepu8_epi32(_mm_cvtsi32_si128(bits));
}

/// 16 int32 lanes (4 vectors, values in int16 range) → 16 bytes clamped to [0, 255].
static inline __attribute__((always_inline, target("sse4.1"))) __m128i pack_u8_x16(__m128i a, __m128i b, __m128i c,
                                                                                     __m128i d) {
  return _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d));
}

__attribute__((target("sse4.1"))) static void convert_yuv(size_t count, const uint8_t *y, const uint8_t *u,
                                                          const uint8_t *v, ffem_yuv_range range, uint8_t *r,
                                                          uint8_t *g, uint8_t *b) {
  const ffem_yuv_coefficients k = ffem_yuv_coefficients_of(range);
  const __m128i y_offset = _mm_set1_epi32(k.y_offset), y_scale = _mm_set1_epi32(k.y_scale);
  const __m128i v_to_r = _mm_set1_epi32(k.v_to_r), u_to_g = _mm_set1_epi32(k.u_to_g);
  const __m128i v_to_g = _mm_set1_epi32(k.v_to_g), u_to_b = _mm_set1_epi32(k.u_to_b);
  const __m128i half = _mm_set1_epi32(128);
  for (size_t i = 0; i < count; i += 16) {
    __m128i rr[4], gg[4], bb[4];
    for (int q = 0; q < 4; q++) {
      const __m128i yq = load_u8x4_as_s32(y + i + 4 * q);
      const __m128i d = _mm_sub_epi32(load_u8x4_as_s32(u + i + 4 * q), half);
      const __m128i e = _mm_sub_epi32(load_u8x4_as_s32(v + i + 4 * q), half);
      const __m128i c = _mm_add_epi32(_mm_mullo_epi32(_mm_sub_epi32(yq, y_offset), y_scale), half);
      rr[q] = _mm_srai_epi32(_mm_add_epi32(c, _mm_mullo_epi32(e, v_to_r)), 8);
      gg[q] = _mm_srai_epi32(_mm_add_epi32(_mm_add_epi32(c, _mm_mullo_epi32(d, u_to_g)), _mm_mullo_epi32(e, v_to_g)), 8);
      bb[q] = _mm_srai_epi32(_mm_add_epi32(c, _mm_mullo_epi32(d, u_to_b)), 8);
    }
    _mm_storeu_si128((__m128i *)(r + i), pack_u8_x16(rr[0], rr[1], rr[2], rr[3]));
    _mm_storeu_si128((__m128i *)(g + i), pack_u8_x16(gg[0], gg[1], gg[2], gg[3]));
    _mm_storeu_si128((__m128i *)(b + i), pack_u8_x16(bb[0], bb[1], bb[2], bb[3]));
  }
}

/// Channel c of output columns [j, j+16): (top·wy0 + bottom·wy1 + 2^21) >> 22 with top and bottom
/// the horizontal pair sums (pmaddwd of samples and weights, ≤ 255·2^11 each).
static inline __attribute__((always_inline, target("sse4.1"))) __m128i blend_x16(const int16_t *weight,
                                                                                  const uint8_t *top,
                                                                                  const uint8_t *bottom, __m128i wy0,
                                                                                  __m128i wy1) {
  const __m128i rounding = _mm_set1_epi32(1 << 21);
  __m128i out[4];
  for (int q = 0; q < 4; q++) {
    const __m128i w = _mm_loadu_si128((const __m128i *)(weight + 8 * q));
    const __m128i t = _mm_madd_epi16(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(top + 8 * q))), w);
    const __m128i b = _mm_madd_epi16(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(bottom + 8 * q))), w);
    const __m128i sum = _mm_add_epi32(_mm_add_epi32(_mm_mullo_epi32(t, wy0), _mm_mullo_epi32(b, wy1)), rounding);
    out[q] = _mm_srli_epi32(sum, 22);
  }
  return pack_u8_x16(out[0], out[1], out[2], out[3]);
}

__attribute__((target("sse4.1"))) static void blend_row(const ffem_crop_plan *plan, const ffem_crop_row *top,
                                                        const ffem_crop_row *bottom, int32_t wy1, uint8_t *out) {
  const __m128i wy1v = _mm_set1_epi32(wy1), wy0v = _mm_set1_epi32(2048 - wy1);
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

__attribute__((target("sse4.1"))) void ffem_crop_rgb_ukernel__sse41(const ffem_image_view *image, ffem_box_q16 box,
                                                                    uint32_t n, int mirror, uint8_t *out) {
  ffem_crop_run(image, box, n, mirror, out, ffem_crop_split_words_ssse3, convert_yuv, blend_row);
}
#endif
