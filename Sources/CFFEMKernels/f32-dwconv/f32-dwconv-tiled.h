// CFFEMKernels — f32-dwconv-tiled.h: the register-tiled depthwise convolution, as a template (private).
//
// Included by one .c file per ISA after defining
//   FFEM_DW_WIDTH      lanes per vector (channels per tile)
//   FFEM_DW_NAME(fn)   the function name for that ISA, e.g. fn##__avx2
// (and, for x86 ISAs, inside `#pragma clang attribute push(target(...))`).
//
// Same results as the scalar reference (f32-dwconv-nhwc.c), bit for bit: every output element sees
// the same float operations in the same order.
//   forward   acc = bias (or 0); acc += x·w over taps (ky, kx) ascending; one store per tile.
//   ∂x        gathered per input pixel: acc = dx (accumulate) or 0; acc += dy·w over the output
//             pixels (oy, ox) ascending that read it, which is the order in which the reference
//             scatters them; one store per tile, so no zeroing pass is needed.
//   ∂w, ∂b    per tile, accumulators loaded from dw/db, += dy·x over output pixels ascending (in
//             registers for 3×3), stored once.
// Contraction into FMA is off (AVX-512F implies FMA, which would change the rounding).
#pragma clang fp contract(off)

#include <stddef.h>
#include <string.h>

typedef float FFEM_DW_NAME(vec) __attribute__((vector_size(FFEM_DW_WIDTH * 4)));
#define V FFEM_DW_NAME(vec)
#define W FFEM_DW_WIDTH

