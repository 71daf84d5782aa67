import FFEMCore
import Testing
@testable import FFEMImage

@Suite struct ImageCodecsTests {
    static func gradient(width: Int, height: Int, format: PixelFormat) -> Image {
        let channels = format == .grey ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels { pixels[(y * width + x) * channels + c] = UInt8((x * 2 + y + c * 30) % 256) }
            }
        }
        return Image(width: width, height: height, format: format, pixels: pixels)
    }

    @Test(arguments: [PixelFormat.grey, .rgb24])
    func jpegRoundTripKeepsSizeFormatAndPixels(format: PixelFormat) throws {
        let image = ImageCodecsTests.gradient(width: 64, height: 48, format: format)
        let jpeg = try ImageCodecs.encodeJPEG(image, quality: 98)
        let decoded = try ImageCodecs.decode(jpeg)
        #expect(decoded.image.width == 64 && decoded.image.height == 48 && decoded.image.format == format && decoded.scale == 1)
        var worst = 0
        for k in 0..<image.pixels.count { worst = max(worst, abs(Int(image.pixels[k]) - Int(decoded.image.pixels[k]))) }
        #expect(worst <= 12)
    }

    @Test func dctScalingDecodesAtAFractionOfTheSize() throws {
        let jpeg = try ImageCodecs.encodeJPEG(ImageCodecsTests.gradient(width: 640, height: 480, format: .rgb24))
        let half = try ImageCodecs.decode(jpeg, scaleDenominator: 2)
        #expect(half.image.width == 320 && half.image.height == 240 && half.scale == 0.5)
        let eighth = try ImageCodecs.decode(jpeg, scaleDenominator: 8)
        #expect(eighth.image.width == 80 && eighth.image.height == 60)
        #expect(ImageCodecs.scaleDenominator(boxSide: 100, cropSide: 112) == 1)
        #expect(ImageCodecs.scaleDenominator(boxSide: 460, cropSide: 112) == 2)
        #expect(ImageCodecs.scaleDenominator(boxSide: 2000, cropSide: 112) == 8)
    }

    @Test(arguments: [PixelFormat.grey, .rgb24])
    func regionDecodeGivesTheSameCropAsAFullDecode(format: PixelFormat) throws {
        var random = SeededRandom(seed: 77)
        var pixels = [UInt8](repeating: 0, count: 333 * 251 * (format == .grey ? 1 : 3))
        for k in 0..<pixels.count { pixels[k] = UInt8(truncatingIfNeeded: (k / 7) &* 31 &+ Int(random.next() % 40)) }
        let jpeg = try ImageCodecs.encodeJPEG(Image(width: 333, height: 251, format: format, pixels: pixels), quality: 85)
        for denominator in [1, 2] {
            let full = try ImageCodecs.decode(jpeg, scaleDenominator: denominator).image
            for _ in 0..<40 {
                let x1 = Double(random.nextFloat(in: -20, Float(full.width) - 10)), y1 = Double(random.nextFloat(in: -20, Float(full.height) - 10))
                let box = FaceBox(x1: x1, y1: y1, x2: x1 + Double(random.nextFloat(in: 3, 150)), y2: y1 + Double(random.nextFloat(in: 3, 150)))
                let margin = 4
                let region = try ImageCodecs.decodeRegion(jpeg, scaleDenominator: denominator,
                                                          x0: Int(box.x1.rounded(.down)) - margin, y0: Int(box.y1.rounded(.down)) - margin,
                                                          x1: Int(box.x2.rounded(.up)) + margin, y1: Int(box.y2.rounded(.up)) + margin)
                let local = FaceBox(x1: box.x1 - Double(region.x), y1: box.y1 - Double(region.y), x2: box.x2 - Double(region.x), y2: box.y2 - Double(region.y))
                let fromRegion = try region.image.crop(box: local, size: 29)
                let fromFull = try full.crop(box: box, size: 29)
                #expect(fromRegion.pixels == fromFull.pixels, "box \(box) at 1/\(denominator), region at (\(region.x), \(region.y))")
            }
        }
    }

    @Test func truncatedJPEGIsRefusedNotPadded() throws {
        let jpeg = try ImageCodecs.encodeJPEG(ImageCodecsTests.gradient(width: 64, height: 64, format: .rgb24))
        let truncated = Array(jpeg.prefix(jpeg.count / 2))
        #expect(throws: ImageError.self) { try ImageCodecs.decode(truncated) }
        do {
            _ = try ImageCodecs.decode(truncated)
        } catch {
            #expect(error.description.contains("corrupt JPEG"))
        }
        #expect(throws: ImageError.self) { try ImageCodecs.decode([0xFF, 0xD8, 0xFF]) }
        #expect(throws: ImageError("unknown image format (expected JPEG, PGM or PPM)")) { try ImageCodecs.decode([1, 2, 3]) }
    }

    @Test func pnmWithCommentsDecodes() throws {
        let header = Array("P5\n# a comment\n3 2\n255\n".utf8)
        let image = try ImageCodecs.decode(header + [1, 2, 3, 4, 5, 6]).image
        #expect(image.format == .grey && image.width == 3 && image.height == 2 && image.pixels == [1, 2, 3, 4, 5, 6])
        let ppm = try ImageCodecs.decode(Array("P6 1 1 255\n".utf8) + [7, 8, 9]).image
        #expect(ppm.format == .rgb24 && ppm.pixels == [7, 8, 9])
    }

    @Test func damagedPNMIsRefused() {
        #expect(throws: ImageError("truncated PNM: 5 of 6 pixel bytes")) { try ImageCodecs.decode(Array("P5 3 2 255\n".utf8) + [1, 2, 3, 4, 5]) }
        #expect(throws: ImageError("unsupported PNM: maximum value 65535 (only 8-bit)")) { try ImageCodecs.decode(Array("P5 1 1 65535\n".utf8) + [0, 0]) }
        #expect(throws: ImageError.self) { try ImageCodecs.decode(Array("P5 x".utf8)) }
    }

    @Test func pngHasValidChunksAndChecksums() {
        let png = PNGWriter.encode(ImageCodecsTests.gradient(width: 5, height: 3, format: .rgb24))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var types: [String] = []
        while offset < png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let typed = Array(png[(offset + 4)..<(offset + 8 + length)])
            types.append(String(decoding: typed.prefix(4), as: UTF8.self))
            let stored = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(stored == CRC32.checksum(typed))
            offset += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
    }
}
