import FFEMCore
import Foundation
import Testing
@testable import FFEMTrain

/// Phase-1 heads: gradients by finite differences, and closed-form loss values.
@Suite struct HeadTests {
    static let kinds: [(String, HeadKind)] = [
        ("softmax", .softmax), ("l2softmax", .l2Softmax(s: 8)), ("normface", .normFace(s: 8)),
        ("arcface", .arcFace(s: 8, m: 0.5)), ("cosface", .cosFace(s: 8, m: 0.35)),
    ]

    func lossValue(_ head: ClassificationHead, _ x: [Float], _ labels: [Int32]) -> Double {
        var scratch = [Float](repeating: 0, count: x.count)
        for p in head.parameters { p.gradient.zero() }
        return x.withUnsafeBufferPointer { head.loss(embeddings: $0.baseAddress!, labels: labels, embeddingGradient: &scratch).loss }
    }

    @Test(arguments: 0..<kinds.count)
    func gradientsMatchCentralDifferences(_ k: Int) {
        let (name, kind) = HeadTests.kinds[k]
        var random = SeededRandom(seed: UInt64(40 + k))
        let n = 5, d = 6, classes = 4
        let head = ClassificationHead(kind: kind, classes: classes, dimension: d, random: &random)
        var x = (0..<(n * d)).map { _ in random.nextFloat(in: -1, 1) }
        let labels = (0..<n).map { _ in Int32(random.nextInt(below: classes)) }
        var embeddingGradient = [Float](repeating: 0, count: n * d)
        for p in head.parameters { p.gradient.zero() }
        _ = x.withUnsafeBufferPointer { head.loss(embeddings: $0.baseAddress!, labels: labels, embeddingGradient: &embeddingGradient) }
        let weightGradient = head.weight.gradient.array
        let epsilon: Float = 1e-3
        func check(_ analytic: Float, _ plus: Double, _ minus: Double, _ what: String) {
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let tolerance = GradientTolerance.absolute + GradientTolerance.relative * max(abs(Double(analytic)), abs(numeric))
            #expect(abs(Double(analytic) - numeric) <= tolerance, "\(name) \(what): analytic \(analytic), numeric \(numeric)")
        }
        for i in stride(from: 0, to: n * d, by: 3) {
            let original = x[i]
            x[i] = original + epsilon
            let plus = lossValue(head, x, labels)
            x[i] = original - epsilon
            let minus = lossValue(head, x, labels)
            x[i] = original
            check(embeddingGradient[i], plus, minus, "embedding[\(i)]")
        }
        for i in stride(from: 0, to: classes * d, by: 5) {
            let original = head.weight.value[i]
            head.weight.value[i] = original + epsilon
            let plus = lossValue(head, x, labels)
            head.weight.value[i] = original - epsilon
            let minus = lossValue(head, x, labels)
            head.weight.value[i] = original
            check(weightGradient[i], plus, minus, "weight[\(i)]")
        }
    }

    /// Two classes in the plane: class 0 along (1, 0), class 1 along (0, 1); the embedding at angle θ
    /// from class 0. Loss = −log(e^{z₀}/(e^{z₀} + e^{z₁})).
    func twoClassLoss(_ kind: HeadKind, theta: Float) -> Double {
        var random = SeededRandom(seed: 1)
        let head = ClassificationHead(kind: kind, classes: 2, dimension: 2, random: &random)
        head.weight.value.copy(from: [3, 0, 0, 0.5])  // norms do not matter for angular heads
        return lossValue(head, [2 * cos(theta), 2 * sin(theta)], [0])
    }

    @Test func arcFaceLossAtAKnownAngle() {
        let s: Float = 10, m: Float = 0.5, theta: Float = 0.3
        let z0 = Double(s * cos(theta + m)), z1 = Double(s * cos(Float.pi / 2 - theta))
        let expected = -log(exp(z0) / (exp(z0) + exp(z1)))
        #expect(abs(twoClassLoss(.arcFace(s: s, m: m), theta: theta) - expected) < 1e-4)
    }

    @Test func arcFaceFallsBackPastPi() {
        // θ = 2.9 rad: θ + m > π, so the target logit is s·(cos θ − m·sin m).
        let s: Float = 10, m: Float = 0.5, theta: Float = 2.9
        let z0 = Double(s * (cos(theta) - m * sin(m))), z1 = Double(s * cos(theta - Float.pi / 2))
        let expected = -log(exp(z0) / (exp(z0) + exp(z1)))
        #expect(abs(twoClassLoss(.arcFace(s: s, m: m), theta: theta) - expected) < 1e-4)
    }

    @Test func cosFaceIsSoftmaxOfScaledCosineMinusMargin() {
        let s: Float = 16, m: Float = 0.35, theta: Float = 0.7
        let z0 = Double(s * (cos(theta) - m)), z1 = Double(s * cos(Float.pi / 2 - theta))
        let expected = -log(exp(z0) / (exp(z0) + exp(z1)))
        #expect(abs(twoClassLoss(.cosFace(s: s, m: m), theta: theta) - expected) < 1e-4)
    }

    @Test func centerLossPullsCentersTowardTheirSamples() {
        let loss = CenterLoss(classes: 2, dimension: 2, weight: 1, alpha: 0.5)
        var gradient = [Float](repeating: 0, count: 4)
        let value = [Float](arrayLiteral: 2, 0, 0, 4).withUnsafeBufferPointer { loss.apply(embeddings: $0.baseAddress!, labels: [0, 1], embeddingGradient: &gradient) }
        // L = (1/2N) Σ‖x − c‖² = (4 + 16)/4 with c = 0.
        #expect(abs(value - 5) < 1e-6)
        #expect(gradient == [1, 0, 0, 2])
        // c ← c + α·(x − c)/(1 + 1)
        #expect(loss.centers.value.array == [0.5, 0, 0, 1])
    }
}
