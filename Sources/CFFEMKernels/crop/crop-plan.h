// CFFEMKernels — the crop as gather + convert + blend, the form every SIMD crop kernel shares
// (internal; contract in ffem_image.h, oracle crop-scalar.c).
//
// The scalar oracle computes, per output pixel and channel,
//   out = (Σ p·wx'·wy' + 2^21) >> 22
// over its 4 neighbours, each neighbour first converted to RGB. The sum is exact integer arithmetic,
// so it can be evaluated in any order and gives the same bytes. The SIMD kernels evaluate it as:
//
//   plan (once per crop, scalar, crop-plan.c): for every output column j and each side s ∈ {0, 1},
//     where in a source row sample i_s(j) is read (byte offsets, and which bytes of its word hold its
//     channels; see ffem_crop_gather), and the weight pair (2048 − w1(j), w1(j)). Mirroring and edge
//     clamping live entirely in these tables.
//   gather (once per source row used, scalar): the 2n samples of that row, one 32-bit load each
//     (RGB/BGR, YUYV/UYVY; NV12: the Y byte | the CbCr pair); then split (ISA kernel: pshufb with
//     per-sample indices / vld4 + bit select) into contiguous bytes per channel, pairs interleaved:
//     sample[c][2j + s]. Grey (and 1-pixel-wide RGB, where a word would reach past the row) gathers
//     bytes.
//   convert (ISA kernel, YUV formats only): Y'CbCr → RGB on those contiguous bytes, the integer
//     BT.601 rule of ffem_yuv_to_rgb() lane by lane.
//   blend (ISA kernel, per output row): top = Σ_s sample_top[c][2j+s]·wx_s(j) (one pmaddwd-style
//     pair sum, ≤ 255·2^11), likewise bottom; out = (top·wy0 + bottom·wy1 + 2^21) >> 22, which is the
//     oracle's formula; then the three channel planes interleaved into RGB24.
//
// Two source rows are cached, so a row shared by consecutive output rows (upscaling, or a box that
// reaches past the image edge) is gathered and converted once.
#ifndef FFEM_CROP_PLAN_H
#define FFEM_CROP_PLAN_H
#include <string.h>

#include "crop-axis.h"
#include "ffem_image.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the crop's word gather (ffem_crop_load_word) assumes a little-endian target"
#endif

/// Sample slots per channel: 2·FFEM_CROP_MAX_SIDE plus padding, so a kernel may always process whole
/// vectors of up to 16 columns (32 samples) past the crop's right edge.
#define FFEM_CROP_SAMPLES_PADDED (2 * FFEM_CROP_MAX_SIDE + 32)

/// How a crop gathers its samples (set by ffem_crop_plan_init from the pixel format).
typedef enum ffem_crop_gather {
  FFEM_CROP_GATHER_BYTES = 0,   ///< per channel c: byte offset[min(c,1)] (+ channel2_delta for c = 2)
  FFEM_CROP_GATHER_RGB = 1,     ///< word at offset[0]: R,G,B (BGR: B,G,R) at bytes adjust, adjust+1, adjust+2
  FFEM_CROP_GATHER_YUV422 = 2,  ///< word at offset[0], the pixel pair's group Y0 U Y1 V / U Y0 V Y1:
                                ///< the pixel's Y at its first-pixel byte + adjust (0 or 2)
  FFEM_CROP_GATHER_NV12 = 3,    ///< Y byte at offset[0] of plane 0 | CbCr pair at offset[1] of plane 1 << 8
} ffem_crop_gather;

/// Where a sample word holds its three channels: channel c at byte position[c], plus the sample's
/// adjust[k] (0 or adjust_delta) when bit c of adjusted_channels is set (RGB: all channels, delta 1 —
/// the word before or at the pixel; YUYV/UYVY: Y only, delta 2 — the group's first or second Y).
typedef struct ffem_crop_word_layout {
  uint8_t position[3];
  uint8_t adjusted_channels;
  uint8_t adjust_delta;
} ffem_crop_word_layout;

