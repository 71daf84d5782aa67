// FFEMTrain — ClassificationHead.swift: phase-1 heads (a class-weight matrix on top of the embedding) and
// their softmax cross-entropy losses.
import COpenBLAS
import FFEMCore
import Foundation

/// The logit rule of a classification head. `s` is the scale, `m` the margin (paper symbols).
public enum HeadKind: Equatable, Sendable {
    /// Plain softmax: z = W x + b.
    case softmax
    /// L2-softmax (Ranjan et al. 2017): z = W (s·x/‖x‖) + b.
    case l2Softmax(s: Float)
    /// NormFace (Wang et al. 2017): z_c = s·cos θ_c, with cos θ_c = x̂·ŵ_c (both normalised).
    case normFace(s: Float)
    /// ArcFace (Deng et al. 2019): z_y = s·cos(θ_y + m), others s·cos θ_c. Where θ_y + m > π
    /// (cos θ_y < −cos m) the target logit is s·(cos θ_y − m·sin m) instead, as insightface does, so
    /// the logit stays monotonic in θ.
    case arcFace(s: Float, m: Float)
    /// CosFace (Wang et al. 2018): z_y = s·(cos θ_y − m), others s·cos θ_c.
    case cosFace(s: Float, m: Float)

    var isAngular: Bool {
        switch self {
        case .normFace, .arcFace, .cosFace: return true
        default: return false
        }
    }
}

/// Loss of one batch and the fraction of samples whose largest logit is their label.
public struct LossResult: Sendable {
    public var loss: Double
    public var accuracy: Double
}

/// A class-weight matrix W (classes × d) with a bias for the non-angular kinds, and its loss:
/// L = −(1/N) Σ_n log softmax(z_n)_{y_n}.
///
/// **Sharded (model-parallel) head**, as insightface's Partial FC without sampling: in a job of R
/// ranks, rank r holds only the rows of classes `classOffset ..< classOffset + classes`
/// (⌊r·C/R⌋ ..< ⌊(r+1)·C/R⌋: ⌊C/R⌋ or ⌈C/R⌉ each, none empty when C ≥ R) and sees the embeddings
/// of the whole global batch. Each rank computes its
/// block of logits; the softmax needs, per sample, max_c z_c (an all-reduce of the per-rank maxima)
/// and Σ_c exp(z_c − max) (an all-reduce of the per-rank sums); the target term comes from the rank
/// that owns the label. ∂L/∂W of a shard stays on its rank; ∂L/∂x is the sum of every shard's
/// contribution (an all-reduce of N×d values). The arithmetic is that of the whole head, class by
/// class; only the order of the per-sample sums over classes differs.
public final class ClassificationHead {
    public let kind: HeadKind
    /// Classes held here (all of them unless sharded).
    public let classes: Int
    public let dimension: Int
    /// First class held here, and the classes of the whole head.
    public let classOffset: Int
    public let totalClasses: Int
    /// The ranks that hold the other shards; nil for a whole head.
    public let communicator: (any Communicator)?
    public let weight: Parameter
    public let bias: Parameter?
    // Scratch, reused across steps.
    var normalizedInput: [Float] = []
    var inputNorms: [Float] = []
    var normalizedWeight: [Float] = []
    var weightNorms: [Float] = []
    var logits: [Float] = []
    var cosines: [Float] = []

    public convenience init(kind: HeadKind, classes: Int, dimension: Int, random: inout SeededRandom) {
        self.init(kind: kind, classes: classes, dimension: dimension, random: &random, communicator: nil)
    }

