// CFFEMKernels — ffem_u8_to_f32_centered_ukernel__neon (AArch64 ARMv8.0 NEON): out[i] = (p[i] − 128) / 128.
// Body: u8-to-f32-centered-neon.h. Exact in float32, so equal to the scalar kernel lane by lane.
#include "ffem_image.h"

#if defined(__aarch64__)
#include "u8-to-f32-centered-neon.h"

void ffem_u8_to_f32_centered_ukernel__neon(const uint8_t *pixels, size_t count, float *out) {
  ffem_u8_to_f32_centered_neon(pixels, count, out);
}
#endif
