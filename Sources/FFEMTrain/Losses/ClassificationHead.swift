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
public final class ClassificationHead {
    public let kind: HeadKind
    public let classes: Int
    public let dimension: Int
    public let weight: Parameter
    public let bias: Parameter?
    // Scratch, reused across steps.
    var normalizedInput: [Float] = []
    var inputNorms: [Float] = []
    var normalizedWeight: [Float] = []
    var weightNorms: [Float] = []
    var logits: [Float] = []
    var cosines: [Float] = []

    public init(kind: HeadKind, classes: Int, dimension: Int, random: inout SeededRandom) {
        self.kind = kind
        self.classes = classes
        self.dimension = dimension
        weight = Parameter(name: "head.weight", shape: [classes, dimension],
                           initial: Initialization.glorotUniform(count: classes * dimension, fanIn: dimension, fanOut: classes, random: &random),
                           isDecayed: true)
        bias = kind.isAngular ? nil : Parameter(name: "head.bias", shape: [classes], initial: [Float](repeating: 0, count: classes), isDecayed: false)
    }

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
                let y = Int(labels[r])
                logits[r * c + y] = s * target(cosines[r * c + y]).value
            }
        }
        // 2. Softmax cross-entropy; G = ∂L/∂z = (p − onehot)/N.
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
        // 3. Back to the embedding and the weights.
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
                let y = Int(labels[r])
                gradient[r * c + y] *= target(cosines[r * c + y]).derivative
            }
            var inputGradient = [Float](repeating: 0, count: n * d)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(c), 1, gradient, Int32(c),
                        normalizedWeight, Int32(d), 0, &inputGradient, Int32(d))
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
        return LossResult(loss: total / Double(n), accuracy: Double(correct) / Double(n))
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
