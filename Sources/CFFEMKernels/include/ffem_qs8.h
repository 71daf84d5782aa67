// CFFEMKernels — the int8 operations of the edge runtime: argument structs, kernel signatures,
// weight packers per tile, kernels per ISA and the kernel table (../shared/DESIGN.md §7–8).
//
// Conventions, for every op:
//   - Activations are int8 NHWC, per-tensor asymmetric: real = scale · (q − zero_point).
//   - Weights are int8, canonical OHWI ([output channel][kernel y][kernel x][input channel]),
//     symmetric per output channel (zero point 0, values in [−127, 127]); a depthwise weight
//     tensor is OHWI with O = channels and I = 1, i.e. [channel][ky][kx].
//   - Bias is int32 with scale s_in · s_w[c] (NULL means zero bias).
//   - Every int32 accumulator is requantized by ffem_requantize_s32 (ffem_fixedpoint.h) with the
//     per-output-channel (multiplier, shift) of s_in · s_w[c] / s_out, then clamped to
//     [output_min, output_max]. ReLU and ReLU6 are such clamps (ffem_qs8_activation_bounds).
//   - Kernels never allocate and never probe the CPU. Lengths are in elements; strides are in
//     elements too (`_stride`). Every kernel of every ISA gives identical bytes.
//   - Zero points are folded into the packed bias: packed_bias[c] = bias[c] − zp_in·Σ w[c]
//     (and − 128·Σ w[c] more for tiles whose kernels compute u8×s8 after input ^ 0x80, see
//     ffem_qs8_gemm_tile.input_xor). Taps that fall into the padding read as the input zero
//     point (real 0), so that they cancel exactly.
#ifndef FFEM_QS8_H
#define FFEM_QS8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Parameters

/// Per-output-channel requantization: channel c maps acc to
/// clamp(output_zero_point + MultiplyByQuantizedMultiplier(acc, multiplier[c], shift[c]), output_min, output_max).
typedef struct ffem_qs8_requant_params {
  const int32_t *multiplier;  ///< [channels], each in [2^30, 2^31) (or 0)
  const int32_t *shift;       ///< [channels], each in [FFEM_SHIFT_MIN, FFEM_SHIFT_MAX]; > 0 is a left shift
  int32_t output_zero_point;  ///< [−128, 127]
  int32_t output_min;         ///< −128 ≤ output_min ≤ output_max ≤ 127
  int32_t output_max;
} ffem_qs8_requant_params;

/// The window of a 3×3 convolution (standard or depthwise) over one NHWC image.
/// Output pixel (oy, ox) reads input rows oy·stride − padding_top + ky and columns
/// ox·stride − padding_left + kx, ky, kx ∈ {0, 1, 2}; rows/columns outside the image read as
/// input_zero_point. Input pixels are `input_channels` int8 apart (contiguous rows); output
/// pixels are `output_channels` apart (= input_channels for depthwise).
typedef struct ffem_qs8_conv3x3_geometry {
  uint32_t input_height, input_width, input_channels;
  uint32_t output_height, output_width, output_channels;
  uint32_t stride;                     ///< 1 or 2
  uint32_t padding_top, padding_left;  ///< 0 or 1 (TFLite SAME gives 1 for stride 1; for stride 2, 0 or 1)
  int32_t input_zero_point;
} ffem_qs8_conv3x3_geometry;

/// TFLite ADD (int8), with two input scales:
///   a' = MultiplyByQuantizedMultiplier((a − a_zero_point) · 2^left_shift, a_multiplier, a_shift)
///   b' likewise,
///   out = clamp(output_zero_point + MultiplyByQuantizedMultiplier(a' + b', output_multiplier, output_shift),
///               output_min, output_max)
/// with, as TFLite chooses them, left_shift = 20, twice_max = 2·max(s_a, s_b),
/// a_multiplier ≈ s_a / twice_max, b_multiplier ≈ s_b / twice_max,
/// output_multiplier ≈ twice_max / (2^20 · s_out). The (a − zp)·2^20 step must not wrap:
/// left_shift ≤ 22 keeps |a − zp|·2^left_shift < 2^31.
typedef struct ffem_qs8_add_params {
  int32_t a_zero_point, a_multiplier, a_shift;
  int32_t b_zero_point, b_multiplier, b_shift;
  int32_t left_shift;  ///< [0, 22]
  int32_t output_multiplier, output_shift;
  int32_t output_zero_point, output_min, output_max;
} ffem_qs8_add_params;

