// CFFEMKernels — umbrella header: every hot loop of FFEM, in C, libc only.
#ifndef FFEM_KERNELS_H
#define FFEM_KERNELS_H
#include "ffem_image.h"
#include "ffem_augment.h"
#endif
