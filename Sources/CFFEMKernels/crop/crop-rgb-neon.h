// CFFEMKernels — the crop's convert and blend stages on NEON (internal), shared by
// ffem_crop_rgb_ukernel__neon (AArch64) and ffem_crop_rgb_ukernel__armv7neon (32-bit): only
// intrinsics both instruction sets have. The form of the computation is crop-plan.h's.
#ifndef FFEM_CROP_RGB_NEON_H
#define FFEM_CROP_RGB_NEON_H
#include <arm_neon.h>
#include <string.h>

#include "crop-plan.h"
#include "crop-yuv-coefficients.h"

/// 8 int32 lanes → 8 bytes clamped to [0, 255] (saturating narrows: to [0, 65535], then to ≤ 255).
static inline uint8x8_t ffem_crop_clamp_u8_x8(int32x4_t lo, int32x4_t hi) {
  return vqmovn_u16(vcombine_u16(vqmovun_s32(lo), vqmovun_s32(hi)));
}

/// The split stage (crop-plan.h, ffem_crop_split_fn) for `count` words (a multiple of 16): vld4q
/// splits 16 words into their four byte planes; an adjusted channel takes plane position + delta
/// where the word's adjust byte is non-zero (bit select), else plane position.
static void ffem_crop_split_words_neon(size_t count, const uint32_t *words, const uint8_t *adjust,
                                       ffem_crop_word_layout layout, uint8_t *c0, uint8_t *c1, uint8_t *c2) {
  uint8_t *const out[3] = {c0, c1, c2};
  for (size_t k = 0; k < count; k += 16) {
    const uint8x16x4_t planes = vld4q_u8((const uint8_t *)(words + k));
    const uint8x16_t a = vld1q_u8(adjust + k);
    const uint8x16_t moved = vtstq_u8(a, a);
    for (int c = 0; c < 3; c++) {
      uint8x16_t v = planes.val[layout.position[c]];
      if ((layout.adjusted_channels >> c) & 1) v = vbslq_u8(moved, planes.val[layout.position[c] + layout.adjust_delta], v);
      vst1q_u8(out[c] + k, v);
    }
  }
}

/// Y, Cb, Cr → R, G, B by the rule of crop-yuv-coefficients.h, 8 bytes per step (count % 8 == 0).
static void ffem_crop_convert_yuv_neon(size_t count, const uint8_t *y, const uint8_t *u, const uint8_t *v,
                                       ffem_yuv_range range, uint8_t *r, uint8_t *g, uint8_t *b) {
  const ffem_yuv_coefficients k = ffem_yuv_coefficients_of(range);
  const int16x8_t y_offset = vdupq_n_s16(k.y_offset), half16 = vdupq_n_s16(128);
  const int32x4_t half = vdupq_n_s32(128);
  for (size_t i = 0; i < count; i += 8) {
    const int16x8_t yy = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(y + i))), y_offset);
    const int16x8_t d = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(u + i))), half16);
    const int16x8_t e = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(v + i))), half16);
    const int16x4_t d_lo = vget_low_s16(d), d_hi = vget_high_s16(d), e_lo = vget_low_s16(e), e_hi = vget_high_s16(e);
    const int32x4_t c_lo = vmlal_n_s16(half, vget_low_s16(yy), k.y_scale);
    const int32x4_t c_hi = vmlal_n_s16(half, vget_high_s16(yy), k.y_scale);
    const int32x4_t r_lo = vshrq_n_s32(vmlal_n_s16(c_lo, e_lo, k.v_to_r), 8);
    const int32x4_t r_hi = vshrq_n_s32(vmlal_n_s16(c_hi, e_hi, k.v_to_r), 8);
    const int32x4_t g_lo = vshrq_n_s32(vmlal_n_s16(vmlal_n_s16(c_lo, d_lo, k.u_to_g), e_lo, k.v_to_g), 8);
    const int32x4_t g_hi = vshrq_n_s32(vmlal_n_s16(vmlal_n_s16(c_hi, d_hi, k.u_to_g), e_hi, k.v_to_g), 8);
    const int32x4_t b_lo = vshrq_n_s32(vmlal_n_s16(c_lo, d_lo, k.u_to_b), 8);
    const int32x4_t b_hi = vshrq_n_s32(vmlal_n_s16(c_hi, d_hi, k.u_to_b), 8);
    vst1_u8(r + i, ffem_crop_clamp_u8_x8(r_lo, r_hi));
    vst1_u8(g + i, ffem_crop_clamp_u8_x8(g_lo, g_hi));
    vst1_u8(b + i, ffem_crop_clamp_u8_x8(b_lo, b_hi));
  }
}

