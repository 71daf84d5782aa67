// CFFEMKernels — the one shared crop routine (../shared/DESIGN.md §4) and pixel conversions.
//
// Every user of pixels — the trainer's data pipeline, the quantizer's calibration and the edge
// runtime — goes through ffem_crop_rgb(), so training and inference see the same crop bit for bit.
#ifndef FFEM_IMAGE_H
#define FFEM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Pixel layouts of 8-bit source images (camera formats included).
typedef enum ffem_pixel_format {
  FFEM_PIXEL_RGB24 = 0,  ///< R,G,B bytes per pixel
  FFEM_PIXEL_BGR24 = 1,  ///< B,G,R bytes per pixel
  FFEM_PIXEL_GREY = 2,   ///< one byte per pixel; replicated to R=G=B
  FFEM_PIXEL_YUYV = 3,   ///< Y0 U Y1 V per pixel pair (V4L2_PIX_FMT_YUYV)
  FFEM_PIXEL_UYVY = 4,   ///< U Y0 V Y1 per pixel pair (V4L2_PIX_FMT_UYVY)
  FFEM_PIXEL_NV12 = 5,   ///< Y plane, then interleaved U,V plane at half resolution both ways
} ffem_pixel_format;

/// How Y'CbCr bytes map to R'G'B' (ITU-R BT.601 matrix in both cases).
typedef enum ffem_yuv_range {
  FFEM_YUV_LIMITED = 0,  ///< Y in [16,235], Cb/Cr in [16,240] (V4L2's default for YUV formats)
  FFEM_YUV_FULL = 1,     ///< JPEG/JFIF full range: Y, Cb, Cr in [0,255]
} ffem_yuv_range;

/// A borrowed 8-bit image. `stride` is the distance in bytes between rows of plane 0; NV12 has a
/// second plane `chroma` (interleaved U,V, ceil(height/2) rows of `chroma_stride` bytes).
typedef struct ffem_image_view {
  const uint8_t *data;
  const uint8_t *chroma;
  uint32_t width;
  uint32_t height;
  size_t stride;
  size_t chroma_stride;
  ffem_pixel_format format;
  ffem_yuv_range yuv_range;
} ffem_image_view;

/// A box [left, top, right, bottom] in fixed point: pixel coordinates × 65536 (Q16). Edges, not
/// pixel centres: the box (0,0)-(W,H) covers the whole W×H image exactly.
typedef struct ffem_box_q16 {
  int64_t x1, y1, x2, y2;
} ffem_box_q16;

/// The model's crop policy (stored in the model file): scale the box about its centre by
/// `scale_q16 / 65536`, then optionally grow the shorter side to make it square.
typedef struct ffem_crop_policy {
  int32_t scale_q16;  ///< 65536 = 1.0
  int32_t make_square;
} ffem_crop_policy;

/// Largest crop side ffem_crop_rgb() produces.
#define FFEM_CROP_MAX_SIDE 1024
/// Largest |coordinate| accepted in a box, in pixels (keeps every Q16 product inside int64).
#define FFEM_BOX_MAX_COORDINATE 1048576.0

/// Error codes of the crop routines (0 = success).
enum {
  FFEM_CROP_OK = 0,
  FFEM_CROP_EMPTY_BOX = 1,       ///< x2 <= x1 or y2 <= y1 (after the policy)
  FFEM_CROP_BAD_COORDINATE = 2,  ///< NaN, infinite or beyond ±FFEM_BOX_MAX_COORDINATE
  FFEM_CROP_BAD_SIZE = 3,        ///< output side 0 or above FFEM_CROP_MAX_SIDE, or empty image
  FFEM_CROP_BAD_IMAGE = 4,       ///< unknown format, stride too small, missing NV12 plane
};

/// Converts a box in (possibly fractional) pixels to Q16: round-half-away-from-zero of v·65536.
/// Returns FFEM_CROP_BAD_COORDINATE for non-finite or out-of-range values.
int ffem_box_q16_from_pixels(double x1, double y1, double x2, double y2, ffem_box_q16 *out);

