// CFFEMKernels — register-tiled depthwise convolution, 16 channels per tile, AVX-512F (FMA
// contraction off in the template, so the rounding is the reference's).
#if defined(__x86_64__)
#define FFEM_DW_WIDTH 16
#define FFEM_DW_NAME(fn) fn##__avx512
#include "ffem_f32.h"
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#include "f32-dwconv-tiled.h"
#pragma clang attribute pop
#endif