/// TFLite PRELU (int8), alpha per channel with its own zero point:
///   v = x − input_zero_point
///   v ≥ 0: out = zp_out + MultiplyByQuantizedMultiplier(v, positive_multiplier, positive_shift)
///   v < 0: out = zp_out + MultiplyByQuantizedMultiplier(v · (alpha[c] − alpha_zero_point),
///                                                       negative_multiplier[c], negative_shift[c])
///   then clamped to [output_min, output_max].
/// positive ≈ s_in / s_out; negative[c] ≈ s_in · s_alpha[c] / s_out (TFLite has one alpha scale;
/// per-channel arrays allow per-channel alpha scales too — pass the same value for TFLite).
typedef struct ffem_qs8_prelu_params {
  int32_t input_zero_point;
  int32_t alpha_zero_point;
  int32_t positive_multiplier, positive_shift;
  const int32_t *negative_multiplier;  ///< [channels]
  const int32_t *negative_shift;       ///< [channels]
  int32_t output_zero_point, output_min, output_max;
} ffem_qs8_prelu_params;

/// Global average pooling: per channel, acc = Σ_p x[p][c] − pixels · input_zero_point, then
/// out = clamp(zp_out + MultiplyByQuantizedMultiplier(acc, multiplier, shift), min, max),
/// with multiplier/shift ≈ s_in / (pixels · s_out). pixels · 255 must stay below 2^31.
typedef struct ffem_qs8_gavgpool_params {
  int32_t input_zero_point;
  int32_t multiplier, shift;
  int32_t output_zero_point, output_min, output_max;
} ffem_qs8_gavgpool_params;

/// Fused activations, expressed as output clamps.
typedef enum ffem_activation {
  FFEM_ACTIVATION_NONE = 0,
  FFEM_ACTIVATION_RELU = 1,   ///< max(x, 0)
  FFEM_ACTIVATION_RELU6 = 2,  ///< min(max(x, 0), 6)
} ffem_activation;

/// The [output_min, output_max] clamp of an activation on an int8 tensor (scale, zero_point),
/// as TFLite computes it: min = max(−128, zp), max = min(127, zp + round(6 / scale)) for ReLU6.
/// Load-time only (float math).
void ffem_qs8_activation_bounds(ffem_activation activation, float scale, int32_t zero_point, int32_t *output_min,
                                int32_t *output_max);

// MARK: - Kernel signatures (one whole op per call; the kernel loops over its own tiles)

/// GEMM — pointwise 1×1 convolution (M = pixels, K = input channels, N = output channels) and
/// fully connected layers (M = batch rows):
///   output[i][j] = requant_j(packed_bias[j] + Σ_k input[i][k] · w[j][k])
/// `input` rows are `input_stride` int8 apart (≥ k), `output` rows `output_stride` (≥ n).
/// `packed_weights` comes from ffem_x8_pack_gemm with this kernel's tile.
typedef void (*ffem_qs8_gemm_fn)(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                 const void *packed_weights, int8_t *output, size_t output_stride,
                                 const ffem_qs8_requant_params *params);

/// 3×3 convolution (the stem: input channels 3) or 3×3 depthwise convolution, whole image,
/// geometry as ffem_qs8_conv3x3_geometry; weights from ffem_x8_pack_conv3x3 /
/// ffem_x8_pack_dwconv with the kernel's tile.
typedef void (*ffem_qs8_conv3x3_fn)(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                    const void *packed_weights, int8_t *output, const ffem_qs8_requant_params *params);

