// CFFEMKernels — the kernel table: scalar defaults, per-architecture overrides, FFEM_ISA parsing.
#include <stdlib.h>
#include <string.h>

#include "ffem_qs8.h"

// The ARM hooks on other architectures: no features, no kernels. On ARM, dispatch-arm.c defines
// them. (#if-guarded rather than weak: a weak default would satisfy a static-archive link
// without pulling dispatch-arm.o in, and ARM builds would silently run scalar kernels.)
#if !defined(__aarch64__) && !defined(__arm__)
uint32_t ffem_cpu_features_arm(void) { return 0; }
void ffem_kernel_table_fill_arm(ffem_kernel_table *table, uint32_t isa_mask) {
  (void)table;
  (void)isa_mask;
}
#endif

uint32_t ffem_cpu_features(void) {
  return FFEM_ISA_SCALAR | ffem_cpu_features_x86() | ffem_cpu_features_arm();
}

static void fill_scalar(ffem_kernel_table *t) {
  const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_1x4__scalar, {1, 4, 1, 0}, FFEM_ISA_SCALAR,
                                     "ffem_qs8_gemm_minmax_ukernel_1x4__scalar"};
  t->gemm = gemm;
  t->fc = gemm;
  const ffem_qs8_conv3x3_config conv = {ffem_qs8_conv3x3_minmax_ukernel_1__scalar,
                                        {1, FFEM_CONV3X3_LAYOUT_INT8}, FFEM_ISA_SCALAR,
                                        "ffem_qs8_conv3x3_minmax_ukernel_1__scalar"};
  t->conv3x3 = conv;
  const ffem_qs8_dwconv_config dw = {ffem_qs8_dwconv3x3_minmax_ukernel_c1__scalar,
                                     {1, FFEM_DWCONV_LAYOUT_INT8_TAPS}, FFEM_ISA_SCALAR,
                                     "ffem_qs8_dwconv3x3_minmax_ukernel_c1__scalar"};
  t->dwconv3x3 = dw;
  const ffem_qs8_gdconv_config gd = {ffem_qs8_gdconv_minmax_ukernel_c1__scalar,
                                     {1, FFEM_DWCONV_LAYOUT_INT8_TAPS}, FFEM_ISA_SCALAR,
                                     "ffem_qs8_gdconv_minmax_ukernel_c1__scalar"};
  t->gdconv = gd;
  const ffem_qs8_vadd_config vadd = {ffem_qs8_vadd_minmax_ukernel__scalar, FFEM_ISA_SCALAR,
                                     "ffem_qs8_vadd_minmax_ukernel__scalar"};
  t->vadd = vadd;
  const ffem_qs8_vprelu_config prelu = {ffem_qs8_vprelu_ukernel__scalar, FFEM_ISA_SCALAR,
                                        "ffem_qs8_vprelu_ukernel__scalar"};
  t->vprelu = prelu;
  const ffem_qs8_gavgpool_config pool = {ffem_qs8_gavgpool_minmax_ukernel__scalar, FFEM_ISA_SCALAR,
                                         "ffem_qs8_gavgpool_minmax_ukernel__scalar"};
  t->gavgpool = pool;
  const ffem_qs8_requant_config requant = {ffem_qs8_requant_ukernel__scalar, FFEM_ISA_SCALAR,
                                           "ffem_qs8_requant_ukernel__scalar"};
  t->requant = requant;
  const ffem_qs8_vclamp_config clamp = {ffem_qs8_vclamp_ukernel__scalar, FFEM_ISA_SCALAR,
                                        "ffem_qs8_vclamp_ukernel__scalar"};
  t->vclamp = clamp;
}

void ffem_kernel_table_fill(ffem_kernel_table *table, uint32_t isa_mask) {
  memset(table, 0, sizeof(*table));
  table->isa_mask = isa_mask | FFEM_ISA_SCALAR;
  fill_scalar(table);
  ffem_kernel_table_fill_x86(table, table->isa_mask);
  ffem_kernel_table_fill_arm(table, table->isa_mask);
}

static const struct {
  const char *name;
  uint32_t bit;
} isa_names[] = {
    {"scalar", FFEM_ISA_SCALAR}, {"sse41", FFEM_ISA_SSE41},     {"avx2", FFEM_ISA_AVX2},
    {"avx512vnni", FFEM_ISA_AVX512VNNI}, {"neon", FFEM_ISA_NEON}, {"neondot", FFEM_ISA_NEONDOT},
    {"armv7neon", FFEM_ISA_ARMV7NEON},
};

const char *ffem_isa_name(uint32_t isa_bit) {
  for (size_t i = 0; i < sizeof(isa_names) / sizeof(isa_names[0]); i++) {
    if (isa_names[i].bit == isa_bit) return isa_names[i].name;
  }
  return "unknown";
}

uint32_t ffem_isa_mask_parse(const char *text, uint32_t available, uint32_t *flags) {
  uint32_t result_flags = FFEM_ISA_PARSE_OK;
  if (flags) *flags = FFEM_ISA_PARSE_OK;
  if (text == NULL || text[0] == '\0') return available | FFEM_ISA_SCALAR;
  uint32_t mask = FFEM_ISA_SCALAR;
  const char *cursor = text;
  while (*cursor != '\0') {
    while (*cursor == ' ' || *cursor == ',') cursor++;
    const char *start = cursor;
    while (*cursor != '\0' && *cursor != ',' && *cursor != ' ') cursor++;
    const size_t length = (size_t)(cursor - start);
    if (length == 0) continue;
    uint32_t bit = 0;
    for (size_t i = 0; i < sizeof(isa_names) / sizeof(isa_names[0]); i++) {
      if (strlen(isa_names[i].name) == length && memcmp(isa_names[i].name, start, length) == 0) bit = isa_names[i].bit;
    }
    if (bit == 0) {
      result_flags |= FFEM_ISA_PARSE_UNKNOWN_NAME;
    } else if ((available & bit) == 0) {
      result_flags |= FFEM_ISA_PARSE_UNAVAILABLE;
    } else {
      mask |= bit;
    }
  }
  if (flags) *flags = result_flags;
  return mask;
}

uint32_t ffem_isa_mask_from_environment(uint32_t *flags) {
  return ffem_isa_mask_parse(getenv("FFEM_ISA"), ffem_cpu_features(), flags);
}

// ---- The image kernel table (crop, network input): scalar defaults, then per-architecture fills. ----
#include "ffem_image.h"

#if !defined(__aarch64__) && !defined(__arm__)
void ffem_image_kernel_table_fill_arm(ffem_image_kernel_table *table, uint32_t isa_mask) {
  (void)table;
  (void)isa_mask;
}
#endif

void ffem_image_kernel_table_fill(ffem_image_kernel_table *table, uint32_t isa_mask) {
  memset(table, 0, sizeof(*table));
  table->isa_mask = isa_mask | FFEM_ISA_SCALAR;
  const ffem_crop_rgb_config crop = {ffem_crop_rgb_ukernel__scalar, FFEM_ISA_SCALAR, "ffem_crop_rgb_ukernel__scalar"};
  table->crop_rgb = crop;
  const ffem_u8_to_f32_centered_config to_f32 = {ffem_u8_to_f32_centered_ukernel__scalar, FFEM_ISA_SCALAR,
                                                 "ffem_u8_to_f32_centered_ukernel__scalar"};
  table->u8_to_f32_centered = to_f32;
  ffem_image_kernel_table_fill_x86(table, table->isa_mask);
  ffem_image_kernel_table_fill_arm(table, table->isa_mask);
}
