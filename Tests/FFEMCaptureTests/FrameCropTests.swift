// FFEMCaptureTests — FrameCropTests.swift: the crop taken from a frame's own format equals the crop of its RGB conversion.
import FFEMCapture
import FFEMImage
import Testing

@Suite struct FrameCropTests {
    static let boxes = [
        FaceBox(x1: 3, y1: 5, x2: 41, y2: 37),
        FaceBox(x1: 0.5, y1: 1.25, x2: 63.75, y2: 47),
        FaceBox(x1: 17, y1: 9, x2: 30, y2: 22),
    ]

    @Test(arguments: [PixelFormat.yuyv, .uyvy, .nv12, .grey, .rgb24, .bgr24])
    func cropFromFrameEqualsCropOfConvertedFrame(format: PixelFormat) throws {
        let width = 64, height = 48
        let image = Image(width: width, height: height, format: format,
                          pixels: SyntheticFrames.bytes(format: format, width: width, height: height, frame: 1))
        let rgb = image.convertedToRGB()
        for box in Self.boxes {
            for policy in [CropPolicy.identity, CropPolicy(scale: 1.3, makesSquare: true)] {
                var fromFrame = [UInt8](repeating: 0, count: 16 * 16 * 3)
                try image.pixels.withUnsafeBytes { bytes in
                    let frame = Frame(index: 0, timestampNanoseconds: 0, width: width, height: height, format: format,
                                      stride: format.rowBytes(width: width),
                                      chromaOffset: format == .nv12 ? width * height : 0,
                                      chromaStride: format == .nv12 ? width : 0, pixels: bytes)
                    try fromFrame.withUnsafeMutableBufferPointer { out in
                        try frame.crop(box: box, policy: policy, size: 16, into: out.baseAddress!)
                    }
                }
                let expected = try rgb.crop(box: box, policy: policy, size: 16)
                #expect(fromFrame == expected.pixels, "format \(format.name), box \(box)")
            }
        }
    }

    @Test func paddedRowsAreSkipped() throws {
        // A camera buffer whose rows are longer than the pixels (bytesperline > width·2).
        let width = 20, height = 10, stride = 48
        let packed = SyntheticFrames.bytes(format: .yuyv, width: width, height: height, frame: 2)
        var padded = [UInt8](repeating: 0xEE, count: stride * height)
        for y in 0..<height { for x in 0..<(width * 2) { padded[y * stride + x] = packed[y * width * 2 + x] } }
        let reference = Image(width: width, height: height, format: .yuyv, pixels: packed)
        let box = FaceBox(x1: 2, y1: 1, x2: 18, y2: 9)
        var got = [UInt8](repeating: 0, count: 8 * 8 * 3)
        try padded.withUnsafeBytes { bytes in
            let frame = Frame(index: 0, timestampNanoseconds: 0, width: width, height: height, format: .yuyv, stride: stride, pixels: bytes)
            #expect(frame.image().pixels == packed)
            try got.withUnsafeMutableBufferPointer { try frame.crop(box: box, policy: .identity, size: 8, into: $0.baseAddress!) }
        }
        #expect(got == (try reference.crop(box: box, size: 8)).pixels)
    }

    @Test func boxesAreClampedToTheFrame() {
        #expect(FaceBox(x1: -10, y1: 5, x2: 30, y2: 70).clamped(width: 64, height: 48) == FaceBox(x1: 0, y1: 5, x2: 30, y2: 48))
        #expect(FaceBox(x1: 1, y1: 2, x2: 3, y2: 4).clamped(width: 64, height: 48) == FaceBox(x1: 1, y1: 2, x2: 3, y2: 4))
        #expect(FaceBox(x1: 70, y1: 5, x2: 90, y2: 20).clamped(width: 64, height: 48) == nil)
        #expect(FaceBox(x1: 10, y1: 5, x2: 10, y2: 20).clamped(width: 64, height: 48) == nil)
        #expect(FaceBox(x1: .nan, y1: 5, x2: 10, y2: 20).clamped(width: 64, height: 48) == nil)
        #expect(FaceBox(x1: -.infinity, y1: 5, x2: 10, y2: 20).clamped(width: 64, height: 48) == nil)
    }
}