/// Global depthwise convolution (GDC, e.g. 7×7×512 → 1×1×512): the kernel covers the whole
/// input, so for each channel c: out[c] = requant_c(packed_bias[c] + Σ_p input[p][c] · w[c][p]),
/// p over `pixels` (= kernel height · width, row-major). Weights from ffem_x8_pack_dwconv
/// with taps = pixels.
typedef void (*ffem_qs8_gdconv_fn)(size_t pixels, size_t channels, const int8_t *input, const void *packed_weights,
                                   int8_t *output, const ffem_qs8_requant_params *params);

/// Elementwise residual add of two int8 tensors of `count` elements (ffem_qs8_add_params).
typedef void (*ffem_qs8_vadd_fn)(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                 const ffem_qs8_add_params *params);

/// Per-channel PReLU over `pixels` NHWC pixels of `channels` (ffem_qs8_prelu_params).
typedef void (*ffem_qs8_vprelu_fn)(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                   int8_t *output, const ffem_qs8_prelu_params *params);

/// Global average pooling of `pixels` NHWC pixels to one pixel of `channels`.
typedef void (*ffem_qs8_gavgpool_fn)(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                     const ffem_qs8_gavgpool_params *params);

/// Requantization of an int32 buffer [rows][channels] to int8 with per-channel parameters.
typedef void (*ffem_qs8_requant_fn)(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                    const ffem_qs8_requant_params *params);

/// Standalone ReLU/ReLU6 (or any clamp): output[i] = clamp(input[i], output_min, output_max).
typedef void (*ffem_qs8_vclamp_fn)(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                   int8_t output_max);

// MARK: - Fused epilogues

/// A per-channel PReLU fused into the output stage of a GEMM or 3×3 (depthwise) convolution
/// kernel (`_minmax_prelu_` kernels). Contract: the fused kernel writes exactly the bytes of the
/// plain kernel's output passed through ffem_qs8_vprelu_ukernel__scalar with `params` and
/// `alpha` ([output channels]); params->input_zero_point is the plain kernel's output zero point
/// in every model, but any value is honoured. The intermediate int8 tensor is never written.
typedef struct ffem_qs8_prelu_epilogue {
  const ffem_qs8_prelu_params *params;
  const int8_t *alpha;
} ffem_qs8_prelu_epilogue;

/// GEMM with a fused PReLU (ffem_qs8_gemm_fn's arguments and packing, then `prelu`).
typedef void (*ffem_qs8_gemm_prelu_fn)(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                       const void *packed_weights, int8_t *output, size_t output_stride,
                                       const ffem_qs8_requant_params *params, const ffem_qs8_prelu_epilogue *prelu);

/// 3×3 (depthwise) convolution with a fused PReLU (ffem_qs8_conv3x3_fn's arguments, then `prelu`).
typedef void (*ffem_qs8_conv3x3_prelu_fn)(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                          const void *packed_weights, int8_t *output,
                                          const ffem_qs8_requant_params *params, const ffem_qs8_prelu_epilogue *prelu);

// MARK: - Tiles and weight packing (x8-pack/)

/// How a GEMM kernel reads its packed weights. For each block of `nr` output channels (the last
/// block zero-padded): nr int32 packed biases, then for each block of `kr` input channels (K
/// zero-padded to a multiple of kr) nr × kr int8 weights, channel-major inside the block:
///   [bias 0..nr−1] [w(n0,k0..k0+kr−1) … w(n0+nr−1, …)] [next k block] …
/// `mr` is the number of rows the kernel computes at once (metadata for planners/benchmarks).
/// `input_xor` is 0x80 for kernels that compute (input ^ 0x80) as uint8 times int8 weights
/// (x86 VNNI `vpdpbusd`): their packed bias subtracts 128·Σ w more, since (x ^ 0x80) = x + 128.
typedef struct ffem_qs8_gemm_tile {
  uint32_t mr, nr, kr;
  uint32_t input_xor;
} ffem_qs8_gemm_tile;

