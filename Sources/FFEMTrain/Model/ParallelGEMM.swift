// FFEMTrain — ParallelGEMM.swift: the convolutions' GEMMs split over the network's threads.
import COpenBLAS

/// Row-major SGEMMs split into contiguous row ranges (Parallel.bounds), each range one
/// single-threaded OpenBLAS call on one of the network's threads. OpenBLAS's own threading hands every GEMM to
/// its worker and back (its waiting thread yields the core), which cost about 10 % of a
/// MobileFaceNet step on 2 cores; splitting here removes the hand-off.
///
/// Results depend only on the thread count: each row of C is one call's row, and a reduction over
/// rows (`addTransposedProduct`) adds the per-part partial products in part order.
enum ParallelGEMM {
    /// OpenBLAS's own rule for one thread (GEMM_MULTITHREAD_THRESHOLD 4 × 65536 multiply-adds):
    /// smaller products stay one call, so they round exactly as before the split existed.
    static let singleCallMultiplyAdds = 4 * 65536

    /// Parts of a split: four per thread (at least 128 rows each), taken dynamically by the threads,
    /// so that a core slowed by other processes does not hold the others back at the end of every
    /// GEMM; one part for one thread or a small product. Fixed by (rows, work, threads), so results are too.
    static func parts(rows: Int, multiplyAdds: Int, threads: Int) -> Int {
        threads <= 1 || multiplyAdds <= singleCallMultiplyAdds ? 1 : max(1, min(4 * threads, rows / 128))
    }

    /// Runs `body(part, parts)` for every part with OpenBLAS limited to one thread meanwhile.
    private static func split(rows: Int, multiplyAdds: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let parts = parts(rows: rows, multiplyAdds: multiplyAdds, threads: threads)
        let saved = openblas_get_num_threads()
        if saved != 1 { openblas_set_num_threads(1) }
        DispatchParts.run(parts) { part in body(part, parts) }
        if saved != 1 { openblas_set_num_threads(saved) }
    }

    /// C[m × n] = A[m × k]·op(B) + beta·C, op(B) = Bᵀ (B is n × k) when `transposeB`, else B (k × n).
    static func product(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        transposeB: Bool, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        let cc = UncheckedPointer(c)
        split(rows: m, multiplyAdds: m * n * k, threads: threads) { part, parts in
            let rows = Parallel.bounds(part, of: parts, count: m)
            guard !rows.isEmpty else { return }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(rows.count), Int32(n), Int32(k), 1,
                        a + rows.lowerBound * lda, Int32(lda), b, Int32(ldb), beta, cc.pointer + rows.lowerBound * ldc, Int32(ldc))
        }
    }

    /// C[n1 × n2] += A[m × n1]ᵀ·B[m × n2]: part 0 adds its rows' product into C, the other parts
    /// write theirs into `scratch`, which is then added to C in part order.
    static func addTransposedProduct(m: Int, n1: Int, n2: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                     c: UnsafeMutablePointer<Float>, ldc: Int, scratch: FloatBuffer, threads: Int) {
        let parts = parts(rows: m, multiplyAdds: m * n1 * n2, threads: threads), size = n1 * n2
        scratch.resize(max(1, (parts - 1) * size))
        let cc = UncheckedPointer(c), partials = UncheckedPointer(scratch.pointer)
        split(rows: m, multiplyAdds: m * n1 * n2, threads: threads) { part, parts in
            let rows = Parallel.bounds(part, of: parts, count: m)
            let out = part == 0 ? cc.pointer : partials.pointer + (part - 1) * size
            let outStride = part == 0 ? ldc : n2
            if rows.isEmpty {
                if part > 0 { out.update(repeating: 0, count: size) }
                return
            }
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(n1), Int32(n2), Int32(rows.count), 1,
                        a + rows.lowerBound * lda, Int32(lda), b + rows.lowerBound * ldb, Int32(ldb), part == 0 ? 1 : 0, out, Int32(outStride))
        }
        for part in 1..<max(parts, 1) {
            let partial = scratch.pointer + (part - 1) * size
            for i in 0..<n1 {
                let row = c + i * ldc, source = partial + i * n2
                for j in 0..<n2 { row[j] += source[j] }
            }
        }
    }
}
