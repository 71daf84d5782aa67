// CFFEMKernels — umbrella header: every hot loop of FFEM, in C, libc only.
#ifndef FFEM_KERNELS_H
#define FFEM_KERNELS_H
#include "ffem_image.h"
#include "ffem_augment.h"
#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"
#endif