/// Applies a crop policy to a box, all in integers, so that every platform gets the same box:
///   w' = round(w · s), h' = round(h · s)          (s = scale_q16 / 65536)
///   if make_square: w' = h' = max(w', h')
///   x1' = floor((x1 + x2 − w') / 2), x2' = x1' + w'  (likewise y)
int ffem_crop_policy_apply(const ffem_crop_policy *policy, ffem_box_q16 box, ffem_box_q16 *out);

/// Converts one Y'CbCr triple to RGB with the integer BT.601 rule of `range`:
///   limited: R = (298(Y−16) + 409(V−128) + 128) >> 8,
///            G = (298(Y−16) − 100(U−128) − 208(V−128) + 128) >> 8,
///            B = (298(Y−16) + 516(U−128) + 128) >> 8
///   full:    R = (256Y + 359(V−128) + 128) >> 8, G = (256Y − 88(U−128) − 183(V−128) + 128) >> 8,
///            B = (256Y + 454(U−128) + 128) >> 8
/// each clamped to [0, 255]. Within ±1 of the real-valued BT.601 formulas.
void ffem_yuv_to_rgb(uint8_t y, uint8_t u, uint8_t v, ffem_yuv_range range, uint8_t rgb[3]);

/// The pixel (x, y) of `image` as RGB: grey is replicated, BGR swapped, YUV converted with
/// ffem_yuv_to_rgb() using the chroma sample that the pixel shares (no chroma interpolation).
/// The caller guarantees 0 ≤ x < width, 0 ≤ y < height.
void ffem_image_pixel_rgb(const ffem_image_view *image, uint32_t x, uint32_t y, uint8_t rgb[3]);

/// THE crop: an n×n RGB24 crop of `box` (already transformed by the crop policy), bilinear.
///
/// Output pixel (i, j) (row i, column j; with `mirror`, column j is taken from column n−1−j)
/// samples the image at
///   x = x1 + (j + 0.5)·(x2 − x1)/n − 0.5,   y = y1 + (i + 0.5)·(y2 − y1)/n − 0.5
/// where each source pixel is first converted to RGB by ffem_image_pixel_rgb(), and
/// neighbours outside the image are clamped to the edge (border replication).
///
/// Fixed point: sample positions are Q16 integers computed from the Q16 box
/// (x·65536 = x1_q16 + floor((2j+1)·(x2_q16−x1_q16) / 2n) − 32768, within 2^-16 px of the real
/// position); the fractional parts are rounded to 11 bits (wx, wy ∈ [0, 2048]), and
///   out = (Σ p·wx'·wy' + 2^21) >> 22  over the 4 neighbours, wx' ∈ {2048 − wx, wx}.
/// The sum stays below 255·2^22 < 2^31. Against a real-valued bilinear sampler at the same
/// positions, every byte is within ±1.
///
/// `out` holds n·n·3 bytes, rows of n·3 bytes. Returns an FFEM_CROP_* code.
int ffem_crop_rgb(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out);

/// Network input from crop bytes: out[i] = (p[i] − 128) / 128 (exact in float32).
void ffem_u8_to_f32_centered(const uint8_t *pixels, size_t count, float *out);

// ---- Crop and pixel-convert kernels per ISA, and their table -------------------------------------
//
// ffem_crop_rgb() and ffem_u8_to_f32_centered() validate their arguments, then call the kernel of the
// best ISA of this CPU (FFEM_ISA in the environment restricts the choice; the table is filled once, on
// first use). Every kernel gives the same bytes as the scalar one for every input: the scalar kernel is
// the oracle. A crop kernel may assume validated arguments (n in 1…FFEM_CROP_MAX_SIDE, a valid image,
// a non-empty box); it writes exactly n·n·3 bytes and reads only pixels of the image. The SIMD crop
// kernels allocate nothing; they keep their per-crop tables and two source rows on the stack (about
// 50 KB), so a thread that crops needs that much stack beyond its caller's.

