// ffem-bench — MachineProfile.swift: the clock, per-ISA MAC peaks and copy bandwidth of this core.
import CFFEMBenchSupport
import CFFEMKernels

/// Measured once per run, before the kernels, single thread.
struct MachineProfile {
    /// Core clock under load (dependent-add chain).
    var clockHz: Double
    /// Measured int8 MACs per cycle of each ISA's widest MAC instruction, by ISA bit.
    var macsPerCycle: [UInt32: Double]
    /// memcpy bandwidth (read + write bytes per second) over 2 × 64 MiB: main memory.
    var memoryBandwidth: Double
    /// memcpy bandwidth over 2 × 512 KiB: the core's L2, where a MobileFaceNet layer lives.
    var cacheBandwidth: Double

    /// The nominal AVX-512 VNNI figure for Zen: one 512-bit vpdpbusd per cycle.
    static let nominalVNNIMacsPerCycle = 64.0

    static func measure(isas: [UInt32]) -> MachineProfile {
        let clock = ffem_bench_clock_hz(100_000, 100)  // 6.4M cycles per run, best of 100
        var macs: [UInt32: Double] = [:]
        for isa in isas { macs[isa] = ffem_bench_macs_per_cycle(isa, clock, 200_000) }
        return MachineProfile(clockHz: clock, macsPerCycle: macs,
                              memoryBandwidth: ffem_bench_copy_bandwidth(64 << 20, 5),
                              cacheBandwidth: ffem_bench_copy_bandwidth(512 << 10, 200))
    }

    /// Peak int8 operations per second (2 per MAC) of one ISA, as measured.
    func peakOps(_ isa: UInt32) -> Double { 2 * (macsPerCycle[isa] ?? 0) * clockHz }
}
