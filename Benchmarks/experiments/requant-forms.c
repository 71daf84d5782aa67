// Benchmarks/experiments/requant-forms.c — the cost of the numeric contract's requantization on
// AVX-512, per 64 outputs, in the forms the depthwise kernel could use (an experiment, not product
// code; Benchmarks/int8-kernels.md gives the command and the figures).
//
// Each form requantizes 64 int32 accumulators (4 vectors, per-channel multipliers in [2^30, 2^31)
// and shifts in −12…−1, the quantizer's range for depthwise layers) and stores 64 output bytes
// through the same vpackssdw/vpacksswb output stage as the c64 depthwise kernel; the accumulators
// stay in L1. Every form is first checked against the scalar contract (ffem_requantize_s32).
//   pack only     no requantization: the loads, the output stage and the store (the baseline)
//   contract      ffem_mbqm_avx512 (vpmuldq on even/odd lanes, 64-bit rounding, vpermt2d)
//   right shift   ffem_mbqm_right_avx512 (shift ≤ −1: the odd lanes' result left in the high
//                 int32 and merged by vpblendmd) — what the c64 depthwise kernel uses
//   float64       exact in double: x·(M/2^s) + K/2^s by one FMA (|x·M| < 2^51), floor by
//                 vcvtpd2dq{rd}, the negative-accumulator correction by a masked subtract
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/fixedpoint-avx512.h"
#include "ffem_fixedpoint.h"

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq")))
enum { OUTPUTS = 4096, PASSES = 64, REPEATS = 300 };  // 16 KiB of accumulators: L1

typedef struct float64_requant {
  __m512d multiplier[2], rounding[2], correction[2];  ///< M/2^s, K/2^s, 2^31/2^s for lanes 0–7, 8–15
} float64_requant;

TARGET static inline __m512i float64_mbqm(__m512i x, const float64_requant *q) {
  const __mmask16 negative = _mm512_cmplt_epi32_mask(x, _mm512_setzero_si512());
  __m512d half[2] = {_mm512_cvtepi32_pd(_mm512_castsi512_si256(x)), _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(x, 1))};
  __m256i result[2];
  for (int h = 0; h < 2; h++) {
    half[h] = _mm512_fmadd_pd(half[h], q->multiplier[h], q->rounding[h]);
    half[h] = _mm512_mask_sub_pd(half[h], (__mmask8)(negative >> (8 * h)), half[h], q->correction[h]);
    result[h] = _mm512_cvt_roundpd_epi32(half[h], _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  }
  return _mm512_inserti64x4(_mm512_castsi256_si512(result[0]), result[1], 1);
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

TARGET int main(void) {
  static int32_t acc[OUTPUTS] __attribute__((aligned(64)));
  static int8_t out[OUTPUTS] __attribute__((aligned(64)));
  int32_t multiplier[64], shift[64];
  srand(1);
  for (int i = 0; i < OUTPUTS; i++) acc[i] = rand() % 600001 - 300000;  // |9·255·127| < 300000
  for (int c = 0; c < 64; c++) {
    multiplier[c] = (1 << 30) + rand() % (1 << 30);
    shift[c] = -(1 + rand() % 12);
  }
  ffem_requant_avx512 contract[4];
  ffem_requant_right_avx512 right[4];
  float64_requant float64[4];
  for (int j = 0; j < 4; j++) {
    const __m512i m = _mm512_loadu_si512(multiplier + 16 * j), s = _mm512_loadu_si512(shift + 16 * j);
    contract[j] = ffem_requant_prepare_avx512(m, s);
    right[j] = ffem_requant_right_prepare_avx512(m, s);
    for (int h = 0; h < 2; h++) {
      double mv[8], kv[8], dv[8];
      for (int l = 0; l < 8; l++) {
        const int c = 16 * j + 8 * h + l, e = -shift[c];
        const double unit = ldexp(1.0, -(31 + e));
        mv[l] = multiplier[c] * unit;
        kv[l] = (double)((INT64_C(1) << 30) + (INT64_C(1) << (30 + e))) * unit;
        dv[l] = ldexp(1.0, 31) * unit;
      }
      float64[j].multiplier[h] = _mm512_loadu_pd(mv);
      float64[j].rounding[h] = _mm512_loadu_pd(kv);
      float64[j].correction[h] = _mm512_loadu_pd(dv);
    }
  }
  static const char *names[] = {"pack only", "contract", "right shift", "float64"};
  for (int form = 0; form < 4; form++) {
    double best = 1e30;
    for (int repeat = 0; repeat < REPEATS; repeat++) {
      const double start = now_seconds();
      for (int pass = 0; pass < PASSES; pass++) {
        for (int i = 0; i < OUTPUTS; i += 64) {
          __m512i m[4];
          for (int j = 0; j < 4; j++) {
            const __m512i x = _mm512_load_si512(acc + i + 16 * j);
            m[j] = form == 1 ? ffem_mbqm_avx512(x, &contract[j])
                 : form == 2 ? ffem_mbqm_right_avx512(x, &right[j])
                 : form == 3 ? float64_mbqm(x, &float64[j]) : x;
          }
          const __m512i words01 = _mm512_packs_epi32(m[0], m[1]), words23 = _mm512_packs_epi32(m[2], m[3]);
          _mm512_store_si512(out + i, _mm512_packs_epi16(words01, words23));
        }
      }
      const double elapsed = now_seconds() - start;
      if (elapsed < best) best = elapsed;
    }
    long mismatches = 0;
    for (int i = 0; form > 0 && i < OUTPUTS; i++) {
      // Output lane order of the packs: per 128-bit lane k, vectors 0…3 lanes 4k…4k+3 in turn.
      const int block = i / 64, k = (i % 64) / 16, j = (i % 16) / 4, lane = 4 * k + i % 4;
      const int c = 16 * j + lane;
      const int32_t x = acc[64 * block + c];
      const int32_t y = ffem_multiply_by_quantized_multiplier(x, multiplier[c], shift[c]);
      const int8_t expected = (int8_t)(y > 127 ? 127 : y < -128 ? -128 : y);
      if (out[i] != expected) mismatches++;
    }
    printf("%-12s %6.2f ns per 64 outputs (%ld mismatches against the scalar contract)\n", names[form],
           best * 1e9 / (PASSES * OUTPUTS / 64), mismatches);
  }
  return 0;
}