/// One channel of output columns [j, j+8): vld2 splits the sample pairs (and weight pairs) into the
/// i0 and i1 sides; top = s0·wx0 + s1·wx1 (≤ 255·2^11, widening multiply-accumulate), likewise
/// bottom; out = (top·wy0 + bottom·wy1 + 2^21) >> 22 (vrshr by 22 adds the 2^21), ≤ 255.
static inline uint8x8_t ffem_crop_blend_x8_neon(const int16_t *weight, const uint8_t *top, const uint8_t *bottom,
                                                uint32_t wy0, uint32_t wy1) {
  const uint16x8x2_t w = vld2q_u16((const uint16_t *)weight);
  const uint8x8x2_t t = vld2_u8(top), b = vld2_u8(bottom);
  const uint16x8_t t0 = vmovl_u8(t.val[0]), t1 = vmovl_u8(t.val[1]);
  const uint16x8_t b0 = vmovl_u8(b.val[0]), b1 = vmovl_u8(b.val[1]);
  const uint16x4_t w0_lo = vget_low_u16(w.val[0]), w0_hi = vget_high_u16(w.val[0]);
  const uint16x4_t w1_lo = vget_low_u16(w.val[1]), w1_hi = vget_high_u16(w.val[1]);
  const uint32x4_t top_lo = vmlal_u16(vmull_u16(vget_low_u16(t0), w0_lo), vget_low_u16(t1), w1_lo);
  const uint32x4_t top_hi = vmlal_u16(vmull_u16(vget_high_u16(t0), w0_hi), vget_high_u16(t1), w1_hi);
  const uint32x4_t bottom_lo = vmlal_u16(vmull_u16(vget_low_u16(b0), w0_lo), vget_low_u16(b1), w1_lo);
  const uint32x4_t bottom_hi = vmlal_u16(vmull_u16(vget_high_u16(b0), w0_hi), vget_high_u16(b1), w1_hi);
  const uint32x4_t out_lo = vrshrq_n_u32(vmlaq_n_u32(vmulq_n_u32(top_lo, wy0), bottom_lo, wy1), 22);
  const uint32x4_t out_hi = vrshrq_n_u32(vmlaq_n_u32(vmulq_n_u32(top_hi, wy0), bottom_hi, wy1), 22);
  return vmovn_u16(vcombine_u16(vmovn_u32(out_lo), vmovn_u32(out_hi)));
}

/// One output row: 8 pixels per step, interleaved to RGB24 by vst3 (the last partial step staged).
static void ffem_crop_blend_row_neon(const ffem_crop_plan *plan, const ffem_crop_row *top, const ffem_crop_row *bottom,
                                     int32_t wy1, uint8_t *out) {
  const uint32_t n = plan->n, wy0 = 2048 - (uint32_t)wy1;
  for (uint32_t j = 0; j < n; j += 8) {
    uint8x8x3_t rgb;
    rgb.val[0] = ffem_crop_blend_x8_neon(plan->weight + 2 * j, top->rgb[0] + 2 * j, bottom->rgb[0] + 2 * j, wy0, (uint32_t)wy1);
    if (plan->channel_count == 3) {
      rgb.val[1] = ffem_crop_blend_x8_neon(plan->weight + 2 * j, top->rgb[1] + 2 * j, bottom->rgb[1] + 2 * j, wy0, (uint32_t)wy1);
      rgb.val[2] = ffem_crop_blend_x8_neon(plan->weight + 2 * j, top->rgb[2] + 2 * j, bottom->rgb[2] + 2 * j, wy0, (uint32_t)wy1);
    } else {
      rgb.val[1] = rgb.val[2] = rgb.val[0];  // grey: R = G = B
    }
    if (n - j >= 8) {
      vst3_u8(out + 3 * (size_t)j, rgb);
    } else {
      uint8_t staged[24];
      vst3_u8(staged, rgb);
      memcpy(out + 3 * (size_t)j, staged, 3 * (size_t)(n - j));
    }
  }
}

#endif