    /// Shard `communicator.rank` of a head over `classes` classes (the whole head when
    /// `communicator` is nil or has one rank). Its rows are initialised to the same values as the
    /// whole head's rows (the whole matrix is drawn once, transiently, and sliced), so a sharded
    /// run starts where a single-process run does.
    public init(kind: HeadKind, classes: Int, dimension: Int, random: inout SeededRandom, communicator: (any Communicator)?) {
        let range = ClassificationHead.shardRange(classes: classes, rank: communicator?.rank ?? 0, ranks: communicator?.size ?? 1)
        self.kind = kind
        self.classes = range.count
        self.dimension = dimension
        classOffset = range.lowerBound
        totalClasses = classes
        self.communicator = (communicator?.size ?? 1) > 1 ? communicator : nil
        let all = Initialization.glorotUniform(count: classes * dimension, fanIn: dimension, fanOut: classes, random: &random)
        weight = Parameter(name: "head.weight", shape: [range.count, dimension],
                           initial: Array(all[(range.lowerBound * dimension)..<(range.upperBound * dimension)]), isDecayed: true)
        bias = kind.isAngular ? nil : Parameter(name: "head.bias", shape: [range.count], initial: [Float](repeating: 0, count: range.count), isDecayed: false)
    }

    /// Classes of shard `rank` of `ranks`: ⌊r·C/R⌋ ..< ⌊(r+1)·C/R⌋ (balanced, consecutive).
    public static func shardRange(classes: Int, rank: Int, ranks: Int) -> Range<Int> {
        (rank * classes / ranks)..<((rank + 1) * classes / ranks)
    }