/// Weight layouts of depthwise tiles.
typedef enum ffem_dwconv_layout {
  /// For each tap t (ky·3 + kx, or the pixel index for GDC): cr int8 weights.
  FFEM_DWCONV_LAYOUT_INT8_TAPS = 0,
  /// For x86 pmaddwd kernels (cr a multiple of 8): for each tap pair (2p, 2p+1) (a missing last
  /// tap has weight 0), two vectors "lo" and "hi" of cr/2 int32 lanes, each lane an int16 pair
  /// (w[c][2p], w[c][2p+1]), where lane i of lo is channel (i/4)·8 + i%4 and lane i of hi is
  /// channel (i/4)·8 + 4 + i%4 — the order punpcklwd/punpckhwd of two tap vectors produce.
  FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS = 1,
  /// For x86 vpdpbusd 3×3 kernels that read the input XOR 0x80 (cr a multiple of 16, taps 9): for
  /// each kernel column kx, four vectors j = 0…3 of cr/4 int32 lanes, lane (k, i) (k = lane / 4,
  /// i = lane % 4) holding the bytes (w[c][kx], w[c][3 + kx], w[c][6 + kx], 0) of channel
  /// c = 16k + 4j + i of each 64-channel group — the order punpck{l,h}bw then punpck{l,h}wd of
  /// three input rows produce. The packed biases also carry −128·Σ w (the XOR).
  FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES = 2,
} ffem_dwconv_layout;

/// Packed channels-blocked layout of depthwise weights (3×3 depthwise and GDC): for each block
/// of `cr` channels (the last zero-padded): cr int32 packed biases in channel order, then the
/// weights in `layout`.
typedef struct ffem_qs8_dwconv_tile {
  uint32_t cr;
  ffem_dwconv_layout layout;
} ffem_qs8_dwconv_tile;

/// Weight layouts of standard 3×3 convolution tiles.
typedef enum ffem_conv3x3_layout {
  /// For each window index i = (ky·3 + kx)·input_channels + ci: nr int8 weights.
  FFEM_CONV3X3_LAYOUT_INT8 = 0,
  /// For x86 pmaddwd/vpdpwssd kernels: for each pair of window indices (2q, 2q+1) (the last
  /// padded with weight 0 when 9·input_channels is odd): nr int32 lanes, lane j holding the
  /// int16 pair (w[o0+j][2q], w[o0+j][2q+1]).
  FFEM_CONV3X3_LAYOUT_INT16_PAIRS = 1,
  /// For kernels that run the 3×3 window as a GEMM row (K = 9·input_channels, window indices in
  /// OHWI order): exactly ffem_x8_pack_gemm with the GEMM tile {mr 8, nr, kr 4, input_xor 0x80}
  /// over the weights [output_channels][9·input_channels] — nr int32 packed biases (also
  /// − 128·Σ w), then for each group of 4 window indices (K zero-padded) nr × 4 int8 — and no
  /// further header, so ffem_x8_pack_conv3x3_size/ffem_x8_pack_conv3x3 equal the GEMM packer's.
  FFEM_CONV3X3_LAYOUT_GEMM_C4 = 2,
} ffem_conv3x3_layout;

/// Packed layout of a standard 3×3 convolution: for each block of `nr` output channels (the
/// last zero-padded): nr int32 packed biases, then the weights in `layout`, window indices in
/// OHWI order (ky, kx, ci), the block's output channels side by side.
typedef struct ffem_qs8_conv3x3_tile {
  uint32_t nr;
  ffem_conv3x3_layout layout;
} ffem_qs8_conv3x3_tile;

