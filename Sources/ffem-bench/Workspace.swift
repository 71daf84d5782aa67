// ffem-bench — Workspace.swift: the buffers of one timed layer, filled with seeded random data.
import FFEMCore

/// Owns every allocation of one benchmark case; freed together when the case ends.
final class Workspace {
    private var allocations: [UnsafeMutableRawPointer] = []
    var rng: SeededRandom

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    deinit { for pointer in allocations { pointer.deallocate() } }

    func bytes(_ count: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        allocations.append(pointer)
        return pointer
    }

    /// Random int8 values in lower...upper.
    func int8s(_ count: Int, lower: Int = -128, upper: Int = 127) -> UnsafeMutablePointer<Int8> {
        let pointer = bytes(count).bindMemory(to: Int8.self, capacity: count)
        for i in 0..<count { pointer[i] = Int8(lower + rng.nextInt(below: upper - lower + 1)) }
        return pointer
    }

    func int32s(_ count: Int, lower: Int, upper: Int) -> UnsafeMutablePointer<Int32> {
        let pointer = bytes(count * 4).bindMemory(to: Int32.self, capacity: count)
        for i in 0..<count { pointer[i] = Int32(lower + rng.nextInt(below: upper - lower + 1)) }
        return pointer
    }

    /// Per-channel multipliers in [2^30, 2^31) and right shifts in −12…−6 (typical conv layers).
    func requantization(channels: Int) -> (multiplier: UnsafeMutablePointer<Int32>, shift: UnsafeMutablePointer<Int32>) {
        (int32s(channels, lower: 1 << 30, upper: Int(Int32.max)), int32s(channels, lower: -12, upper: -6))
    }
}
