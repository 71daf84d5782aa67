// CFFEMKernels — photometric augmentation of RGB24 crops (trainer side; float math allowed).
#ifndef FFEM_AUGMENT_H
#define FFEM_AUGMENT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Brightness, contrast and saturation jitter of `pixels` RGB24 pixels, in place, in this order:
///   brightness: p ← p + 255·brightness_delta
///   contrast:   p ← mean_c + (p − mean_c)·contrast_factor      (mean_c: per-channel image mean)
///   saturation: p ← g + (p − g)·saturation_factor             (g ≈ 0.299R + 0.587G + 0.114B)
/// Each step clamps to [0, 255] and rounds half up; saturation is computed in Q8 fixed point
/// (weights 77/150/29, factor rounded to 1/256). Identity for (0, 1, 1).
void ffem_u8_color_jitter(uint8_t *rgb, size_t pixels, float brightness_delta, float contrast_factor,
                          float saturation_factor);

/// Cutout: fills the rectangle [x, x+w) × [y, y+h), clipped to the n×n RGB24 crop, with `fill`.
void ffem_u8_cutout(uint8_t *rgb, uint32_t n, int32_t x, int32_t y, int32_t w, int32_t h, uint8_t fill);

#ifdef __cplusplus
}
#endif
#endif