    /// The most rows a shard has in a job of `ranks` (the padded size used to gather shards).
    public static func shardSize(classes: Int, ranks: Int) -> Int { (classes + ranks - 1) / ranks }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    /// Rows of `source` (rows × d) scaled to unit length into `out`; returns the norms (floored at 1e-12).
    static func normalizeRows(_ source: UnsafePointer<Float>, rows: Int, dimension d: Int, into out: inout [Float]) -> [Float] {
        out = [Float](repeating: 0, count: rows * d)
        var norms = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            var sum: Float = 0
            for i in 0..<d { sum += source[r * d + i] * source[r * d + i] }
            norms[r] = max(sum.squareRoot(), 1e-12)
            for i in 0..<d { out[r * d + i] = source[r * d + i] / norms[r] }
        }
        return norms
    }

    /// The target logit's value and derivative with respect to cos θ_y.
    func target(_ cosine: Float) -> (value: Float, derivative: Float) {
        switch kind {
        case .arcFace(_, let m):
            let c = min(max(cosine, -1), 1)
            if c < -Foundation.cos(m) { return (c - m * Foundation.sin(m), 1) }
            let sine = max((1 - c * c).squareRoot(), 1e-6)
            return (c * Foundation.cos(m) - sine * Foundation.sin(m), Foundation.cos(m) + c * Foundation.sin(m) / sine)
        case .cosFace(_, let m): return (cosine - m, 1)
        default: return (cosine, 1)
        }
    }

    var scale: Float {
        switch kind {
        case .softmax: return 1
        case .l2Softmax(let s), .normFace(let s), .arcFace(let s, _), .cosFace(let s, _): return s
        }
    }

    /// Mean cross-entropy over the batch. Writes ∂L/∂embedding into `embeddingGradient` (overwrites) and
    /// adds ∂L/∂W (and ∂L/∂b) into the head's parameter gradients.
    public func loss(embeddings x: UnsafePointer<Float>, labels: [Int32], embeddingGradient: UnsafeMutablePointer<Float>) -> LossResult {
        let n = labels.count, d = dimension, c = classes
        logits = [Float](repeating: 0, count: n * c)
        let s = scale
        // 1. Logits.
        switch kind {
        case .softmax, .l2Softmax:
            var input = x
            if case .l2Softmax = kind {
                inputNorms = ClassificationHead.normalizeRows(x, rows: n, dimension: d, into: &normalizedInput)
                for i in 0..<normalizedInput.count { normalizedInput[i] *= s }
                input = normalizedInput.withUnsafeBufferPointer { UnsafePointer($0.baseAddress!) }
            }
            logits.withUnsafeMutableBufferPointer { z in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(c), Int32(d), 1, input, Int32(d),
                            weight.value.pointer, Int32(d), 0, z.baseAddress!, Int32(c))
            }
            if let bias { for r in 0..<n { for k in 0..<c { logits[r * c + k] += bias.value[k] } } }
        case .normFace, .arcFace, .cosFace:
            inputNorms = ClassificationHead.normalizeRows(x, rows: n, dimension: d, into: &normalizedInput)
            weightNorms = ClassificationHead.normalizeRows(weight.value.pointer, rows: c, dimension: d, into: &normalizedWeight)
            cosines = [Float](repeating: 0, count: n * c)
            cosines.withUnsafeMutableBufferPointer { out in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(c), Int32(d), 1, normalizedInput, Int32(d),
                            normalizedWeight, Int32(d), 0, out.baseAddress!, Int32(c))
            }
            for r in 0..<n {
                for k in 0..<c { logits[r * c + k] = s * cosines[r * c + k] }
                let y = Int(labels[r]) - classOffset
                if y >= 0 && y < c { logits[r * c + y] = s * target(cosines[r * c + y]).value }
            }
        }
        // 2. Softmax cross-entropy; G = ∂L/∂z = (p − onehot)/N.
        let softmax = communicator.map { shardedSoftmax(labels: labels, communicator: $0) } ?? wholeSoftmax(labels: labels)
        var gradient = softmax.gradient
        // 3. Back to the embedding and the weights.
        backPropagate(&gradient, labels: labels, embeddings: x, embeddingGradient: embeddingGradient)
        return LossResult(loss: softmax.total / Double(n), accuracy: Double(softmax.correct) / Double(n))
    }

    /// Loss sum, correct count and G = (p − onehot)/N of a whole head.
    func wholeSoftmax(labels: [Int32]) -> (total: Double, correct: Int, gradient: [Float]) {
        let n = labels.count, c = classes
        var total = 0.0
        var correct = 0
        var gradient = [Float](repeating: 0, count: n * c)
        for r in 0..<n {
            let y = Int(labels[r])
            var maximum = -Float.infinity
            var best = 0
            for k in 0..<c where logits[r * c + k] > maximum {
                maximum = logits[r * c + k]
                best = k
            }
            if best == y { correct += 1 }
            var sum = 0.0
            for k in 0..<c { sum += Foundation.exp(Double(logits[r * c + k] - maximum)) }
            total += log(sum) - Double(logits[r * c + y] - maximum)
            for k in 0..<c {
                let p = Foundation.exp(Double(logits[r * c + k] - maximum)) / sum
                gradient[r * c + k] = Float((p - (k == y ? 1 : 0)) / Double(n))
            }
        }
        return (total, correct, gradient)
    }

    /// The same for one shard: the per-sample maximum and exponential sum are all-reduced over the
    /// shards, the target term and the correct flag come from the shard that owns the label.
    func shardedSoftmax(labels: [Int32], communicator: any Communicator) -> (total: Double, correct: Int, gradient: [Float]) {
        let n = labels.count, c = classes
        var maximum = [Float](repeating: -Float.infinity, count: n)
        for r in 0..<n { for k in 0..<c where logits[r * c + k] > maximum[r] { maximum[r] = logits[r * c + k] } }
        communicator.allreduceMax(&maximum)
        // Per sample: Σ exp(z − max) over this shard, (z_y − max) and [z_y is the maximum] on the owner.
        var sums = [Double](repeating: 0, count: 3 * n)
        for r in 0..<n {
            for k in 0..<c { sums[r] += Foundation.exp(Double(logits[r * c + k] - maximum[r])) }
            let y = Int(labels[r]) - classOffset
            if y >= 0 && y < c {
                sums[n + r] = Double(logits[r * c + y] - maximum[r])
                sums[2 * n + r] = logits[r * c + y] >= maximum[r] ? 1 : 0
            }
        }
        communicator.allreduceSum(&sums)
        var total = 0.0
        var correct = 0
        var gradient = [Float](repeating: 0, count: n * c)
        for r in 0..<n {
            total += log(sums[r]) - sums[n + r]
            if sums[2 * n + r] > 0 { correct += 1 }
            let y = Int(labels[r]) - classOffset
            for k in 0..<c {
                let p = Foundation.exp(Double(logits[r * c + k] - maximum[r])) / sums[r]
                gradient[r * c + k] = Float((p - (k == y ? 1 : 0)) / Double(n))
            }
        }
        return (total, correct, gradient)
    }

    /// Writes ∂L/∂x into `embeddingGradient` and adds ∂L/∂W (∂L/∂b) from G = ∂L/∂z; a shard
    /// all-reduces its part of ∂L/∂x so every rank holds the whole-head gradient of every sample.
    func backPropagate(_ gradient: inout [Float], labels: [Int32], embeddings x: UnsafePointer<Float>, embeddingGradient: UnsafeMutablePointer<Float>) {
        let n = labels.count, d = dimension, c = classes
        let s = scale
        switch kind {
        case .softmax, .l2Softmax:
            let isNormalized: Bool
            if case .l2Softmax = kind { isNormalized = true } else { isNormalized = false }
            let input: UnsafePointer<Float> = isNormalized ? normalizedInput.withUnsafeBufferPointer { UnsafePointer($0.baseAddress!) } : x
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(c), Int32(d), Int32(n), 1, gradient, Int32(c), input, Int32(d),
                        1, weight.gradient.pointer, Int32(d))
            if let bias { for r in 0..<n { for k in 0..<c { bias.gradient[k] += gradient[r * c + k] } } }
            var inputGradient = [Float](repeating: 0, count: n * d)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(c), 1, gradient, Int32(c),
                        weight.value.pointer, Int32(d), 0, &inputGradient, Int32(d))
            communicator?.allreduceSum(&inputGradient)
            if isNormalized {
                // z = W (s·x̂): ∂L/∂x = s·(g − x̂⟨g, x̂⟩)/‖x‖ with g = Wᵀ G (normalizedInput holds s·x̂).
                for r in 0..<n {
                    var dot: Float = 0
                    for i in 0..<d { dot += inputGradient[r * d + i] * normalizedInput[r * d + i] / s }
                    for i in 0..<d {
                        embeddingGradient[r * d + i] = s * (inputGradient[r * d + i] - normalizedInput[r * d + i] / s * dot) / inputNorms[r]
                    }
                }
            } else {
                for i in 0..<(n * d) { embeddingGradient[i] = inputGradient[i] }
            }
        case .normFace, .arcFace, .cosFace:
            // ∂L/∂cos = s·G, times ψ'(cos θ_y) on the target.
            for r in 0..<n {
                for k in 0..<c { gradient[r * c + k] *= s }
                let y = Int(labels[r]) - classOffset
                if y >= 0 && y < c { gradient[r * c + y] *= target(cosines[r * c + y]).derivative }
            }
            var inputGradient = [Float](repeating: 0, count: n * d)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(c), 1, gradient, Int32(c),
                        normalizedWeight, Int32(d), 0, &inputGradient, Int32(d))
            communicator?.allreduceSum(&inputGradient)
            var weightGradient = [Float](repeating: 0, count: c * d)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(c), Int32(d), Int32(n), 1, gradient, Int32(c),
                        normalizedInput, Int32(d), 0, &weightGradient, Int32(d))
            ClassificationHead.throughNormalization(inputGradient, normalized: normalizedInput, norms: inputNorms, rows: n, dimension: d) { r, i, v in
                embeddingGradient[r * d + i] = v
            }
            ClassificationHead.throughNormalization(weightGradient, normalized: normalizedWeight, norms: weightNorms, rows: c, dimension: d) { r, i, v in
                self.weight.gradient[r * d + i] += v
            }
        }
    }

    /// ∂L/∂v = (g − v̂⟨g, v̂⟩)/‖v‖ for each row v of a row-normalised matrix.
    static func throughNormalization(_ g: [Float], normalized: [Float], norms: [Float], rows: Int, dimension d: Int,
                                     _ write: (Int, Int, Float) -> Void) {
        for r in 0..<rows {
            var dot: Float = 0
            for i in 0..<d { dot += g[r * d + i] * normalized[r * d + i] }
            for i in 0..<d { write(r, i, (g[r * d + i] - normalized[r * d + i] * dot) / norms[r]) }
        }
    }
}
