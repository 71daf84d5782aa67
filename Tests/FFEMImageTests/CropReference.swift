// A real-valued bilinear sampler written independently of the C fixed-point crop: the oracle of CropTests.
import FFEMImage

enum CropReference {
    /// The crop of DESIGN.md §4 in Double arithmetic: sample at x = x1 + (j + 0.5)(x2 − x1)/n − 0.5,
    /// neighbours clamped to the image, over the image's per-pixel RGB values.
    static func crop(_ rgb: [UInt8], width: Int, height: Int, box: FaceBox, n: Int, mirrored: Bool) -> [Double] {
        var out = [Double](repeating: 0, count: n * n * 3)
        func pixel(_ x: Int, _ y: Int, _ c: Int) -> Double {
            let cx = min(max(x, 0), width - 1), cy = min(max(y, 0), height - 1)
            return Double(rgb[(cy * width + cx) * 3 + c])
        }
        for i in 0..<n {
            let sy = box.y1 + (Double(i) + 0.5) * (box.y2 - box.y1) / Double(n) - 0.5
            let y0 = Int(sy.rounded(.down))
            let fy = sy - Double(y0)
            for j in 0..<n {
                let column = mirrored ? n - 1 - j : j
                let sx = box.x1 + (Double(column) + 0.5) * (box.x2 - box.x1) / Double(n) - 0.5
                let x0 = Int(sx.rounded(.down))
                let fx = sx - Double(x0)
                for c in 0..<3 {
                    let top = pixel(x0, y0, c) * (1 - fx) + pixel(x0 + 1, y0, c) * fx
                    let bottom = pixel(x0, y0 + 1, c) * (1 - fx) + pixel(x0 + 1, y0 + 1, c) * fx
                    out[(i * n + j) * 3 + c] = top * (1 - fy) + bottom * fy
                }
            }
        }
        return out
    }

    /// BT.601 Y'CbCr → R'G'B' in real numbers, before rounding and clamping.
    static func yuvToRGB(y: Double, u: Double, v: Double, fullRange: Bool) -> (Double, Double, Double) {
        let kr = 0.299, kb = 0.114, kg = 1 - kr - kb
        let luma = fullRange ? y : (y - 16) * 255 / 219
        let cb = fullRange ? u - 128 : (u - 128) * 255 / 224
        let cr = fullRange ? v - 128 : (v - 128) * 255 / 224
        let r = luma + 2 * (1 - kr) * cr
        let b = luma + 2 * (1 - kb) * cb
        let g = (luma - kr * r - kb * b) / kg
        return (r, g, b)
    }
}
