// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c64__avx512vnni: depthwise 3×3, 64 channels per
// step (tile cr 64, FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES). The loop is in qs8-dwconv3x3-c64-avx512vnni.h.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "qs8-dwconv3x3-c64-avx512vnni.h"

TARGET_AVX512VNNI void ffem_qs8_dwconv3x3_minmax_ukernel_c64__avx512vnni(const ffem_qs8_conv3x3_geometry *g,
                                                                         const int8_t *input,
                                                                         const void *packed_weights, int8_t *output,
                                                                         const ffem_qs8_requant_params *params) {
  if (ffem_requant_is_right_shift(params, g->output_channels)) {
    dwconv3x3_c64(g, input, packed_weights, output, params, NULL, 0, 1);
  } else {
    dwconv3x3_c64(g, input, packed_weights, output, params, NULL, 0, 0);
  }
}
#endif
