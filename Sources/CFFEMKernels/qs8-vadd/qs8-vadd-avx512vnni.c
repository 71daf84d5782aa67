// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel__avx512vnni: TFLite ADD on 16 int8 per step (masked tail).
// Each lane computes exactly ffem_qs8_vadd_minmax_ukernel__scalar: (x − zp)·2^left_shift wraps
// like the scalar shift (vpsllvd), then three MultiplyByQuantizedMultiplier per lane.
//
// The input rescalings run in int32 lanes when left_shift L ∈ [9, 22], the input multipliers are
// in [0, 2^31) and their shifts ≤ 0 (TFLite's and ffem-quantize's L = 20 always): with
// x = q − zp ∈ [−255, 255] and M = Mh·2^(31−L) + Ml,
//   SRDHM(x·2^L, M) = ⌊(x·M·2^L + 2^30) / 2^31⌋ = x·Mh + ⌊(x·Ml + 2^(30−L)) / 2^(31−L)⌋
// (the integer part x·Mh·2^31 leaves the floor), |x·Mh| < 2^(8+L) ≤ 2^30, |x·Ml| < 2^(39−L) ≤ 2^30,
// and no x·2^L is INT32_MIN (no saturation); then RDBPOT(y, e) = ⌊(y + 2^(e−1) − [y < 0]) / 2^e⌋
// (e ≥ 1; y for e = 0) with |y| < 255·2^22, so y + 2^(e−1) < 2^31.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// One input's rescaling on the narrow path (broadcast parameters).
typedef struct narrow_rescale {
  __m512i high, low;      ///< Mh, Ml
  __m512i nudge;          ///< 2^(30−L)
  __m512i high_shift;     ///< 31 − L
  __m512i rounding;       ///< 2^(e−1) (0 for e = 0)
  __m512i correction;     ///< 1 (0 for e = 0)
  __m512i right;          ///< e
} narrow_rescale;

TARGET_AVX512VNNI static inline narrow_rescale narrow_rescale_make(int32_t multiplier, int32_t shift, int32_t left_shift) {
  const int32_t e = -shift, low_bits = 31 - left_shift;
  narrow_rescale r;
  r.high = _mm512_set1_epi32(multiplier >> low_bits);
  r.low = _mm512_set1_epi32(multiplier & (int32_t)((UINT32_C(1) << low_bits) - 1u));
  r.nudge = _mm512_set1_epi32(1 << (low_bits - 1));
  r.high_shift = _mm512_set1_epi32(low_bits);
  r.rounding = _mm512_set1_epi32(e > 0 ? (int32_t)(UINT32_C(1) << (e - 1)) : 0);
  r.correction = _mm512_set1_epi32(e > 0 ? 1 : 0);
  r.right = _mm512_set1_epi32(e);
  return r;
}

/// MultiplyByQuantizedMultiplier(x·2^L, M, −e) for x ∈ [−255, 255].
TARGET_AVX512VNNI __attribute__((always_inline)) static inline __m512i narrow_rescale_apply(__m512i x,
                                                                                           const narrow_rescale *r) {
  const __m512i low = _mm512_srav_epi32(_mm512_add_epi32(_mm512_mullo_epi32(x, r->low), r->nudge), r->high_shift);
  const __m512i y = _mm512_add_epi32(_mm512_mullo_epi32(x, r->high), low);
  const __mmask16 is_negative = _mm512_cmplt_epi32_mask(y, _mm512_setzero_si512());
  const __m512i sum = _mm512_add_epi32(y, r->rounding);
  return _mm512_srav_epi32(_mm512_mask_sub_epi32(sum, is_negative, sum, r->correction), r->right);
}

static inline int is_narrow(const ffem_qs8_add_params *p) {
  return p->left_shift >= 9 && p->left_shift <= 22 && p->a_multiplier >= 0 && p->b_multiplier >= 0 && p->a_shift <= 0 &&
         p->b_shift <= 0;
}

TARGET_AVX512VNNI void ffem_qs8_vadd_minmax_ukernel__avx512vnni(size_t count, const int8_t *a, const int8_t *b,
                                                               int8_t *output, const ffem_qs8_add_params *p) {
  const ffem_requant_avx512 ro =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->output_multiplier), _mm512_set1_epi32(p->output_shift));
  const ffem_output_stage_avx512 stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  const __m512i a_zero_point = _mm512_set1_epi32(p->a_zero_point), b_zero_point = _mm512_set1_epi32(p->b_zero_point);
  if (is_narrow(p)) {
    const narrow_rescale ra = narrow_rescale_make(p->a_multiplier, p->a_shift, p->left_shift);
    const narrow_rescale rb = narrow_rescale_make(p->b_multiplier, p->b_shift, p->left_shift);
    for (size_t i = 0; i < count; i += 16) {
      const size_t lanes = count - i < 16 ? count - i : 16;
      const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
      const __m512i va = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, a + i)), a_zero_point);
      const __m512i vb = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, b + i)), b_zero_point);
      const __m512i sum = _mm512_add_epi32(narrow_rescale_apply(va, &ra), narrow_rescale_apply(vb, &rb));
      _mm_mask_storeu_epi8(output + i, mask, ffem_output_avx512(ffem_mbqm_avx512(sum, &ro), &stage));
    }
    return;
  }
  const ffem_requant_avx512 ra =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->a_multiplier), _mm512_set1_epi32(p->a_shift));
  const ffem_requant_avx512 rb =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->b_multiplier), _mm512_set1_epi32(p->b_shift));
  const __m512i left_shift = _mm512_set1_epi32(p->left_shift);
  for (size_t i = 0; i < count; i += 16) {
    const size_t lanes = count - i < 16 ? count - i : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const __m512i va = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, a + i));
    const __m512i vb = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, b + i));
    const __m512i sa = ffem_mbqm_avx512(_mm512_sllv_epi32(_mm512_sub_epi32(va, a_zero_point), left_shift), &ra);
    const __m512i sb = ffem_mbqm_avx512(_mm512_sllv_epi32(_mm512_sub_epi32(vb, b_zero_point), left_shift), &rb);
    _mm_mask_storeu_epi8(output + i, mask, ffem_output_avx512(ffem_mbqm_avx512(_mm512_add_epi32(sa, sb), &ro), &stage));
  }
}
#endif
