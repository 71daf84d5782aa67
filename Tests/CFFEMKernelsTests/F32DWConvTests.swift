// CFFEMKernelsTests — F32DWConvTests.swift: every register-tiled float depthwise convolution variant
// of this CPU equals the scalar reference bit for bit (forward, ∂x added and stored, ∂w, ∂b), over
// channel counts around each tile width, strides 1 and 2, same and valid padding, 3×3 and other kernels.
import CFFEMKernels
import FFEMCore
import Testing

@Suite struct F32DWConvTests {
    struct Geometry: CustomStringConvertible {
        let height, width, channels, kernel, stride, pad: Int
        var outHeight: Int { (height + 2 * pad - kernel) / stride + 1 }
        var outWidth: Int { (width + 2 * pad - kernel) / stride + 1 }
        var description: String { "\(height)x\(width)x\(channels) k\(kernel) s\(stride) p\(pad)" }
    }

    static let geometries: [Geometry] = {
        var list: [Geometry] = []
        for channels in [1, 3, 4, 5, 8, 12, 16, 17, 31, 32, 37, 48] {
            list.append(Geometry(height: 7, width: 6, channels: channels, kernel: 3, stride: 1, pad: 1))
            list.append(Geometry(height: 8, width: 7, channels: channels, kernel: 3, stride: 2, pad: 1))
        }
        list.append(Geometry(height: 5, width: 5, channels: 20, kernel: 3, stride: 1, pad: 0))
        list.append(Geometry(height: 2, width: 3, channels: 16, kernel: 3, stride: 1, pad: 1))
        list.append(Geometry(height: 7, width: 7, channels: 35, kernel: 7, stride: 1, pad: 0))  // GDC
        list.append(Geometry(height: 9, width: 8, channels: 19, kernel: 5, stride: 2, pad: 2))
        // Images larger than the ∂w kernel's L2 band (several bands of output rows).
        list.append(Geometry(height: 60, width: 40, channels: 48, kernel: 3, stride: 2, pad: 1))
        list.append(Geometry(height: 50, width: 50, channels: 67, kernel: 3, stride: 1, pad: 1))
        // Several four-tile groups of every width plus single tiles and a scalar tail.
        list.append(Geometry(height: 9, width: 9, channels: 150, kernel: 3, stride: 2, pad: 1))
        list.append(Geometry(height: 6, width: 5, channels: 128, kernel: 3, stride: 1, pad: 1))
        return list
    }()

    static func variants() -> [ffem_f32_dwconv_ukernels] {
        var count = 0
        let first = ffem_f32_dwconv_variants(&count)!
        return (0..<count).map { first[$0] }
    }

    @Test func everyVariantMatchesTheScalarReference() {
        var rng = SeededRandom(seed: 71)
        func floats(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextFloat(in: -1, 1) } }
        let variants = Self.variants()
        #expect(!variants.isEmpty)
        for g in Self.geometries {
            let inCount = g.height * g.width * g.channels, outCount = g.outHeight * g.outWidth * g.channels
            let taps = g.kernel * g.kernel * g.channels
            let x = floats(inCount), w = floats(taps), bias = floats(g.channels), dy = floats(outCount)
            let dx0 = floats(inCount), dw0 = floats(taps), db0 = floats(g.channels)
            var y = [Float](repeating: 0, count: outCount), yNoBias = y
            ffem_f32_dwconv_forward__scalar(x, g.height, g.width, g.channels, w, bias, g.kernel, g.kernel, g.stride, g.pad, g.pad,
                                            &y, g.outHeight, g.outWidth)
            ffem_f32_dwconv_forward__scalar(x, g.height, g.width, g.channels, w, nil, g.kernel, g.kernel, g.stride, g.pad, g.pad,
                                            &yNoBias, g.outHeight, g.outWidth)
            var dxAdded = dx0, dxStored = [Float](repeating: 0, count: inCount), dw = dw0, db = db0
            ffem_f32_dwconv_backward__scalar(x, g.height, g.width, g.channels, w, g.kernel, g.kernel, g.stride, g.pad, g.pad, dy,
                                             g.outHeight, g.outWidth, &dxAdded, &dw, &db)
            var dwStored = dw0
            ffem_f32_dwconv_backward__scalar(x, g.height, g.width, g.channels, w, g.kernel, g.kernel, g.stride, g.pad, g.pad, dy,
                                             g.outHeight, g.outWidth, &dxStored, &dwStored, nil)
            for v in variants {
                let label = "\(String(cString: v.name)) \(g)"
                var vy = [Float](repeating: 9, count: outCount), vyNoBias = vy
                v.forward(x, g.height, g.width, g.channels, w, bias, g.kernel, g.kernel, g.stride, g.pad, g.pad, &vy, g.outHeight, g.outWidth)
                v.forward(x, g.height, g.width, g.channels, w, nil, g.kernel, g.kernel, g.stride, g.pad, g.pad, &vyNoBias,
                          g.outHeight, g.outWidth)
                #expect(vy == y, "\(label) forward")
                #expect(vyNoBias == yNoBias, "\(label) forward without bias")
                var vdx = dx0, vdw = dw0, vdb = db0
                v.backward(x, g.height, g.width, g.channels, w, g.kernel, g.kernel, g.stride, g.pad, g.pad, dy, g.outHeight, g.outWidth,
                           1, &vdx, &vdw, &vdb)
                #expect(vdx == dxAdded, "\(label) dx added")
                #expect(vdw == dw, "\(label) dw")
                #expect(vdb == db, "\(label) db")
                var sdx = [Float](repeating: 9, count: inCount), sdw = dw0
                v.backward(x, g.height, g.width, g.channels, w, g.kernel, g.kernel, g.stride, g.pad, g.pad, dy, g.outHeight, g.outWidth,
                           0, &sdx, &sdw, nil)
                #expect(sdx == dxStored, "\(label) dx stored")
                #expect(sdw == dwStored, "\(label) dw without db")
            }
        }
    }
}