/// Per-crop tables (see the file comment). Plane 0 holds channel 0 (R or Y) and the packed words;
/// plane 1 the NV12 chroma (else plane 0 again). Padding entries repeat sample 0's addresses with
/// weights (2048, 0), so padded lanes compute harmless values that are never stored.
typedef struct ffem_crop_plan {
  uint32_t n;              ///< output side
  uint32_t sample_count;   ///< samples per channel and source row actually gathered: 2n rounded up to 32
  uint32_t channel_count;  ///< 1 for grey (rows fill rgb[0] only; blends replicate it), else 3
  int is_yuv;              ///< gathered channels are Y, Cb, Cr (converted), else R, G, B
  ffem_yuv_range yuv_range;
  ffem_crop_gather gather;
  const uint8_t *plane[2];  ///< source row y of plane p starts at plane[p] + (y >> row_shift[p])·stride[p]
  size_t stride[2];
  uint32_t row_shift[2];
  int32_t channel2_delta;      ///< FFEM_CROP_GATHER_BYTES: channel 2's offset minus channel 1's
  ffem_crop_word_layout layout;  ///< word gathers: where each sample word holds its channels
  uint32_t offset[2][FFEM_CROP_SAMPLES_PADDED];  ///< byte offsets of sample [2j+s] (see ffem_crop_gather)
  uint8_t adjust[FFEM_CROP_SAMPLES_PADDED];      ///< word gathers: sample [2j+s]'s byte adjustment
  int16_t weight[FFEM_CROP_SAMPLES_PADDED];      ///< (2048 − w1(j), w1(j)) at [2j], [2j+1]
} ffem_crop_plan;

/// One source row's samples as RGB, in the layout of the plan: rgb[c][2j + s].
typedef struct ffem_crop_row {
  int64_t y;  ///< source row held, −1 when empty
  uint8_t rgb[3][FFEM_CROP_SAMPLES_PADDED];
} ffem_crop_row;

/// Fills the plan of an n×n crop of `box` (validated arguments; mirror as in ffem_crop_rgb).
void ffem_crop_plan_init(ffem_crop_plan *plan, const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror);

/// split: count words (a multiple of 32) → channel c of word k, byte layout.position[c] + adjust[k] if
/// bit c of layout.adjusted_channels is set, else byte layout.position[c], into c's bytes.
typedef void (*ffem_crop_split_fn)(size_t count, const uint32_t *words, const uint8_t *adjust,
                                   ffem_crop_word_layout layout, uint8_t *c0, uint8_t *c1, uint8_t *c2);
/// convert: count bytes (a multiple of 32) of Y, Cb, Cr → R, G, B by the rule of ffem_yuv_to_rgb().
typedef void (*ffem_crop_convert_fn)(size_t count, const uint8_t *y, const uint8_t *u, const uint8_t *v,
                                     ffem_yuv_range range, uint8_t *r, uint8_t *g, uint8_t *b);
/// blend: one output row of n RGB24 pixels (exactly 3n bytes written) from the rows above and below
/// the sample position and the vertical weight wy1 ∈ [0, 2048] of `bottom`; with plan->channel_count
/// 1 (grey) it blends rgb[0] only and writes it as R, G and B.
typedef void (*ffem_crop_blend_fn)(const ffem_crop_plan *plan, const ffem_crop_row *top, const ffem_crop_row *bottom,
                                   int32_t wy1, uint8_t *out);

/// A little-endian 32-bit load from any address (every FFEM target is little-endian).
static inline uint32_t ffem_crop_load_word(const uint8_t *p) {
  uint32_t word;
  memcpy(&word, p, 4);
  return word;
}

/// Scratch of one row fill: the sample words, and Y, Cb, Cr before conversion.
typedef struct ffem_crop_scratch {
  uint32_t words[FFEM_CROP_SAMPLES_PADDED];
  uint8_t yuv[3][FFEM_CROP_SAMPLES_PADDED];
} ffem_crop_scratch;

