// ffem-bench — Timer.swift: the best per-call time of a kernel.
import CFFEMBenchSupport

enum Timer {
    /// Runs `body` once to warm caches, then in batches sized to take ≥ 1 ms until `minimumNanoseconds`
    /// have passed and at least `minimumBatches` batches ran; returns the fastest batch's time per
    /// call in nanoseconds. The batch minimum keeps one preempted batch (a shared machine) from
    /// being the only sample of a slow kernel.
    static func bestNanoseconds(minimumNanoseconds: UInt64, minimumBatches: Int = 7, _ body: () -> Void) -> Double {
        body()
        var batch = 1
        while true {
            let start = ffem_bench_now_ns()
            for _ in 0..<batch { body() }
            if ffem_bench_now_ns() - start >= 1_000_000 || batch >= 1 << 20 { break }
            batch *= 2
        }
        var best = Double.infinity
        var batches = 0
        let deadline = ffem_bench_now_ns() + minimumNanoseconds
        repeat {
            let start = ffem_bench_now_ns()
            for _ in 0..<batch { body() }
            best = min(best, Double(ffem_bench_now_ns() - start) / Double(batch))
            batches += 1
        } while ffem_bench_now_ns() < deadline || batches < minimumBatches
        return best
    }
}
