// FFEMTrain — ONNXLayouts.swift: our weight layouts rearranged into ONNX's (all row major).

enum ONNXLayouts {
    /// Convolution weights OHWI (outputs × k × k × inputs) → OIHW (outputs × inputs × k × k):
    /// result[((o·I + i)·k + y)·k + x] = w[((o·k + y)·k + x)·I + i].
    static func oihw(fromOHWI w: [Float], outputs: Int, kernel k: Int, inputs: Int) -> [Float] {
        precondition(w.count == outputs * k * k * inputs)
        var result = [Float](repeating: 0, count: w.count)
        for o in 0..<outputs {
            for y in 0..<k {
                for x in 0..<k {
                    for i in 0..<inputs {
                        result[((o * inputs + i) * k + y) * k + x] = w[((o * k + y) * k + x) * inputs + i]
                    }
                }
            }
        }
        return result
    }

    /// Depthwise weights k × k × C → C × 1 × k × k (ONNX Conv with group = C):
    /// result[(c·k + y)·k + x] = w[(y·k + x)·C + c].
    static func depthwiseOIHW(fromHWC w: [Float], kernel k: Int, channels: Int) -> [Float] {
        precondition(w.count == k * k * channels)
        var result = [Float](repeating: 0, count: w.count)
        for y in 0..<k {
            for x in 0..<k {
                for c in 0..<channels { result[(c * k + y) * k + x] = w[(y * k + x) * channels + c] }
            }
        }
        return result
    }
}
