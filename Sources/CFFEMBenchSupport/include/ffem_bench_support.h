// CFFEMBenchSupport — machine measurements for ffem-bench: monotonic time, core clock under load,
// per-ISA int8 multiply-add peaks and memory copy bandwidth. libc only; x86 probes under __x86_64__.
#ifndef FFEM_BENCH_SUPPORT_H
#define FFEM_BENCH_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t ffem_bench_now_ns(void);

/// The core clock under load in Hz: a chain of `iterations`·64 dependent 64-bit adds (1 cycle
/// latency each on every x86 core of the last decade) timed with the monotonic clock; the best
/// of `repeats`. 0 where no probe exists (non-x86).
double ffem_bench_clock_hz(uint64_t iterations, int repeats);

/// Measured int8 multiply-adds per cycle of one ISA's widest MAC instruction, from a loop of 12
/// independent accumulators (throughput, not latency) timed against `clock_hz`:
///   scalar: imul+add (1 MAC each); sse41: pmaddwd xmm (8 MACs); avx2: vpmaddwd ymm (16 MACs);
///   avx512vnni: vpdpbusd zmm (64 MACs). Best of 30 runs. `isa` is an FFEM_ISA_* bit; 0 if not
/// measurable here.
double ffem_bench_macs_per_cycle(uint32_t isa, double clock_hz, uint64_t iterations);

/// Copy bandwidth in bytes per second (bytes read + bytes written) of memcpy over two buffers of
/// `bytes` each (allocated here, touched first), best of `repeats`.
double ffem_bench_copy_bandwidth(size_t bytes, int repeats);

/// Keeps a value alive so the compiler cannot drop the work that produced it.
void ffem_bench_consume(const void *pointer);

#ifdef __cplusplus
}
#endif
#endif