/// Bytes of packed GEMM weights for n output channels and k input channels with `tile`.
size_t ffem_x8_pack_gemm_size(const ffem_qs8_gemm_tile *tile, size_t n, size_t k);
/// Packs weights [n][k] (OHWI of a 1×1 conv or FC) and bias [n] (NULL = 0) with the input zero
/// point folded in: packed_bias[j] = bias[j] − (input_zero_point + (input_xor ? 128 : 0)) · Σ_k w[j][k].
void ffem_x8_pack_gemm(const ffem_qs8_gemm_tile *tile, size_t n, size_t k, const int8_t *weights,
                       const int32_t *bias, int32_t input_zero_point, void *packed);

/// Bytes of packed depthwise weights for `channels` channels and `taps` taps (9 for 3×3).
size_t ffem_x8_pack_dwconv_size(const ffem_qs8_dwconv_tile *tile, size_t channels, size_t taps);
/// Packs depthwise weights [channels][taps] (OHWI with I = 1) and bias, with
/// packed_bias[c] = bias[c] − input_zero_point · Σ_t w[c][t] (− 128 · Σ_t w[c][t] more for
/// FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES).
void ffem_x8_pack_dwconv(const ffem_qs8_dwconv_tile *tile, size_t channels, size_t taps, const int8_t *weights,
                         const int32_t *bias, int32_t input_zero_point, void *packed);

/// Bytes of packed 3×3 convolution weights.
size_t ffem_x8_pack_conv3x3_size(const ffem_qs8_conv3x3_tile *tile, size_t output_channels, size_t input_channels);
/// Packs OHWI weights [output_channels][3][3][input_channels] and bias, with
/// packed_bias[o] = bias[o] − input_zero_point · Σ w[o][·][·][·].
void ffem_x8_pack_conv3x3(const ffem_qs8_conv3x3_tile *tile, size_t output_channels, size_t input_channels,
                          const int8_t *weights, const int32_t *bias, int32_t input_zero_point, void *packed);

// MARK: - Kernels: scalar (the oracles; never optimised in place)

void ffem_qs8_gemm_minmax_ukernel_1x4__scalar(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                              const void *packed_weights, int8_t *output, size_t output_stride,
                                              const ffem_qs8_requant_params *params);
void ffem_qs8_conv3x3_minmax_ukernel_1__scalar(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                               const void *packed_weights, int8_t *output,
                                               const ffem_qs8_requant_params *params);
void ffem_qs8_dwconv3x3_minmax_ukernel_c1__scalar(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                  const void *packed_weights, int8_t *output,
                                                  const ffem_qs8_requant_params *params);
void ffem_qs8_gdconv_minmax_ukernel_c1__scalar(size_t pixels, size_t channels, const int8_t *input,
                                               const void *packed_weights, int8_t *output,
                                               const ffem_qs8_requant_params *params);
void ffem_qs8_vadd_minmax_ukernel__scalar(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                          const ffem_qs8_add_params *params);
void ffem_qs8_vprelu_ukernel__scalar(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                     int8_t *output, const ffem_qs8_prelu_params *params);
void ffem_qs8_gavgpool_minmax_ukernel__scalar(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                              const ffem_qs8_gavgpool_params *params);
void ffem_qs8_requant_ukernel__scalar(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                      const ffem_qs8_requant_params *params);
void ffem_qs8_vclamp_ukernel__scalar(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                     int8_t output_max);

// MARK: - Kernels: x86 (defined only when compiling for x86-64)

#if defined(__x86_64__)
void ffem_qs8_gemm_minmax_ukernel_3x4c8__sse41(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                               const void *packed_weights, int8_t *output, size_t output_stride,
                                               const ffem_qs8_requant_params *params);
void ffem_qs8_gemm_minmax_ukernel_3x8c8__avx2(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                              const void *packed_weights, int8_t *output, size_t output_stride,
                                              const ffem_qs8_requant_params *params);
void ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni(size_t m, size_t n, size_t k, const int8_t *input,
                                                     size_t input_stride, const void *packed_weights, int8_t *output,
                                                     size_t output_stride, const ffem_qs8_requant_params *params);
