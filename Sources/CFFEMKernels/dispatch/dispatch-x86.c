// CFFEMKernels — x86-64 feature probe (cpuid + xgetbv) and the x86 kernels of the table.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((uint64_t)edx << 32) | eax;
}

uint32_t ffem_cpu_features_x86(void) {
  uint32_t eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  uint32_t features = 0;
  if (ecx & bit_SSE4_1) features |= FFEM_ISA_SSE41;
  const int has_osxsave = (ecx & bit_OSXSAVE) != 0;
  const uint64_t xcr0 = has_osxsave ? read_xcr0() : 0;
  const int os_saves_ymm = (xcr0 & 0x6) == 0x6;            // XMM and YMM state
  const int os_saves_zmm = (xcr0 & 0xE6) == 0xE6;          // + opmask, ZMM_Hi256, Hi16_ZMM
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return features;
  if (os_saves_ymm && (ebx & bit_AVX2)) features |= FFEM_ISA_AVX2;
  const uint32_t avx512 = bit_AVX512F | bit_AVX512BW | bit_AVX512VL;
  if (os_saves_zmm && (ebx & avx512) == avx512 && (ecx & bit_AVX512VNNI)) features |= FFEM_ISA_AVX512VNNI;
  return features;
}

// Filled in increasing order of preference, so the best ISA in the mask wins each slot. The mask
// is intersected with the probed features first: not even an all-ones mask puts a kernel on a
// CPU (or OS) that lacks its instructions.
void ffem_kernel_table_fill_x86(ffem_kernel_table *table, uint32_t requested_mask) {
  const uint32_t isa_mask = requested_mask & ffem_cpu_features_x86();
  if (isa_mask & FFEM_ISA_SSE41) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_3x4c8__sse41, {3, 4, 8, 0}, FFEM_ISA_SSE41,
                                       "ffem_qs8_gemm_minmax_ukernel_3x4c8__sse41"};
    table->gemm = gemm;
    table->fc = gemm;
    const ffem_qs8_dwconv_config dw = {ffem_qs8_dwconv3x3_minmax_ukernel_c8__sse41,
                                       {8, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS}, FFEM_ISA_SSE41,
                                       "ffem_qs8_dwconv3x3_minmax_ukernel_c8__sse41"};
    table->dwconv3x3 = dw;
    const ffem_qs8_requant_config requant = {ffem_qs8_requant_ukernel__sse41, FFEM_ISA_SSE41,
                                             "ffem_qs8_requant_ukernel__sse41"};
    table->requant = requant;
    const ffem_qs8_vadd_config vadd = {ffem_qs8_vadd_minmax_ukernel__sse41, FFEM_ISA_SSE41,
                                       "ffem_qs8_vadd_minmax_ukernel__sse41"};
    table->vadd = vadd;
    const ffem_qs8_vprelu_config prelu = {ffem_qs8_vprelu_ukernel__sse41, FFEM_ISA_SSE41, "ffem_qs8_vprelu_ukernel__sse41"};
    table->vprelu = prelu;
    const ffem_qs8_vclamp_config clamp = {ffem_qs8_vclamp_ukernel__sse41, FFEM_ISA_SSE41, "ffem_qs8_vclamp_ukernel__sse41"};
    table->vclamp = clamp;
    const ffem_qs8_conv3x3_config conv = {ffem_qs8_conv3x3_minmax_ukernel_4__sse41, {4, FFEM_CONV3X3_LAYOUT_INT16_PAIRS},
                                          FFEM_ISA_SSE41, "ffem_qs8_conv3x3_minmax_ukernel_4__sse41"};
    table->conv3x3 = conv;
    const ffem_qs8_gdconv_config gd = {ffem_qs8_gdconv_minmax_ukernel_c8__sse41, {8, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS},
                                       FFEM_ISA_SSE41, "ffem_qs8_gdconv_minmax_ukernel_c8__sse41"};
    table->gdconv = gd;
    const ffem_qs8_gavgpool_config pool = {ffem_qs8_gavgpool_minmax_ukernel__sse41, FFEM_ISA_SSE41,
                                           "ffem_qs8_gavgpool_minmax_ukernel__sse41"};
    table->gavgpool = pool;
  }
  if (isa_mask & FFEM_ISA_AVX2) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_3x8c8__avx2, {3, 8, 8, 0}, FFEM_ISA_AVX2,
                                       "ffem_qs8_gemm_minmax_ukernel_3x8c8__avx2"};
    table->gemm = gemm;
    table->fc = gemm;
    const ffem_qs8_dwconv_config dw = {ffem_qs8_dwconv3x3_minmax_ukernel_c16__avx2,
                                       {16, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS}, FFEM_ISA_AVX2,
                                       "ffem_qs8_dwconv3x3_minmax_ukernel_c16__avx2"};
    table->dwconv3x3 = dw;
    const ffem_qs8_requant_config requant = {ffem_qs8_requant_ukernel__avx2, FFEM_ISA_AVX2,
                                             "ffem_qs8_requant_ukernel__avx2"};
    table->requant = requant;
    const ffem_qs8_conv3x3_config conv = {ffem_qs8_conv3x3_minmax_ukernel_8__avx2, {8, FFEM_CONV3X3_LAYOUT_INT16_PAIRS},
                                          FFEM_ISA_AVX2, "ffem_qs8_conv3x3_minmax_ukernel_8__avx2"};
    table->conv3x3 = conv;
    const ffem_qs8_gdconv_config gd = {ffem_qs8_gdconv_minmax_ukernel_c16__avx2, {16, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS},
                                       FFEM_ISA_AVX2, "ffem_qs8_gdconv_minmax_ukernel_c16__avx2"};
    table->gdconv = gd;
    const ffem_qs8_vadd_config vadd = {ffem_qs8_vadd_minmax_ukernel__avx2, FFEM_ISA_AVX2,
                                       "ffem_qs8_vadd_minmax_ukernel__avx2"};
    table->vadd = vadd;
    const ffem_qs8_vprelu_config prelu = {ffem_qs8_vprelu_ukernel__avx2, FFEM_ISA_AVX2, "ffem_qs8_vprelu_ukernel__avx2"};
    table->vprelu = prelu;
    const ffem_qs8_gavgpool_config pool = {ffem_qs8_gavgpool_minmax_ukernel__avx2, FFEM_ISA_AVX2,
                                           "ffem_qs8_gavgpool_minmax_ukernel__avx2"};
    table->gavgpool = pool;
    const ffem_qs8_vclamp_config clamp = {ffem_qs8_vclamp_ukernel__avx2, FFEM_ISA_AVX2, "ffem_qs8_vclamp_ukernel__avx2"};
    table->vclamp = clamp;
  }
  if (isa_mask & FFEM_ISA_AVX512VNNI) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni, {8, 32, 4, 0x80},
                                       FFEM_ISA_AVX512VNNI, "ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni"};
    table->gemm = gemm;
    table->fc = gemm;
    const ffem_qs8_dwconv_config dw = {ffem_qs8_dwconv3x3_minmax_ukernel_c64__avx512vnni,
                                       {64, FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES}, FFEM_ISA_AVX512VNNI,
                                       "ffem_qs8_dwconv3x3_minmax_ukernel_c64__avx512vnni"};
    table->dwconv3x3 = dw;
    const ffem_qs8_requant_config requant = {ffem_qs8_requant_ukernel__avx512vnni, FFEM_ISA_AVX512VNNI,
                                             "ffem_qs8_requant_ukernel__avx512vnni"};
    table->requant = requant;
    const ffem_qs8_conv3x3_config conv = {ffem_qs8_conv3x3_minmax_ukernel_8x32c4__avx512vnni,
                                          {32, FFEM_CONV3X3_LAYOUT_GEMM_C4}, FFEM_ISA_AVX512VNNI,
                                          "ffem_qs8_conv3x3_minmax_ukernel_8x32c4__avx512vnni"};
    table->conv3x3 = conv;
    const ffem_qs8_gdconv_config gd = {ffem_qs8_gdconv_minmax_ukernel_c32__avx512vnni,
                                       {32, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS}, FFEM_ISA_AVX512VNNI,
                                       "ffem_qs8_gdconv_minmax_ukernel_c32__avx512vnni"};
    table->gdconv = gd;
    const ffem_qs8_vadd_config vadd = {ffem_qs8_vadd_minmax_ukernel__avx512vnni, FFEM_ISA_AVX512VNNI,
                                       "ffem_qs8_vadd_minmax_ukernel__avx512vnni"};
    table->vadd = vadd;
    const ffem_qs8_vprelu_config prelu = {ffem_qs8_vprelu_ukernel__avx512vnni, FFEM_ISA_AVX512VNNI,
                                          "ffem_qs8_vprelu_ukernel__avx512vnni"};
    table->vprelu = prelu;
    const ffem_qs8_gavgpool_config pool = {ffem_qs8_gavgpool_minmax_ukernel__avx512vnni, FFEM_ISA_AVX512VNNI,
                                           "ffem_qs8_gavgpool_minmax_ukernel__avx512vnni"};
    table->gavgpool = pool;
    const ffem_qs8_vclamp_config clamp = {ffem_qs8_vclamp_ukernel__avx512vnni, FFEM_ISA_AVX512VNNI,
                                          "ffem_qs8_vclamp_ukernel__avx512vnni"};
    table->vclamp = clamp;
    // Fused PReLU epilogues: same tiles and packing as the gemm / dwconv3x3 slots just set.
    const ffem_qs8_gemm_prelu_config gemm_prelu = {ffem_qs8_gemm_minmax_prelu_ukernel_8x32c4__avx512vnni,
                                                   FFEM_ISA_AVX512VNNI,
                                                   "ffem_qs8_gemm_minmax_prelu_ukernel_8x32c4__avx512vnni"};
    table->gemm_prelu = gemm_prelu;
    const ffem_qs8_conv3x3_prelu_config dw_prelu = {ffem_qs8_dwconv3x3_minmax_prelu_ukernel_c64__avx512vnni,
                                                    FFEM_ISA_AVX512VNNI,
                                                    "ffem_qs8_dwconv3x3_minmax_prelu_ukernel_c64__avx512vnni"};
    table->dwconv3x3_prelu = dw_prelu;
  }
}

