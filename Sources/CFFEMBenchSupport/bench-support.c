// CFFEMBenchSupport — machine measurements (contracts in ffem_bench_support.h).
#include "ffem_bench_support.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

uint64_t ffem_bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile uint64_t sink;

void ffem_bench_consume(const void *pointer) { sink += (uint64_t)(uintptr_t)pointer; }

double ffem_bench_clock_hz(uint64_t iterations, int repeats) {
#if defined(__x86_64__)
  double best = 0;
  for (int r = 0; r < repeats; r++) {
    uint64_t x = 1, n = iterations;
    const uint64_t start = ffem_bench_now_ns();
    __asm__ volatile(
        "1:\n"
        ".rept 64\n add $1, %0\n .endr\n"
        "dec %1\n jnz 1b\n"
        : "+r"(x), "+r"(n));
    const uint64_t elapsed = ffem_bench_now_ns() - start;
    sink += x;
    // 64 dependent adds per iteration; the loop counter runs in parallel.
    const double hz = (double)iterations * 64.0 / ((double)elapsed * 1e-9);
    if (hz > best) best = hz;
  }
  return best;
#else
  (void)iterations;
  (void)repeats;
  return 0;
#endif
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) static double vnni_macs(uint64_t iterations) {
  __m512i a0 = _mm512_set1_epi32(1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0,
          a9 = a0, a10 = a0, a11 = a0;
  const __m512i x = _mm512_set1_epi32(0x01010101), y = _mm512_set1_epi32(0x02020202);
  for (uint64_t i = 0; i < iterations; i++) {
    __asm__ volatile(
        "vpdpbusd %12, %13, %0\n vpdpbusd %12, %13, %1\n vpdpbusd %12, %13, %2\n vpdpbusd %12, %13, %3\n"
        "vpdpbusd %12, %13, %4\n vpdpbusd %12, %13, %5\n vpdpbusd %12, %13, %6\n vpdpbusd %12, %13, %7\n"
        "vpdpbusd %12, %13, %8\n vpdpbusd %12, %13, %9\n vpdpbusd %12, %13, %10\n vpdpbusd %12, %13, %11\n"
        : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), "+v"(a7), "+v"(a8), "+v"(a9),
          "+v"(a10), "+v"(a11)
        : "v"(x), "v"(y));
  }
  const __m512i s = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
                                     _mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7)));
  const __m512i t = _mm512_add_epi32(_mm512_add_epi32(a8, a9), _mm512_add_epi32(a10, a11));
  sink += (uint64_t)_mm512_reduce_add_epi32(_mm512_add_epi32(s, t));
  return (double)iterations * 12.0 * 64.0;
}

__attribute__((target("avx2"))) static double avx2_macs(uint64_t iterations) {
  __m256i a[12];
  for (int i = 0; i < 12; i++) a[i] = _mm256_set1_epi16((short)(i + 1));
  const __m256i w = _mm256_set1_epi16(3);
  for (uint64_t i = 0; i < iterations; i++) {
    __asm__ volatile(
        "vpmaddwd %12, %0, %0\n vpmaddwd %12, %1, %1\n vpmaddwd %12, %2, %2\n vpmaddwd %12, %3, %3\n"
        "vpmaddwd %12, %4, %4\n vpmaddwd %12, %5, %5\n vpmaddwd %12, %6, %6\n vpmaddwd %12, %7, %7\n"
        "vpmaddwd %12, %8, %8\n vpmaddwd %12, %9, %9\n vpmaddwd %12, %10, %10\n vpmaddwd %12, %11, %11\n"
        : "+x"(a[0]), "+x"(a[1]), "+x"(a[2]), "+x"(a[3]), "+x"(a[4]), "+x"(a[5]), "+x"(a[6]), "+x"(a[7]),
          "+x"(a[8]), "+x"(a[9]), "+x"(a[10]), "+x"(a[11])
        : "x"(w));
  }
  for (int i = 0; i < 12; i++) sink += (uint64_t)_mm256_extract_epi32(a[i], 0);
  return (double)iterations * 12.0 * 16.0;
}