void ffem_qs8_dwconv3x3_minmax_ukernel_c8__sse41(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                  const void *packed_weights, int8_t *output,
                                                  const ffem_qs8_requant_params *params);
void ffem_qs8_dwconv3x3_minmax_ukernel_c16__avx2(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                 const void *packed_weights, int8_t *output,
                                                 const ffem_qs8_requant_params *params);
void ffem_qs8_dwconv3x3_minmax_ukernel_c64__avx512vnni(const ffem_qs8_conv3x3_geometry *geometry,
                                                       const int8_t *input, const void *packed_weights,
                                                       int8_t *output, const ffem_qs8_requant_params *params);
void ffem_qs8_conv3x3_minmax_ukernel_4__sse41(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                              const void *packed_weights, int8_t *output,
                                              const ffem_qs8_requant_params *params);
void ffem_qs8_gdconv_minmax_ukernel_c8__sse41(size_t pixels, size_t channels, const int8_t *input,
                                              const void *packed_weights, int8_t *output,
                                              const ffem_qs8_requant_params *params);
void ffem_qs8_gavgpool_minmax_ukernel__sse41(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                             const ffem_qs8_gavgpool_params *params);
void ffem_qs8_conv3x3_minmax_ukernel_8__avx2(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                             const void *packed_weights, int8_t *output,
                                             const ffem_qs8_requant_params *params);
void ffem_qs8_conv3x3_minmax_ukernel_8x32c4__avx512vnni(const ffem_qs8_conv3x3_geometry *geometry,
                                                         const int8_t *input, const void *packed_weights,
                                                         int8_t *output, const ffem_qs8_requant_params *params);
void ffem_qs8_gdconv_minmax_ukernel_c16__avx2(size_t pixels, size_t channels, const int8_t *input,
                                              const void *packed_weights, int8_t *output,
                                              const ffem_qs8_requant_params *params);
void ffem_qs8_gdconv_minmax_ukernel_c32__avx512vnni(size_t pixels, size_t channels, const int8_t *input,
                                                    const void *packed_weights, int8_t *output,
                                                    const ffem_qs8_requant_params *params);
void ffem_qs8_vadd_minmax_ukernel__sse41(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                         const ffem_qs8_add_params *params);
void ffem_qs8_vadd_minmax_ukernel__avx2(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                        const ffem_qs8_add_params *params);
void ffem_qs8_vadd_minmax_ukernel__avx512vnni(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                              const ffem_qs8_add_params *params);
void ffem_qs8_vprelu_ukernel__sse41(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                    int8_t *output, const ffem_qs8_prelu_params *params);
void ffem_qs8_vclamp_ukernel__sse41(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                    int8_t output_max);
void ffem_qs8_vclamp_ukernel__avx2(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                   int8_t output_max);
void ffem_qs8_vclamp_ukernel__avx512vnni(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                         int8_t output_max);
void ffem_qs8_vprelu_ukernel__avx2(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                   int8_t *output, const ffem_qs8_prelu_params *params);
void ffem_qs8_vprelu_ukernel__avx512vnni(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                         int8_t *output, const ffem_qs8_prelu_params *params);
void ffem_qs8_gavgpool_minmax_ukernel__avx2(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                            const ffem_qs8_gavgpool_params *params);
void ffem_qs8_gavgpool_minmax_ukernel__avx512vnni(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                                  const ffem_qs8_gavgpool_params *params);
void ffem_qs8_requant_ukernel__sse41(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                     const ffem_qs8_requant_params *params);
void ffem_qs8_requant_ukernel__avx2(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                    const ffem_qs8_requant_params *params);
void ffem_qs8_requant_ukernel__avx512vnni(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                          const ffem_qs8_requant_params *params);
void ffem_qs8_gemm_minmax_prelu_ukernel_8x32c4__avx512vnni(size_t m, size_t n, size_t k, const int8_t *input,
                                                           size_t input_stride, const void *packed_weights,
                                                           int8_t *output, size_t output_stride,
                                                           const ffem_qs8_requant_params *params,
                                                           const ffem_qs8_prelu_epilogue *prelu);
