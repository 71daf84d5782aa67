// FFEMTrain — Parallel.swift: splitting loops over the batch or channels across threads.
import Foundation

public enum Parallel {
    /// Calls `body` on `threads` contiguous, disjoint parts of 0..<count (fewer when count is small).
    /// The split depends only on (count, threads), so reductions combined in part order are deterministic.
    public static func forEachRange(_ count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threads, count))
        if parts == 1 {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            body(bounds(part, of: parts, count: count))
        }
    }

    /// For element-wise loops (no reduction across the range, so the split cannot change a result):
    /// four parts per thread, taken dynamically, so that a core slowed by other processes does not
    /// hold the others back at the end of the loop.
    public static func forEachElementRange(_ count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        forEachRange(count, threads: threads <= 1 ? 1 : 4 * threads, body)
    }

    /// Part `part` of `parts` near-equal contiguous ranges of 0..<count.
    public static func bounds(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }
}