/// A crop kernel: the contract of ffem_crop_rgb() on validated arguments.
typedef void (*ffem_crop_rgb_ukernel_fn)(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror,
                                         uint8_t *out);
/// A network-input kernel: out[i] = (p[i] − 128) / 128 for i < count.
typedef void (*ffem_u8_to_f32_centered_ukernel_fn)(const uint8_t *pixels, size_t count, float *out);

void ffem_crop_rgb_ukernel__scalar(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out);
void ffem_crop_rgb_ukernel__sse41(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out);
void ffem_crop_rgb_ukernel__avx2(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out);
void ffem_crop_rgb_ukernel__avx512vnni(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror,
                                       uint8_t *out);
void ffem_crop_rgb_ukernel__neon(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out);
void ffem_crop_rgb_ukernel__armv7neon(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror,
                                      uint8_t *out);

void ffem_u8_to_f32_centered_ukernel__scalar(const uint8_t *pixels, size_t count, float *out);
void ffem_u8_to_f32_centered_ukernel__sse41(const uint8_t *pixels, size_t count, float *out);
void ffem_u8_to_f32_centered_ukernel__avx2(const uint8_t *pixels, size_t count, float *out);
void ffem_u8_to_f32_centered_ukernel__avx512vnni(const uint8_t *pixels, size_t count, float *out);
void ffem_u8_to_f32_centered_ukernel__neon(const uint8_t *pixels, size_t count, float *out);
void ffem_u8_to_f32_centered_ukernel__armv7neon(const uint8_t *pixels, size_t count, float *out);

/// One slot of the image kernel table: the kernel, its FFEM_ISA_* bit and its name.
typedef struct ffem_crop_rgb_config {
  ffem_crop_rgb_ukernel_fn ukernel;
  uint32_t isa;
  const char *name;
} ffem_crop_rgb_config;

typedef struct ffem_u8_to_f32_centered_config {
  ffem_u8_to_f32_centered_ukernel_fn ukernel;
  uint32_t isa;
  const char *name;
} ffem_u8_to_f32_centered_config;

/// The crop and pixel-convert kernels chosen for one ISA mask (FFEM_ISA_* bits of ffem_qs8.h).
typedef struct ffem_image_kernel_table {
  uint32_t isa_mask;  ///< the mask the table was filled from (scalar always included)
  ffem_crop_rgb_config crop_rgb;
  ffem_u8_to_f32_centered_config u8_to_f32_centered;
} ffem_image_kernel_table;

/// Fills `table` with the kernel of the best ISA in `isa_mask` for each slot (x86: avx512vnni > avx2 >
/// sse41 > scalar; ARM: neon / armv7neon > scalar). Like ffem_kernel_table_fill, the mask is
/// intersected with the CPU's probed features, so no mask can select a kernel the CPU lacks.
void ffem_image_kernel_table_fill(ffem_image_kernel_table *table, uint32_t isa_mask);
/// The per-architecture parts of ffem_image_kernel_table_fill (dispatch-x86.c, dispatch-arm.c).
void ffem_image_kernel_table_fill_x86(ffem_image_kernel_table *table, uint32_t isa_mask);
void ffem_image_kernel_table_fill_arm(ffem_image_kernel_table *table, uint32_t isa_mask);

/// The table ffem_crop_rgb() and ffem_u8_to_f32_centered() use: filled on first use from
/// ffem_isa_mask_from_environment() (FFEM_ISA), then constant. Thread-safe.
const ffem_image_kernel_table *ffem_image_kernels_default(void);

/// ffem_crop_rgb() with the crop kernel of `table` (tests and benchmarks force an ISA this way).
int ffem_crop_rgb_with_table(const ffem_image_kernel_table *table, const ffem_image_view *image, ffem_box_q16 box,
                             uint32_t n, int mirror, uint8_t *out);

#ifdef __cplusplus
}
#endif
#endif