void ffem_qs8_dwconv3x3_minmax_prelu_ukernel_c64__avx512vnni(const ffem_qs8_conv3x3_geometry *geometry,
                                                             const int8_t *input, const void *packed_weights,
                                                             int8_t *output, const ffem_qs8_requant_params *params,
                                                             const ffem_qs8_prelu_epilogue *prelu);
#endif

// MARK: - Dispatch

/// ISA bits of a feature mask. FFEM_ISA_SCALAR is always available. x86: AVX512VNNI means
/// AVX-512 F+BW+VL+VNNI with the OS saving ZMM/opmask state. ARM: NEON is ARMv8.0 AdvSIMD on
/// AArch64, NEONDOT the ARMv8.2 dot product (HWCAP_ASIMDDP), ARMV7NEON 32-bit NEON (HWCAP_NEON).
enum {
  FFEM_ISA_SCALAR = 1u << 0,
  FFEM_ISA_SSE41 = 1u << 1,
  FFEM_ISA_AVX2 = 1u << 2,
  FFEM_ISA_AVX512VNNI = 1u << 3,
  FFEM_ISA_NEON = 1u << 8,
  FFEM_ISA_NEONDOT = 1u << 9,
  FFEM_ISA_ARMV7NEON = 1u << 10,
};

/// A GEMM kernel and the tile its weights must be packed with.
typedef struct ffem_qs8_gemm_config {
  ffem_qs8_gemm_fn ukernel;
  ffem_qs8_gemm_tile tile;
  uint32_t isa;      ///< the FFEM_ISA_* bit the kernel needs
  const char *name;  ///< the kernel's C name
} ffem_qs8_gemm_config;

typedef struct ffem_qs8_dwconv_config {
  ffem_qs8_conv3x3_fn ukernel;
  ffem_qs8_dwconv_tile tile;
  uint32_t isa;
  const char *name;
} ffem_qs8_dwconv_config;

typedef struct ffem_qs8_gdconv_config {
  ffem_qs8_gdconv_fn ukernel;
  ffem_qs8_dwconv_tile tile;
  uint32_t isa;
  const char *name;
} ffem_qs8_gdconv_config;

typedef struct ffem_qs8_conv3x3_config {
  ffem_qs8_conv3x3_fn ukernel;
  ffem_qs8_conv3x3_tile tile;
  uint32_t isa;
  const char *name;
} ffem_qs8_conv3x3_config;