#else

uint32_t ffem_cpu_features_x86(void) { return 0; }
void ffem_kernel_table_fill_x86(ffem_kernel_table *table, uint32_t isa_mask) {
  (void)table;
  (void)isa_mask;
}

#endif

// ---- The x86 image kernels (crop, network input), best ISA last; same mask rule as above. ----
#include "ffem_image.h"

#if defined(__x86_64__)
#define FFEM_FILL_IMAGE_KERNELS(table, isa, bit)                                                                  \
  do {                                                                                                           \
    const ffem_crop_rgb_config crop = {ffem_crop_rgb_ukernel__##isa, bit, "ffem_crop_rgb_ukernel__" #isa};      \
    (table)->crop_rgb = crop;                                                                                    \
    const ffem_u8_to_f32_centered_config to_f32 = {ffem_u8_to_f32_centered_ukernel__##isa, bit,                \
                                                   "ffem_u8_to_f32_centered_ukernel__" #isa};                   \
    (table)->u8_to_f32_centered = to_f32;                                                                        \
  } while (0)

void ffem_image_kernel_table_fill_x86(ffem_image_kernel_table *table, uint32_t requested_mask) {
  const uint32_t isa_mask = requested_mask & ffem_cpu_features_x86();
  if (isa_mask & FFEM_ISA_SSE41) FFEM_FILL_IMAGE_KERNELS(table, sse41, FFEM_ISA_SSE41);
  if (isa_mask & FFEM_ISA_AVX2) FFEM_FILL_IMAGE_KERNELS(table, avx2, FFEM_ISA_AVX2);
  if (isa_mask & FFEM_ISA_AVX512VNNI) FFEM_FILL_IMAGE_KERNELS(table, avx512vnni, FFEM_ISA_AVX512VNNI);
}
#undef FFEM_FILL_IMAGE_KERNELS
#else
void ffem_image_kernel_table_fill_x86(ffem_image_kernel_table *table, uint32_t isa_mask) {
  (void)table;
  (void)isa_mask;
}
#endif
