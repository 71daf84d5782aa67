// CFFEMKernels — register-tiled depthwise convolution, 4 channels per tile (SSE2 on x86-64, NEON on ARM).
#define FFEM_DW_WIDTH 4
#define FFEM_DW_NAME(fn) fn##__c4
#include "ffem_f32.h"
#include "f32-dwconv-tiled.h"
