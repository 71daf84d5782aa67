// CFFEMKernels — the network-input conversion on NEON (internal), shared by the AArch64 and armv7
// kernels: only intrinsics both instruction sets have.
#ifndef FFEM_U8_TO_F32_CENTERED_NEON_H
#define FFEM_U8_TO_F32_CENTERED_NEON_H
#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>

/// out[i] = (p[i] − 128) · 2^-7, 16 per step; exact in float32, so equal to the scalar kernel.
static void ffem_u8_to_f32_centered_neon(const uint8_t *pixels, size_t count, float *out) {
  const float32x4_t offset = vdupq_n_f32(128.0f), scale = vdupq_n_f32(1.0f / 128.0f);
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const uint8x16_t p = vld1q_u8(pixels + i);
    const uint16x8_t lo = vmovl_u8(vget_low_u8(p)), hi = vmovl_u8(vget_high_u8(p));
    const uint32x4_t q[4] = {vmovl_u16(vget_low_u16(lo)), vmovl_u16(vget_high_u16(lo)), vmovl_u16(vget_low_u16(hi)),
                             vmovl_u16(vget_high_u16(hi))};
    for (int k = 0; k < 4; k++) vst1q_f32(out + i + 4 * k, vmulq_f32(vsubq_f32(vcvtq_f32_u32(q[k]), offset), scale));
  }
  for (; i < count; i++) out[i] = ((float)pixels[i] - 128.0f) * (1.0f / 128.0f);
}
#endif