/// A fused kernel, or ukernel == NULL when the table's ISA has none (the runtime then runs the
/// plain kernel and the standalone op). A fused GEMM/conv kernel always uses the same tile and
/// packing as the plain kernel of its slot (gemm, dwconv3x3, conv3x3), so one packing serves both.
typedef struct ffem_qs8_gemm_prelu_config { ffem_qs8_gemm_prelu_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_gemm_prelu_config;
typedef struct ffem_qs8_conv3x3_prelu_config { ffem_qs8_conv3x3_prelu_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_conv3x3_prelu_config;

typedef struct ffem_qs8_vadd_config { ffem_qs8_vadd_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_vadd_config;
typedef struct ffem_qs8_vprelu_config { ffem_qs8_vprelu_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_vprelu_config;
typedef struct ffem_qs8_gavgpool_config { ffem_qs8_gavgpool_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_gavgpool_config;
typedef struct ffem_qs8_requant_config { ffem_qs8_requant_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_requant_config;
typedef struct ffem_qs8_vclamp_config { ffem_qs8_vclamp_fn ukernel; uint32_t isa; const char *name; } ffem_qs8_vclamp_config;

/// One kernel (with its tile and packer contract) per op, for one ISA mask. Filled once by
/// ffem_kernel_table_fill, then read only. `fc` is the GEMM chosen for fully connected layers
/// (few rows); packers are chosen by the tile (ffem_x8_pack_*).
typedef struct ffem_kernel_table {
  uint32_t isa_mask;  ///< the mask the table was filled from
  ffem_qs8_gemm_config gemm;
  ffem_qs8_gemm_config fc;
  ffem_qs8_conv3x3_config conv3x3;
  ffem_qs8_dwconv_config dwconv3x3;
  ffem_qs8_gdconv_config gdconv;
  ffem_qs8_vadd_config vadd;
  ffem_qs8_vprelu_config vprelu;
  ffem_qs8_gavgpool_config gavgpool;
  ffem_qs8_requant_config requant;
  ffem_qs8_vclamp_config vclamp;
  ffem_qs8_gemm_prelu_config gemm_prelu;          ///< fused with `gemm` (1×1 convolutions)
  ffem_qs8_conv3x3_prelu_config dwconv3x3_prelu;  ///< fused with `dwconv3x3`
} ffem_kernel_table;

/// The ISAs this CPU and OS support (FFEM_ISA_SCALAR always set). Probes on every call; callers
/// probe once and keep the result.
uint32_t ffem_cpu_features(void);

/// Fills `table` with, for every op, the kernel of the best ISA in `isa_mask` that has one
/// (x86: avx512vnni > avx2 > sse41 > scalar; ARM: neondot > neon / armv7neon > scalar).
/// Scalar kernels fill every slot first, so every op always has a kernel. The per-architecture
/// fills intersect `isa_mask` with their own probe, so the table never holds a kernel outside
/// `isa_mask` nor one the CPU lacks, whatever mask is passed.
void ffem_kernel_table_fill(ffem_kernel_table *table, uint32_t isa_mask);

/// Result flags of ffem_isa_mask_parse.
enum {
  FFEM_ISA_PARSE_OK = 0,
  FFEM_ISA_PARSE_UNKNOWN_NAME = 1,  ///< a name was not one of the FFEM_ISA names; it was ignored
  FFEM_ISA_PARSE_UNAVAILABLE = 2,   ///< a named ISA is missing on this CPU; it was dropped
};

/// Parses an FFEM_ISA value: a comma-separated list of scalar | sse41 | avx2 | avx512vnni |
/// neon | neondot | armv7neon (spaces ignored, case-sensitive). The rule: the result is exactly
/// the named ISAs that `available` contains, plus FFEM_ISA_SCALAR (always). Naming an ISA
/// does not imply the lesser ones ("avx2" alone allows avx2 and scalar kernels, not sse41).
/// Unknown names and ISAs missing from `available` are left out and reported in `*flags`
/// (FFEM_ISA_PARSE_* bits; may be NULL). NULL or empty text returns `available`.
uint32_t ffem_isa_mask_parse(const char *text, uint32_t available, uint32_t *flags);

/// The mask the runtime uses: ffem_cpu_features(), restricted by the FFEM_ISA environment
/// variable when set (ffem_isa_mask_parse rules; `flags` as there, may be NULL).
uint32_t ffem_isa_mask_from_environment(uint32_t *flags);

/// The name of one FFEM_ISA_* bit ("scalar", "sse41", …), or "unknown".
const char *ffem_isa_name(uint32_t isa_bit);

// MARK: - Hooks of the per-architecture dispatch files

/// dispatch-x86.c: cpuid/xgetbv probe (0 on other architectures) and the x86 table fill.
uint32_t ffem_cpu_features_x86(void);
void ffem_kernel_table_fill_x86(ffem_kernel_table *table, uint32_t isa_mask);

/// dispatch-arm.c defines both on ARM (getauxval probe: HWCAP_ASIMD, HWCAP_ASIMDDP; HWCAP_NEON on
/// armv7), filling only slots whose ISA bit is in `isa_mask`; on other architectures dispatch.c
/// defines them (no features, no kernels).
uint32_t ffem_cpu_features_arm(void);
void ffem_kernel_table_fill_arm(ffem_kernel_table *table, uint32_t isa_mask);

#ifdef __cplusplus
}
#endif
#endif
