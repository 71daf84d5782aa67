// CFFEMKernels — register-tiled depthwise convolution, 8 channels per tile, AVX2 (no FMA).
#if defined(__x86_64__)
#define FFEM_DW_WIDTH 8
#define FFEM_DW_NAME(fn) fn##__avx2
#include "ffem_f32.h"
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#include "f32-dwconv-tiled.h"
#pragma clang attribute pop
#endif
