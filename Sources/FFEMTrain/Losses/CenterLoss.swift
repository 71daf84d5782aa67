// FFEMTrain — CenterLoss.swift: the optional center-loss term (Wen et al. 2016).
import FFEMCore

/// L_c = (λ/2N) Σ_n ‖x_n − c_{y_n}‖², added to the head's loss. Centers are not learned by gradient:
/// after each step every class seen in the batch moves toward its samples,
/// c_j ← c_j − α·Σ_{n: y_n = j}(c_j − x_n)/(1 + count_j)   (the paper's update rule).
public final class CenterLoss {
    public let weight: Float
    public let alpha: Float
    public let centers: Parameter
    let dimension: Int

    public init(classes: Int, dimension: Int, weight: Float, alpha: Float) {
        self.weight = weight
        self.alpha = alpha
        self.dimension = dimension
        centers = Parameter(name: "center_loss.centers", shape: [classes, dimension], initial: [Float](repeating: 0, count: classes * dimension), isDecayed: false)
    }

    /// Adds ∂L_c/∂x = (λ/N)(x_n − c_{y_n}) to `embeddingGradient`, updates the centers, and returns L_c.
    public func apply(embeddings x: UnsafePointer<Float>, labels: [Int32], embeddingGradient: UnsafeMutablePointer<Float>) -> Double {
        let n = labels.count, d = dimension
        var total = 0.0
        var delta = [Float](repeating: 0, count: centers.count)
        var counts = [Int](repeating: 0, count: centers.count / d)
        for r in 0..<n {
            let y = Int(labels[r])
            counts[y] += 1
            for i in 0..<d {
                let difference = x[r * d + i] - centers.value[y * d + i]
                total += Double(difference * difference)
                embeddingGradient[r * d + i] += weight * difference / Float(n)
                delta[y * d + i] -= difference
            }
        }
        for (j, count) in counts.enumerated() where count > 0 {
            for i in 0..<d { centers.value[j * d + i] -= alpha * delta[j * d + i] / Float(1 + count) }
        }
        return Double(weight) * total / (2 * Double(n))
    }
}
