// CFFEMKernels — ffem_crop_rgb_ukernel__armv7neon on
// 32-bit ARMv7 NEON (32-bit Pi OS; builds with -mfpu=neon*). Bodies: crop-rgb-neon.h. Bit-exact with
// the scalar kernel.
#include "ffem_image.h"

#if defined(__arm__) && defined(__ARM_NEON)
#include "crop-rgb-neon.h"

void ffem_crop_rgb_ukernel__armv7neon(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror,
                                      uint8_t *out) {
  ffem_crop_run(image, box, n, mirror, out, ffem_crop_split_words_neon, ffem_crop_convert_yuv_neon,
                ffem_crop_blend_row_neon);
}
#endif
