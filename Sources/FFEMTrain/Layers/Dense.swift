// FFEMTrain — Dense.swift: fully connected layer through OpenBLAS.
import COpenBLAS
import FFEMCore

/// y = W x + b on the flattened sample; W is outputs × inputs (row major).
public final class Dense: Layer {
    let inputCount: Int
    public let outputShape: Shape
    public let weight: Parameter
    public let bias: Parameter?

    public init(name: String, input: Shape, outputs: Int, hasBias: Bool, random: inout SeededRandom) {
        inputCount = input.count
        outputShape = Shape(1, 1, outputs)
        weight = Parameter(name: name + ".weight", shape: [outputs, input.count],
                           initial: Initialization.glorotUniform(count: outputs * input.count, fanIn: input.count, fanOut: outputs, random: &random),
                           isDecayed: true)
        bias = hasBias ? Parameter(name: name + ".bias", shape: [outputs], initial: [Float](repeating: 0, count: outputs), isDecayed: false) : nil
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }
    public var multiplyAdds: Int { inputCount * outputShape.channels }

    public func forward(_ inputs: [FloatBuffer], output: FloatBuffer, context: PassContext) {
        let m = context.batch, k = inputCount, n = outputShape.channels
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, inputs[0].pointer, Int32(k),
                    weight.value.pointer, Int32(k), 0, output.pointer, Int32(n))
        if let bias { addRowVector(bias.value.pointer, to: output.pointer, rows: m, columns: n) }
    }

    public func backward(_ inputs: [FloatBuffer], output: FloatBuffer, outputGradient: FloatBuffer,
                         inputGradients: [FloatBuffer?], context: PassContext) {
        let m = context.batch, k = inputCount, n = outputShape.channels
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(n), Int32(k), Int32(m), 1, outputGradient.pointer, Int32(n),
                    inputs[0].pointer, Int32(k), 1, weight.gradient.pointer, Int32(k))
        if let bias { addColumnSums(outputGradient.pointer, rows: m, columns: n, into: bias.gradient.pointer) }
        if let dx = inputGradients[0] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(k), Int32(n), 1, outputGradient.pointer, Int32(n),
                        weight.value.pointer, Int32(k), 1, dx.pointer, Int32(k))
        }
    }
}