static inline V FFEM_DW_NAME(load)(const float *p) {
  V v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void FFEM_DW_NAME(store)(float *p, V v) { memcpy(p, &v, sizeof v); }
#define LD FFEM_DW_NAME(load)
#define ST FFEM_DW_NAME(store)

/// Valid tap range [*lo, *hi) of a window starting at `start` (may be negative) over `size` inputs.
static inline void FFEM_DW_NAME(tap_range)(ptrdiff_t start, size_t kernel, size_t size, size_t *lo, size_t *hi) {
  *lo = start < 0 ? (size_t)(-start) : 0;
  const ptrdiff_t end = start + (ptrdiff_t)kernel;
  *hi = end > (ptrdiff_t)size ? kernel - (size_t)(end - (ptrdiff_t)size) : kernel;
}

void FFEM_DW_NAME(ffem_f32_dwconv_forward)(const float *x, size_t height, size_t width, size_t channels, const float *w,
                                           const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top,
                                           size_t pad_left, float *y, size_t out_height, size_t out_width) {
  const size_t C = channels, vector_channels = C - C % W;
  for (size_t oy = 0; oy < out_height; oy++) {
    const ptrdiff_t iy0 = (ptrdiff_t)(oy * stride) - (ptrdiff_t)pad_top;
    size_t ky_lo, ky_hi;
    FFEM_DW_NAME(tap_range)(iy0, kh, height, &ky_lo, &ky_hi);
    for (size_t ox = 0; ox < out_width; ox++) {
      const ptrdiff_t ix0 = (ptrdiff_t)(ox * stride) - (ptrdiff_t)pad_left;
      size_t kx_lo, kx_hi;
      FFEM_DW_NAME(tap_range)(ix0, kw, width, &kx_lo, &kx_hi);
      float *out = y + (oy * out_width + ox) * C;
      size_t c = 0;
      // Four tiles at once: four independent add chains hide the add latency of one.
      for (; c + 4 * W <= vector_channels; c += 4 * W) {
        V acc0 = bias ? LD(bias + c) : (V){0}, acc1 = bias ? LD(bias + c + W) : (V){0};
        V acc2 = bias ? LD(bias + c + 2 * W) : (V){0}, acc3 = bias ? LD(bias + c + 3 * W) : (V){0};
        for (size_t ky = ky_lo; ky < ky_hi; ky++) {
          const float *row = x + ((size_t)(iy0 + (ptrdiff_t)ky) * width) * C + c;
          for (size_t kx = kx_lo; kx < kx_hi; kx++) {
            const float *in = row + (size_t)(ix0 + (ptrdiff_t)kx) * C, *tap = w + (ky * kw + kx) * C + c;
            acc0 = acc0 + LD(in) * LD(tap);
            acc1 = acc1 + LD(in + W) * LD(tap + W);
            acc2 = acc2 + LD(in + 2 * W) * LD(tap + 2 * W);
            acc3 = acc3 + LD(in + 3 * W) * LD(tap + 3 * W);
          }
        }
        ST(out + c, acc0), ST(out + c + W, acc1), ST(out + c + 2 * W, acc2), ST(out + c + 3 * W, acc3);
      }
      for (; c < vector_channels; c += W) {
        V acc = bias ? LD(bias + c) : (V){0};
        for (size_t ky = ky_lo; ky < ky_hi; ky++) {
          const float *row = x + ((size_t)(iy0 + (ptrdiff_t)ky) * width) * C + c;
          for (size_t kx = kx_lo; kx < kx_hi; kx++)
            acc = acc + LD(row + (size_t)(ix0 + (ptrdiff_t)kx) * C) * LD(w + (ky * kw + kx) * C + c);
        }
        ST(out + c, acc);
      }
      for (; c < C; c++) {
        float acc = bias ? bias[c] : 0.0f;
        for (size_t ky = ky_lo; ky < ky_hi; ky++)
          for (size_t kx = kx_lo; kx < kx_hi; kx++)
            acc = acc + x[((size_t)(iy0 + (ptrdiff_t)ky) * width + (size_t)(ix0 + (ptrdiff_t)kx)) * C + c] * w[(ky * kw + kx) * C + c];
        out[c] = acc;
      }
    }
  }
}

/// Output positions [*lo, *hi) whose window covers input position `i`: o·stride − pad ≤ i < o·stride − pad + kernel.
static inline void FFEM_DW_NAME(reader_range)(size_t i, size_t kernel, size_t stride, size_t pad, size_t out_size, size_t *lo,
                                               size_t *hi) {
  const ptrdiff_t first = (ptrdiff_t)(i + pad) - (ptrdiff_t)kernel + 1;  // o·stride ≥ first
  *lo = first <= 0 ? 0 : ((size_t)first + stride - 1) / stride;
  const size_t last = (i + pad) / stride;  // o·stride ≤ i + pad
  *hi = last + 1 < out_size ? last + 1 : out_size;
  if (*lo > *hi) *lo = *hi;
}

static void FFEM_DW_NAME(input_gradient)(size_t height, size_t width, size_t C, const float *w, size_t kh, size_t kw,
                                         size_t stride, size_t pad_top, size_t pad_left, const float *dy, size_t out_height,
                                         size_t out_width, int accumulate, float *dx) {
  const size_t vector_channels = C - C % W;
  for (size_t iy = 0; iy < height; iy++) {
    size_t oy_lo, oy_hi;
    FFEM_DW_NAME(reader_range)(iy, kh, stride, pad_top, out_height, &oy_lo, &oy_hi);
    for (size_t ix = 0; ix < width; ix++) {
      size_t ox_lo, ox_hi;
      FFEM_DW_NAME(reader_range)(ix, kw, stride, pad_left, out_width, &ox_lo, &ox_hi);
      float *d = dx + (iy * width + ix) * C;
      size_t c = 0;
      for (; c + 4 * W <= vector_channels; c += 4 * W) {  // four independent add chains, as in forward
        V acc0 = accumulate ? LD(d + c) : (V){0}, acc1 = accumulate ? LD(d + c + W) : (V){0};
        V acc2 = accumulate ? LD(d + c + 2 * W) : (V){0}, acc3 = accumulate ? LD(d + c + 3 * W) : (V){0};
        for (size_t oy = oy_lo; oy < oy_hi; oy++) {
          const size_t ky = iy + pad_top - oy * stride;
          for (size_t ox = ox_lo; ox < ox_hi; ox++) {
            const size_t kx = ix + pad_left - ox * stride;
            const float *g = dy + (oy * out_width + ox) * C + c, *tap = w + (ky * kw + kx) * C + c;
            acc0 = acc0 + LD(g) * LD(tap);
            acc1 = acc1 + LD(g + W) * LD(tap + W);
            acc2 = acc2 + LD(g + 2 * W) * LD(tap + 2 * W);
            acc3 = acc3 + LD(g + 3 * W) * LD(tap + 3 * W);
          }
        }
        ST(d + c, acc0), ST(d + c + W, acc1), ST(d + c + 2 * W, acc2), ST(d + c + 3 * W, acc3);
      }
      for (; c < vector_channels; c += W) {
        V acc = accumulate ? LD(d + c) : (V){0};
        for (size_t oy = oy_lo; oy < oy_hi; oy++) {
          const size_t ky = iy + pad_top - oy * stride;
          for (size_t ox = ox_lo; ox < ox_hi; ox++) {
            const size_t kx = ix + pad_left - ox * stride;
            acc = acc + LD(dy + (oy * out_width + ox) * C + c) * LD(w + (ky * kw + kx) * C + c);
          }
        }
        ST(d + c, acc);
      }
      for (; c < C; c++) {
        float acc = accumulate ? d[c] : 0.0f;
        for (size_t oy = oy_lo; oy < oy_hi; oy++)
          for (size_t ox = ox_lo; ox < ox_hi; ox++)
            acc = acc + dy[(oy * out_width + ox) * C + c] * w[((iy + pad_top - oy * stride) * kw + ix + pad_left - ox * stride) * C + c];
        d[c] = acc;
      }
    }
  }
}

/// ∂w (and ∂b) of a 3×3 kernel: nine accumulators per tile in registers. Output rows are taken in
/// bands whose input rows fit in L2 (a whole 56×56×128 image does not), every tile of a band before
/// the next band; each (tap, channel) still sums its terms in (oy, ox) order.
static void FFEM_DW_NAME(weight_gradient_3x3)(const float *x, size_t height, size_t width, size_t C, size_t stride,
                                              size_t pad_top, size_t pad_left, const float *dy, size_t out_height,
                                              size_t out_width, float *dw, float *db) {
  const size_t vector_channels = C - C % W;
  const size_t band_bytes = 192 * 1024, row_bytes = width * C * sizeof(float) * stride;
  const size_t band = row_bytes >= band_bytes ? 1 : band_bytes / row_bytes;
  for (size_t band_start = 0; band_start < out_height; band_start += band) {
    const size_t band_end = band_start + band < out_height ? band_start + band : out_height;
    for (size_t c = 0; c < vector_channels; c += W) {
      V a0 = LD(dw + 0 * C + c), a1 = LD(dw + 1 * C + c), a2 = LD(dw + 2 * C + c);
      V a3 = LD(dw + 3 * C + c), a4 = LD(dw + 4 * C + c), a5 = LD(dw + 5 * C + c);
      V a6 = LD(dw + 6 * C + c), a7 = LD(dw + 7 * C + c), a8 = LD(dw + 8 * C + c);
      V ab = db ? LD(db + c) : (V){0};
      for (size_t oy = band_start; oy < band_end; oy++) {
        const ptrdiff_t iy0 = (ptrdiff_t)(oy * stride) - (ptrdiff_t)pad_top, H = (ptrdiff_t)height, Wd = (ptrdiff_t)width;
        const int r0 = iy0 >= 0 && iy0 < H, r1 = iy0 + 1 >= 0 && iy0 + 1 < H, r2 = iy0 + 2 >= 0 && iy0 + 2 < H;
        const ptrdiff_t row0 = iy0 * Wd * (ptrdiff_t)C + (ptrdiff_t)c, row1 = row0 + Wd * (ptrdiff_t)C, row2 = row1 + Wd * (ptrdiff_t)C;
        for (size_t ox = 0; ox < out_width; ox++) {
          const ptrdiff_t ix0 = (ptrdiff_t)(ox * stride) - (ptrdiff_t)pad_left;
          const int c0 = ix0 >= 0 && ix0 < Wd, c1 = ix0 + 1 >= 0 && ix0 + 1 < Wd, c2 = ix0 + 2 >= 0 && ix0 + 2 < Wd;
          const V g = LD(dy + (oy * out_width + ox) * C + c);
          ab = ab + g;
          const ptrdiff_t o0 = ix0 * (ptrdiff_t)C, o1 = o0 + (ptrdiff_t)C, o2 = o1 + (ptrdiff_t)C;
          if (r0) {
            if (c0) a0 = a0 + g * LD(x + row0 + o0);
            if (c1) a1 = a1 + g * LD(x + row0 + o1);
            if (c2) a2 = a2 + g * LD(x + row0 + o2);
          }
          if (r1) {
            if (c0) a3 = a3 + g * LD(x + row1 + o0);
            if (c1) a4 = a4 + g * LD(x + row1 + o1);
            if (c2) a5 = a5 + g * LD(x + row1 + o2);
          }
          if (r2) {
            if (c0) a6 = a6 + g * LD(x + row2 + o0);
            if (c1) a7 = a7 + g * LD(x + row2 + o1);
            if (c2) a8 = a8 + g * LD(x + row2 + o2);
          }
        }
      }
      ST(dw + 0 * C + c, a0), ST(dw + 1 * C + c, a1), ST(dw + 2 * C + c, a2);
      ST(dw + 3 * C + c, a3), ST(dw + 4 * C + c, a4), ST(dw + 5 * C + c, a5);
      ST(dw + 6 * C + c, a6), ST(dw + 7 * C + c, a7), ST(dw + 8 * C + c, a8);
      if (db) ST(db + c, ab);
    }
  }
  // Remaining channels: the reference's loops restricted to them (same order per element).
  for (size_t c = vector_channels; c < C; c++) {
    for (size_t oy = 0; oy < out_height; oy++) {
      for (size_t ox = 0; ox < out_width; ox++) {
        const float g = dy[(oy * out_width + ox) * C + c];
        if (db) db[c] += g;
        for (size_t ky = 0; ky < 3; ky++) {
          const ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)pad_top;
          if (iy < 0 || iy >= (ptrdiff_t)height) continue;
          for (size_t kx = 0; kx < 3; kx++) {
            const ptrdiff_t ix = (ptrdiff_t)(ox * stride + kx) - (ptrdiff_t)pad_left;
            if (ix < 0 || ix >= (ptrdiff_t)width) continue;
            dw[(ky * 3 + kx) * C + c] += g * x[((size_t)iy * width + (size_t)ix) * C + c];
          }
        }
      }
    }
  }
}

