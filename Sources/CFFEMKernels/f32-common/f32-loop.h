// CFFEMKernels — f32-loop.h: the loop annotation shared by the trainer's float kernels (private).
//
// clang gives `restrict` its no-alias meaning only on function parameters, so a channel loop over
// several row pointers is vectorised behind run-time overlap checks, or not at all when there are
// too many pointers (the PReLU backward loop ran scalar). FFEM_CHANNEL_LOOP before a `for` over
// channels states what every caller guarantees: within one iteration space the rows written do
// not overlap the rows read. Vectorising over channels reorders nothing within an element's
// arithmetic, so results are bit-identical to the scalar loop.
#ifndef FFEM_F32_LOOP_H
#define FFEM_F32_LOOP_H

#if defined(__clang__)
#define FFEM_CHANNEL_LOOP _Pragma("clang loop vectorize(assume_safety) interleave(enable)")
#else
#define FFEM_CHANNEL_LOOP
#endif

#endif

// Four floats as a GCC/clang vector (SSE2 on x86-64, NEON on ARM), loaded and stored unaligned.
// Used where the autovectoriser's output is poor: it turns `y > 0 ? g : a·g` into a per-lane
// conditional load of a. Lane arithmetic is the scalar arithmetic, so results match the scalar
// loop bit for bit (no FMA contraction: the kernels are compiled without -ffp-contract=fast and
// FMA is not enabled on x86; on ARM, contraction applies equally to the scalar tail).
#include <stdint.h>
#include <string.h>
typedef float ffem_f32x4 __attribute__((vector_size(16)));
typedef int32_t ffem_i32x4 __attribute__((vector_size(16)));

static inline ffem_f32x4 ffem_f32x4_load(const float *p) {
  ffem_f32x4 v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void ffem_f32x4_store(float *p, ffem_f32x4 v) { memcpy(p, &v, sizeof v); }
/// Lane-wise y > 0 ? positive : otherwise.
static inline ffem_f32x4 ffem_f32x4_select_positive(ffem_f32x4 y, ffem_f32x4 positive, ffem_f32x4 otherwise) {
  const ffem_i32x4 mask = y > (ffem_f32x4){0, 0, 0, 0};
  return (ffem_f32x4)((mask & (ffem_i32x4)positive) | (~mask & (ffem_i32x4)otherwise));
}
