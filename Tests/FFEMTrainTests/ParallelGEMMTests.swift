// ParallelGEMMTests: the row-split GEMMs against a plain double-precision product, and repeated
// split products identical bit for bit.
import FFEMCore
import Testing
@testable import FFEMTrain

@Suite struct ParallelGEMMTests {
    /// |got − exact| ≤ 1e-5·Σ|terms|: float rounding of a sum of `k` products (k ≤ 70 here).
    static func close(_ got: Float, _ exact: Double, magnitude: Double) -> Bool { abs(Double(got) - exact) <= 1e-5 * magnitude + 1e-30 }

    @Test(arguments: [1, 2, 3])
    func productsMatchThePlainProduct(threads: Int) {
        var rng = SeededRandom(seed: 81)
        for (m, n, k) in [(1, 3, 2), (7, 5, 4), (70, 9, 13), (5, 1, 70)] {
            let a = (0..<(m * k)).map { _ in rng.nextFloat(in: -1, 1) }
            let bt = (0..<(n * k)).map { _ in rng.nextFloat(in: -1, 1) }  // n × k
            let c0 = (0..<(m * n)).map { _ in rng.nextFloat(in: -1, 1) }
            for (transposeB, beta) in [(true, Float(0)), (false, Float(1))] {
                // op(B): Bᵀ of the n × k matrix, or a k × n matrix holding the same values transposed.
                let b = transposeB ? bt : (0..<(k * n)).map { i in bt[(i % n) * k + i / n] }
                var c = c0
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    ParallelGEMM.product(m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: transposeB ? k : n,
                                         transposeB: transposeB, beta: beta, c: cp.baseAddress!, ldc: n, threads: threads)
                } } }
                for i in 0..<m {
                    for j in 0..<n {
                        var exact = Double(beta) * Double(c0[i * n + j]), magnitude = abs(exact)
                        for p in 0..<k {
                            let term = Double(a[i * k + p]) * Double(bt[j * k + p])
                            exact += term
                            magnitude += abs(term)
                        }
                        #expect(Self.close(c[i * n + j], exact, magnitude: magnitude), "m\(m) n\(n) k\(k) [\(i), \(j)]")
                    }
                }
            }
            // C (n × k) += Aᵀ·B over the m rows, with A = m × n, B = m × k.
            let an = (0..<(m * n)).map { _ in rng.nextFloat(in: -1, 1) }
            let start = (0..<(n * k)).map { _ in rng.nextFloat(in: -1, 1) }
            var c = start
            let scratch = FloatBuffer(count: 0)
            an.withUnsafeBufferPointer { ap in a.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                ParallelGEMM.addTransposedProduct(m: m, n1: n, n2: k, a: ap.baseAddress!, lda: n, b: bp.baseAddress!, ldb: k,
                                                  c: cp.baseAddress!, ldc: k, scratch: scratch, threads: threads)
            } } }
            for i in 0..<n {
                for j in 0..<k {
                    var exact = Double(start[i * k + j]), magnitude = abs(exact)
                    for r in 0..<m {
                        let term = Double(an[r * n + i]) * Double(a[r * k + j])
                        exact += term
                        magnitude += abs(term)
                    }
                    #expect(Self.close(c[i * k + j], exact, magnitude: magnitude), "Aᵀ·B m\(m) n\(n) k\(k) [\(i), \(j)]")
                }
            }
        }
    }

    /// The split is fixed by (rows, threads), so repeated runs give the same bits (what the
    /// resume-equals-uninterrupted check needs). It need not equal one call over all rows:
    /// OpenBLAS's edge tiles round differently.
    @Test func repeatedSplitProductsAreIdentical() {
        var rng = SeededRandom(seed: 82)
        let (m, n, k) = (301, 24, 40)
        let a = (0..<(m * k)).map { _ in rng.nextFloat(in: -1, 1) }, b = (0..<(n * k)).map { _ in rng.nextFloat(in: -1, 1) }
        func run() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                ParallelGEMM.product(m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: k, transposeB: true, beta: 0,
                                     c: cp.baseAddress!, ldc: n, threads: 2)
            } } }
            return c
        }
        let first = run()
        for _ in 0..<3 { #expect(run() == first) }
    }
}
