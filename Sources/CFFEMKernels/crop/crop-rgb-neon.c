// CFFEMKernels — ffem_crop_rgb_ukernel__neon on AArch64
// ARMv8.0 NEON (Pi 3/4/5). Bodies: crop-rgb-neon.h. Bit-exact with the scalar kernel.
#include "ffem_image.h"

#if defined(__aarch64__)
#include "crop-rgb-neon.h"

void ffem_crop_rgb_ukernel__neon(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out) {
  ffem_crop_run(image, box, n, mirror, out, ffem_crop_split_words_neon, ffem_crop_convert_yuv_neon,
                ffem_crop_blend_row_neon);
}
#endif
