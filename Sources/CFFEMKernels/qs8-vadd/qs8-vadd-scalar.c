// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel__scalar: the residual-add oracle (TFLite ADD, ffem_qs8_add_params).
#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

void ffem_qs8_vadd_minmax_ukernel__scalar(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                          const ffem_qs8_add_params *p) {
  for (size_t i = 0; i < count; i++) {
    // |x − zp| ≤ 255, so (x − zp)·2^left_shift < 2^31 for left_shift ≤ 22.
    const int32_t a_shifted = ffem_shift_left_wrapping_s32((int32_t)a[i] - p->a_zero_point, p->left_shift);
    const int32_t b_shifted = ffem_shift_left_wrapping_s32((int32_t)b[i] - p->b_zero_point, p->left_shift);
    const int32_t a_scaled = ffem_multiply_by_quantized_multiplier(a_shifted, p->a_multiplier, p->a_shift);
    const int32_t b_scaled = ffem_multiply_by_quantized_multiplier(b_shifted, p->b_multiplier, p->b_shift);
    output[i] = ffem_requantize_s32(a_scaled + b_scaled, p->output_multiplier, p->output_shift, p->output_zero_point,
                                    p->output_min, p->output_max);
  }
}