/// ∂w (and ∂b) of any kernel size: accumulated in memory, tile by tile, in the reference's order.
static void FFEM_DW_NAME(weight_gradient_any)(const float *x, size_t height, size_t width, size_t C, size_t kh, size_t kw,
                                              size_t stride, size_t pad_top, size_t pad_left, const float *dy,
                                              size_t out_height, size_t out_width, float *dw, float *db) {
  const size_t vector_channels = C - C % W;
  for (size_t oy = 0; oy < out_height; oy++) {
    const ptrdiff_t iy0 = (ptrdiff_t)(oy * stride) - (ptrdiff_t)pad_top;
    size_t ky_lo, ky_hi;
    FFEM_DW_NAME(tap_range)(iy0, kh, height, &ky_lo, &ky_hi);
    for (size_t ox = 0; ox < out_width; ox++) {
      const ptrdiff_t ix0 = (ptrdiff_t)(ox * stride) - (ptrdiff_t)pad_left;
      size_t kx_lo, kx_hi;
      FFEM_DW_NAME(tap_range)(ix0, kw, width, &kx_lo, &kx_hi);
      const float *g = dy + (oy * out_width + ox) * C;
      size_t c = 0;
      for (; c < vector_channels; c += W) {
        const V gv = LD(g + c);
        if (db) ST(db + c, LD(db + c) + gv);
        for (size_t ky = ky_lo; ky < ky_hi; ky++) {
          const float *row = x + ((size_t)(iy0 + (ptrdiff_t)ky) * width) * C + c;
          for (size_t kx = kx_lo; kx < kx_hi; kx++) {
            float *t = dw + (ky * kw + kx) * C + c;
            ST(t, LD(t) + gv * LD(row + (size_t)(ix0 + (ptrdiff_t)kx) * C));
          }
        }
      }
      for (; c < C; c++) {
        if (db) db[c] += g[c];
        for (size_t ky = ky_lo; ky < ky_hi; ky++)
          for (size_t kx = kx_lo; kx < kx_hi; kx++)
            dw[(ky * kw + kx) * C + c] += g[c] * x[((size_t)(iy0 + (ptrdiff_t)ky) * width + (size_t)(ix0 + (ptrdiff_t)kx)) * C + c];
      }
    }
  }
}

void FFEM_DW_NAME(ffem_f32_dwconv_backward)(const float *x, size_t height, size_t width, size_t channels, const float *w,
                                            size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,
                                            const float *dy, size_t out_height, size_t out_width, int accumulate, float *dx,
                                            float *dw, float *db) {
  if (kh == 3 && kw == 3) {
    FFEM_DW_NAME(weight_gradient_3x3)(x, height, width, channels, stride, pad_top, pad_left, dy, out_height, out_width, dw, db);
  } else {
    FFEM_DW_NAME(weight_gradient_any)(x, height, width, channels, kh, kw, stride, pad_top, pad_left, dy, out_height, out_width,
                                      dw, db);
  }
  if (dx)
    FFEM_DW_NAME(input_gradient)(height, width, channels, w, kh, kw, stride, pad_top, pad_left, dy, out_height, out_width,
                                 accumulate, dx);
}

#undef V
#undef W
#undef LD
#undef ST