__attribute__((target("sse4.1"))) static double sse41_macs(uint64_t iterations) {
  __m128i a[12];
  for (int i = 0; i < 12; i++) a[i] = _mm_set1_epi16((short)(i + 1));
  const __m128i w = _mm_set1_epi16(3);
  for (uint64_t i = 0; i < iterations; i++) {
    __asm__ volatile(
        "pmaddwd %12, %0\n pmaddwd %12, %1\n pmaddwd %12, %2\n pmaddwd %12, %3\n"
        "pmaddwd %12, %4\n pmaddwd %12, %5\n pmaddwd %12, %6\n pmaddwd %12, %7\n"
        "pmaddwd %12, %8\n pmaddwd %12, %9\n pmaddwd %12, %10\n pmaddwd %12, %11\n"
        : "+x"(a[0]), "+x"(a[1]), "+x"(a[2]), "+x"(a[3]), "+x"(a[4]), "+x"(a[5]), "+x"(a[6]), "+x"(a[7]),
          "+x"(a[8]), "+x"(a[9]), "+x"(a[10]), "+x"(a[11])
        : "x"(w));
  }
  for (int i = 0; i < 12; i++) sink += (uint64_t)_mm_extract_epi32(a[i], 0);
  return (double)iterations * 12.0 * 8.0;
}

static double scalar_macs(uint64_t iterations) {
  uint64_t a[6] = {1, 2, 3, 4, 5, 6};
  const uint64_t w = 3;
  for (uint64_t i = 0; i < iterations; i++) {
    __asm__ volatile(
        "imul %6, %0\n imul %6, %1\n imul %6, %2\n imul %6, %3\n imul %6, %4\n imul %6, %5\n"
        "imul %6, %0\n imul %6, %1\n imul %6, %2\n imul %6, %3\n imul %6, %4\n imul %6, %5\n"
        : "+r"(a[0]), "+r"(a[1]), "+r"(a[2]), "+r"(a[3]), "+r"(a[4]), "+r"(a[5])
        : "r"(w));
  }
  for (int i = 0; i < 6; i++) sink += a[i];
  return (double)iterations * 12.0;
}
#endif

double ffem_bench_macs_per_cycle(uint32_t isa, double clock_hz, uint64_t iterations) {
#if defined(__x86_64__)
  double best = 0;
  for (int r = 0; r < 30; r++) {  // short runs, best of many: robust to preemption on a shared machine
    const uint64_t start = ffem_bench_now_ns();
    double macs = 0;
    switch (isa) {
      case 1u << 0: macs = scalar_macs(iterations); break;
      case 1u << 1: macs = sse41_macs(iterations); break;
      case 1u << 2: macs = avx2_macs(iterations); break;
      case 1u << 3: macs = vnni_macs(iterations); break;
      default: return 0;
    }
    const double seconds = (double)(ffem_bench_now_ns() - start) * 1e-9;
    const double per_cycle = macs / seconds / clock_hz;
    if (per_cycle > best) best = per_cycle;
  }
  return best;
#else
  (void)isa;
  (void)clock_hz;
  (void)iterations;
  return 0;
#endif
}

double ffem_bench_copy_bandwidth(size_t bytes, int repeats) {
  unsigned char *source = malloc(bytes), *destination = malloc(bytes);
  if (source == NULL || destination == NULL) {
    free(source);
    free(destination);
    return 0;
  }
  memset(source, 1, bytes);
  memset(destination, 2, bytes);
  double best = 0;
  for (int r = 0; r < repeats; r++) {
    const uint64_t start = ffem_bench_now_ns();
    memcpy(destination, source, bytes);
    const uint64_t elapsed = ffem_bench_now_ns() - start;
    ffem_bench_consume(destination);
    sink += destination[r % bytes];
    const double bandwidth = 2.0 * (double)bytes / ((double)elapsed * 1e-9);
    if (bandwidth > best) best = bandwidth;
  }
  free(source);
  free(destination);
  return best;
}
