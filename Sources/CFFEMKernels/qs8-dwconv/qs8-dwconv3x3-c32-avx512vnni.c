// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c32__avx512vnni: depthwise 3×3, 32 channels per
// step (tile cr 32, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS). The loop is in qs8-dwconv3x3-c32-avx512vnni.h.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "qs8-dwconv3x3-c32-avx512vnni.h"

TARGET_AVX512VNNI void ffem_qs8_dwconv3x3_minmax_ukernel_c32__avx512vnni(const ffem_qs8_conv3x3_geometry *g,
                                                                         const int8_t *input,
                                                                         const void *packed_weights, int8_t *output,
                                                                         const ffem_qs8_requant_params *params) {
  if (ffem_requant_is_plain(params, g->output_channels)) {
    dwconv3x3_c32(g, input, packed_weights, output, params, NULL, 0, 1);
  } else {
    dwconv3x3_c32(g, input, packed_weights, output, params, NULL, 0, 0);
  }
}
#endif