/// Gathers source row y into `row` with `split`, converting YUV with `convert`.
static inline __attribute__((always_inline)) void ffem_crop_row_fill(const ffem_crop_plan *plan, uint32_t y,
                                                                     ffem_crop_row *row, ffem_crop_scratch *scratch,
                                                                     ffem_crop_split_fn split,
                                                                     ffem_crop_convert_fn convert) {
  const uint32_t count = plan->sample_count;
  const uint8_t *source0 = plan->plane[0] + (size_t)(y >> plan->row_shift[0]) * plan->stride[0];
  const uint8_t *source1 = plan->plane[1] + (size_t)(y >> plan->row_shift[1]) * plan->stride[1];
  const uint32_t *offset0 = plan->offset[0], *offset1 = plan->offset[1];
  uint32_t *words = scratch->words;
  uint8_t *c0 = plan->is_yuv ? scratch->yuv[0] : row->rgb[0];
  uint8_t *c1 = plan->is_yuv ? scratch->yuv[1] : row->rgb[1];
  uint8_t *c2 = plan->is_yuv ? scratch->yuv[2] : row->rgb[2];
  switch (plan->gather) {
    case FFEM_CROP_GATHER_BYTES:
      if (plan->channel_count == 1) {
        for (uint32_t k = 0; k < count; k++) c0[k] = source0[offset0[k]];  // blends read rgb[0] only
      } else {
        const uint32_t delta = (uint32_t)plan->channel2_delta;  // modulo 2^32: −1 for BGR
        for (uint32_t k = 0; k < count; k++) {
          const uint32_t at = offset1[k];
          c0[k] = source0[offset0[k]];
          c1[k] = source1[at];
          c2[k] = source1[at + delta];  // BGR: at ≥ 1, so at − 1 never wraps
        }
      }
      break;
    case FFEM_CROP_GATHER_RGB:
    case FFEM_CROP_GATHER_YUV422:
      for (uint32_t k = 0; k < count; k++) words[k] = ffem_crop_load_word(source0 + offset0[k]);
      break;
    case FFEM_CROP_GATHER_NV12:
      for (uint32_t k = 0; k < count; k++) {
        uint16_t chroma;
        memcpy(&chroma, source1 + offset1[k], 2);
        words[k] = source0[offset0[k]] | ((uint32_t)chroma << 8);
      }
      break;
  }
  if (plan->gather != FFEM_CROP_GATHER_BYTES) split(count, words, plan->adjust, plan->layout, c0, c1, c2);
  if (plan->is_yuv) {
    convert(count, scratch->yuv[0], scratch->yuv[1], scratch->yuv[2], plan->yuv_range, row->rgb[0], row->rgb[1],
            row->rgb[2]);
  }
  row->y = y;
}

/// The row of the cache holding source row y, gathering it into the slot not holding `keep_y`.
static inline __attribute__((always_inline)) const ffem_crop_row *ffem_crop_row_get(
    const ffem_crop_plan *plan, ffem_crop_row rows[2], uint32_t y, uint32_t keep_y, ffem_crop_scratch *scratch,
    ffem_crop_split_fn split, ffem_crop_convert_fn convert) {
  if (rows[0].y == (int64_t)y) return &rows[0];
  if (rows[1].y == (int64_t)y) return &rows[1];
  ffem_crop_row *slot = rows[0].y == (int64_t)keep_y ? &rows[1] : &rows[0];
  ffem_crop_row_fill(plan, y, slot, scratch, split, convert);
  return slot;
}

/// The whole crop with one ISA's split, convert and blend. Inlined into each ISA's kernel, so the stage
/// calls are direct calls compiled for that ISA.
static inline __attribute__((always_inline)) void ffem_crop_run(const ffem_image_view *image, ffem_box_q16 box,
                                                                uint32_t n, int mirror, uint8_t *out,
                                                                ffem_crop_split_fn split, ffem_crop_convert_fn convert,
                                                                ffem_crop_blend_fn blend) {
  ffem_crop_plan plan;
  ffem_crop_row rows[2];
  ffem_crop_scratch scratch;
  ffem_crop_plan_init(&plan, image, box, n, mirror);
  rows[0].y = rows[1].y = -1;
  for (uint32_t i = 0; i < n; i++) {
    const ffem_axis_tap tap = ffem_axis_tap_at(box.y1, box.y2, i, n, image->height);
    const ffem_crop_row *top = ffem_crop_row_get(&plan, rows, tap.i0, tap.i1, &scratch, split, convert);
    const ffem_crop_row *bottom = ffem_crop_row_get(&plan, rows, tap.i1, tap.i0, &scratch, split, convert);
    blend(&plan, top, bottom, tap.w1, out + (size_t)i * n * 3);
  }
}
#endif
