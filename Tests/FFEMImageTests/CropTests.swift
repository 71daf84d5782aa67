import CFFEMKernels
import FFEMCore
import Testing
@testable import FFEMImage

/// Property tests of the one shared crop routine against its real-valued reference (DESIGN.md §4).
@Suite struct CropTests {
    static let formats: [PixelFormat] = [.rgb24, .bgr24, .grey, .yuyv, .uyvy, .nv12]
    static let casesPerFormat = 1000

    static func randomImage(_ format: PixelFormat, width: Int, height: Int, random: inout SeededRandom) -> Image {
        let count = format.frameBytes(width: width, height: height)
        var pixels = [UInt8](repeating: 0, count: count)
        let extremes = random.nextInt(below: 4) == 0
        for k in 0..<count {
            pixels[k] = extremes ? (random.nextInt(below: 2) == 0 ? 0 : 255) : UInt8(truncatingIfNeeded: random.next())
        }
        var image = Image(width: width, height: height, format: format, pixels: pixels)
        image.isFullRangeYUV = random.nextInt(below: 2) == 0
        return image
    }

    @Test(arguments: formats)
    func everyByteIsWithinOneOfTheRealValuedReference(format: PixelFormat) throws {
        var random = SeededRandom(seed: 20_261_204, stream: UInt64(CropTests.formats.firstIndex(of: format)!))
        var worst = 0.0
        for _ in 0..<CropTests.casesPerFormat {
            let width = 1 + random.nextInt(below: 64), height = 1 + random.nextInt(below: 64)
            let image = CropTests.randomImage(format, width: width, height: height, random: &random)
            // Boxes anywhere from well inside to partly (or wholly) outside the image, fractional edges.
            let x1 = Double(random.nextFloat(in: -0.5, 1.0)) * Double(width)
            let y1 = Double(random.nextFloat(in: -0.5, 1.0)) * Double(height)
            let box = FaceBox(x1: x1, y1: y1, x2: x1 + 0.25 + Double(random.nextFloat(in: 0, 1.5)) * Double(width),
                              y2: y1 + 0.25 + Double(random.nextFloat(in: 0, 1.5)) * Double(height))
            let n = 1 + random.nextInt(below: 24)
            let mirrored = random.nextInt(below: 2) == 0
            let crop = try image.crop(box: box, size: n, mirrored: mirrored)
            let rgb = image.convertedToRGB()
            let reference = CropReference.crop(rgb.pixels, width: width, height: height, box: box, n: n, mirrored: mirrored)
            for k in 0..<reference.count {
                let difference = abs(Double(crop.pixels[k]) - reference[k])
                worst = max(worst, difference)
                if difference > 1.0 {
                    Issue.record("\(format.name) \(width)x\(height) box \(box) n \(n) mirrored \(mirrored): byte \(k) = \(crop.pixels[k]), reference \(reference[k])")
                    return
                }
            }
        }
        #expect(worst <= 1.0)
    }

    @Test func wholeImageAtItsOwnSizeIsAnExactCopy() throws {
        var random = SeededRandom(seed: 5)
        let image = CropTests.randomImage(.rgb24, width: 37, height: 37, random: &random)
        let crop = try image.crop(box: FaceBox(x1: 0, y1: 0, x2: 37, y2: 37), size: 37)
        #expect(crop.pixels == image.pixels)
    }

    @Test(arguments: [PixelFormat.yuyv, .uyvy, .nv12, .bgr24, .grey])
    func cameraFormatsCropLikeTheirRGBConversion(format: PixelFormat) throws {
        var random = SeededRandom(seed: 11)
        for _ in 0..<50 {
            let width = 2 + random.nextInt(below: 40), height = 2 + random.nextInt(below: 40)
            let image = CropTests.randomImage(format, width: width, height: height, random: &random)
            let box = FaceBox(x1: -2.5, y1: 1.25, x2: Double(width) * 0.8, y2: Double(height) + 3)
            let direct = try image.crop(box: box, size: 17, mirrored: true)
            let viaRGB = try image.convertedToRGB().crop(box: box, size: 17, mirrored: true)
            #expect(direct.pixels == viaRGB.pixels)
        }
    }

    @Test(arguments: [false, true])
    func yuvConversionIsWithinOneOfBT601(fullRange: Bool) {
        let range = fullRange ? FFEM_YUV_FULL : FFEM_YUV_LIMITED
        var rgb: [UInt8] = [0, 0, 0]
        for y in stride(from: 0, through: 255, by: 3) {
            for u in stride(from: 0, through: 255, by: 5) {
                for v in stride(from: 0, through: 255, by: 5) {
                    ffem_yuv_to_rgb(UInt8(y), UInt8(u), UInt8(v), range, &rgb)
                    let expected = CropReference.yuvToRGB(y: Double(y), u: Double(u), v: Double(v), fullRange: fullRange)
                    let clamped = [expected.0, expected.1, expected.2].map { min(255, max(0, $0)) }
                    for c in 0..<3 where abs(Double(rgb[c]) - clamped[c]) > 1.0 {
                        Issue.record("YUV (\(y),\(u),\(v)) channel \(c): \(rgb[c]) vs \(clamped[c])")
                    }
                }
            }
        }
    }

    @Test func cropPolicyScalesAboutTheCentreAndSquares() throws {
        let one: Int64 = 65536
        var box = ffem_box_q16()
        #expect(ffem_box_q16_from_pixels(10, 20, 50, 100, &box) == 0)
        var policy = ffem_crop_policy(scale_q16: 65536 * 3 / 2, make_square: 0)
        var out = ffem_box_q16()
        #expect(ffem_crop_policy_apply(&policy, box, &out) == 0)
        #expect(out.x1 == 0 && out.x2 == 60 * one && out.y1 == 0 && out.y2 == 120 * one)
        policy.make_square = 1
        #expect(ffem_crop_policy_apply(&policy, box, &out) == 0)
        #expect(out.x1 == -30 * one && out.x2 == 90 * one && out.y1 == 0 && out.y2 == 120 * one)
    }

    @Test func fractionalBoxesRoundToQ16() {
        var box = ffem_box_q16()
        #expect(ffem_box_q16_from_pixels(1.5, -0.25, 2.0000076293945312, 3, &box) == 0)
        #expect(box.x1 == 98304 && box.y1 == -16384 && box.x2 == 131073 && box.y2 == 196608)
        #expect(ffem_box_q16_from_pixels(0, 0, .infinity, 1, &box) == 2)
        #expect(ffem_box_q16_from_pixels(0, 0, 2e6, 1, &box) == 2)
    }

    @Test func badBoxesAndSizesAreRefusedWithReasons() throws {
        let image = Image(width: 4, height: 4, format: .grey, pixels: [UInt8](repeating: 9, count: 16))
        #expect(throws: CropError(description: "the box is empty (right ≤ left or bottom ≤ top)")) {
            try image.crop(box: FaceBox(x1: 3, y1: 0, x2: 3, y2: 4), size: 8)
        }
        #expect(throws: CropError(description: "box has a non-finite or huge coordinate")) {
            try image.crop(box: FaceBox(x1: .nan, y1: 0, x2: 3, y2: 4), size: 8)
        }
        #expect(throws: CropError.self) { try image.crop(box: FaceBox(x1: 0, y1: 0, x2: 3, y2: 4), size: 0) }
        #expect(throws: CropError.self) { try image.crop(box: FaceBox(x1: 0, y1: 0, x2: 3, y2: 4), size: 5000) }
    }
}
