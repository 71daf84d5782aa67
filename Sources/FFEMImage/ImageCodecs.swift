// FFEMImage — ImageCodecs.swift: decoding JPEG (libjpeg-turbo, DCT scaling) and PGM/PPM; encoding JPEG.
import CFFEMIO
import FFEMCore

/// Why an image could not be read or written.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A decoded image and the factor its pixel grid was scaled by (1, 1/2, 1/4, 1/8 with DCT scaling).
public struct DecodedImage: Sendable {
    public var image: Image
    public var scale: Double
}

public enum ImageCodecs {
    /// Which file kind `bytes` hold, by magic number.
    public enum Kind: Sendable { case jpeg, pnm, png, unknown }

    public static func kind(of bytes: [UInt8]) -> Kind {
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 { return .jpeg }
        if bytes.count >= 2 && bytes[0] == UInt8(ascii: "P") && (bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6")) { return .pnm }
        if bytes.count >= 8 && bytes[0] == 0x89 && bytes[1] == 0x50 && bytes[2] == 0x4E && bytes[3] == 0x47 { return .png }
        return .unknown
    }

    /// Decodes a JPEG, PGM (P5) or PPM (P6). For JPEG, `minimumSide` lets libjpeg decode at 1/2, 1/4
    /// or 1/8 scale (DCT scaling) as long as both sides stay ≥ `minimumSide` pixels; the scale used is returned.
    /// `minimumSide` applies to a region: pass the face box's shorter side and the crop size, see
    /// `scaleDenominator(boxSide:cropSide:)`.
    public static func decode(_ bytes: [UInt8], scaleDenominator: Int = 1) throws(ImageError) -> DecodedImage {
        switch kind(of: bytes) {
        case .jpeg: return try decodeJPEG(bytes, scaleDenominator: scaleDenominator)
        case .pnm: return DecodedImage(image: try decodePNM(bytes), scale: 1)
        case .png: throw ImageError("PNG input is not supported (convert to JPEG or PNM)")
        case .unknown: throw ImageError("unknown image format (expected JPEG, PGM or PPM)")
        }
    }

    /// The largest DCT scaling denominator (1, 2, 4, 8) that keeps a box side of `boxSide` source
    /// pixels at least twice the crop side, so that bilinear sampling never skips source pixels.
    public static func scaleDenominator(boxSide: Double, cropSide: Int) -> Int {
        var denominator = 1
        while denominator < 8 && boxSide / Double(denominator * 2) >= 2.0 * Double(cropSide) { denominator *= 2 }
        return denominator
    }

    public static func decodeJPEG(_ bytes: [UInt8], scaleDenominator: Int = 1) throws(ImageError) -> DecodedImage {
        var info = ffem_jpeg_info()
        var message = [CChar](repeating: 0, count: Int(FFEM_IO_ERROR_SIZE))
        let denominator = UInt32(scaleDenominator)
        let headerStatus = bytes.withUnsafeBufferPointer { buffer in
            message.withUnsafeMutableBufferPointer { ffem_jpeg_output_info(buffer.baseAddress, buffer.count, denominator, &info, $0.baseAddress) }
        }
        if headerStatus != 0 { throw ImageError(cString(message)) }
        let count = Int(info.width) * Int(info.height) * Int(info.components)
        guard count > 0, count <= 1 << 30 else { throw ImageError("JPEG of \(info.width)x\(info.height) is too large") }
        var pixels = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeBufferPointer { buffer in
            pixels.withUnsafeMutableBufferPointer { out in
                message.withUnsafeMutableBufferPointer {
                    ffem_jpeg_decode(buffer.baseAddress, buffer.count, denominator, out.baseAddress, out.count, &info, $0.baseAddress)
                }
            }
        }
        if status != 0 { throw ImageError(cString(message)) }
        let image = Image(width: Int(info.width), height: Int(info.height), format: info.components == 1 ? .grey : .rgb24, pixels: pixels)
        return DecodedImage(image: image, scale: 1.0 / Double(scaleDenominator))
    }

    /// A decoded part of an image: `image` holds the pixels whose top-left is (`x`, `y`) of the whole
    /// image, decoded at `scale`.
    public struct Region: Sendable {
        public var image: Image
        public var x: Int
        public var y: Int
        public var scale: Double
    }

    /// Decodes only the rows and columns of a JPEG that cover [x0, x1) × [y0, y1) of the image decoded
    /// at 1/scaleDenominator (see `ffem_jpeg_decode_region`); other formats are decoded whole.
    public static func decodeRegion(_ bytes: [UInt8], scaleDenominator: Int, x0: Int, y0: Int, x1: Int, y1: Int) throws(ImageError) -> Region {
        guard kind(of: bytes) == .jpeg else {
            let whole = try decode(bytes, scaleDenominator: 1)
            return Region(image: whole.image, x: 0, y: 0, scale: 1)
        }
        var message = [CChar](repeating: 0, count: Int(FFEM_IO_ERROR_SIZE))
        var region = ffem_jpeg_region()
        var decoded: UnsafeMutablePointer<UInt8>? = nil
        let status = bytes.withUnsafeBufferPointer { buffer in
            message.withUnsafeMutableBufferPointer {
                ffem_jpeg_decode_region(buffer.baseAddress, buffer.count, UInt32(scaleDenominator), Int64(x0), Int64(y0), Int64(x1), Int64(y1),
                                        &decoded, &region, $0.baseAddress)
            }
        }
        if status != 0 { throw ImageError(cString(message)) }
        defer { ffem_free(decoded) }
        let count = Int(region.width) * Int(region.height) * Int(region.components)
        let pixels = Array(UnsafeBufferPointer(start: decoded, count: count))
        let image = Image(width: Int(region.width), height: Int(region.height), format: region.components == 1 ? .grey : .rgb24, pixels: pixels)
        return Region(image: image, x: Int(region.x), y: Int(region.y), scale: 1.0 / Double(scaleDenominator))
    }

    /// Binary PGM (P5, grey) or PPM (P6, RGB), maxval ≤ 255, comments allowed in the header.
    public static func decodePNM(_ bytes: [UInt8]) throws(ImageError) -> Image {
        var index = 2
        func skipSpaceAndComments() {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count && bytes[index] != 0x0A { index += 1 }
                } else if bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                    index += 1
                } else {
                    return
                }
            }
        }
        func readNumber(_ what: String) throws(ImageError) -> Int {
            skipSpaceAndComments()
            var value = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), digits < 9 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            if digits == 0 { throw ImageError("corrupt PNM header: no \(what)") }
            return value
        }
        guard bytes.count > 2 else { throw ImageError("corrupt PNM: empty") }
        let isColour = bytes[1] == UInt8(ascii: "6")
        let width = try readNumber("width")
        let height = try readNumber("height")
        let maxValue = try readNumber("maximum value")
        guard width > 0, height > 0, width <= 65536, height <= 65536 else { throw ImageError("corrupt PNM: size \(width)x\(height)") }
        guard maxValue > 0, maxValue <= 255 else { throw ImageError("unsupported PNM: maximum value \(maxValue) (only 8-bit)") }
        guard index < bytes.count else { throw ImageError("truncated PNM: no pixel data") }
        index += 1  // the single whitespace byte after the header
        let count = width * height * (isColour ? 3 : 1)
        guard bytes.count - index >= count else {
            throw ImageError("truncated PNM: \(bytes.count - index) of \(count) pixel bytes")
        }
        var pixels = Array(bytes[index..<(index + count)])
        if maxValue != 255 {
            for k in 0..<pixels.count { pixels[k] = UInt8(min(255, (Int(pixels[k]) * 255 + maxValue / 2) / maxValue)) }
        }
        return Image(width: width, height: height, format: isColour ? .rgb24 : .grey, pixels: pixels)
    }

    /// Reads and decodes an image file.
    public static func read(_ path: String, scaleDenominator: Int = 1) throws(ImageError) -> DecodedImage {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw ImageError(error.description)
        }
        return try decode(bytes, scaleDenominator: scaleDenominator)
    }

    /// JPEG bytes of a grey or RGB24 image (quality 1…100).
    public static func encodeJPEG(_ image: Image, quality: Int = 95) throws(ImageError) -> [UInt8] {
        let source = (image.format == .grey || image.format == .rgb24) ? image : image.convertedToRGB()
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: Int(FFEM_IO_ERROR_SIZE))
        let status = source.pixels.withUnsafeBufferPointer { buffer in
            message.withUnsafeMutableBufferPointer {
                ffem_jpeg_encode(buffer.baseAddress, UInt32(source.width), UInt32(source.height),
                                 source.format == .grey ? 1 : 3, Int32(quality), &output, &size, $0.baseAddress)
            }
        }
        if status != 0 { throw ImageError(cString(message)) }
        defer { ffem_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
