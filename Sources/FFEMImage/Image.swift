// FFEMImage — Image.swift: an owned 8-bit image and the shared crop.
import CFFEMKernels

/// Pixel layout of an `Image` (the C `ffem_pixel_format`).
public enum PixelFormat: Sendable, Equatable {
    case rgb24, bgr24, grey, yuyv, uyvy, nv12

    var cValue: ffem_pixel_format {
        switch self {
        case .rgb24: return FFEM_PIXEL_RGB24
        case .bgr24: return FFEM_PIXEL_BGR24
        case .grey: return FFEM_PIXEL_GREY
        case .yuyv: return FFEM_PIXEL_YUYV
        case .uyvy: return FFEM_PIXEL_UYVY
        case .nv12: return FFEM_PIXEL_NV12
        }
    }

    /// Bytes of one packed row of `width` pixels (plane 0 for NV12).
    public func rowBytes(width: Int) -> Int {
        switch self {
        case .rgb24, .bgr24: return width * 3
        case .grey, .nv12: return width
        case .yuyv, .uyvy: return ((width + 1) & ~1) * 2
        }
    }

    /// Bytes of a whole packed frame.
    public func frameBytes(width: Int, height: Int) -> Int {
        let plane0 = rowBytes(width: width) * height
        if self == .nv12 { return plane0 + ((width + 1) & ~1) * ((height + 1) / 2) }
        return plane0
    }

    public var name: String {
        switch self {
        case .rgb24: return "RGB24"
        case .bgr24: return "BGR24"
        case .grey: return "GREY"
        case .yuyv: return "YUYV"
        case .uyvy: return "UYVY"
        case .nv12: return "NV12"
        }
    }

    public init?(name: String) {
        for format in [PixelFormat.rgb24, .bgr24, .grey, .yuyv, .uyvy, .nv12] where format.name == name.uppercased() {
            self = format
            return
        }
        return nil
    }
}

/// A face box [left, top, right, bottom] in pixels of the image it belongs to (edges, not centres).
public struct FaceBox: Sendable, Equatable {
    public var x1: Double
    public var y1: Double
    public var x2: Double
    public var y2: Double
    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
    }
    public var width: Double { x2 - x1 }
    public var height: Double { y2 - y1 }

    /// The box scaled by `factor` (coordinates of a decoded image scaled by DCT scaling).
    public func scaled(by factor: Double) -> FaceBox {
        FaceBox(x1: x1 * factor, y1: y1 * factor, x2: x2 * factor, y2: y2 * factor)
    }
}

/// The crop policy stored in a model: scale the box about its centre, optionally make it square.
public struct CropPolicy: Sendable, Equatable {
    /// Scale in 1/65536 (65536 = 1.0); integers so that every platform gets the same box.
    public var scaleQ16: Int32
    public var makesSquare: Bool
    public init(scale: Double = 1.0, makesSquare: Bool = false) {
        self.scaleQ16 = Int32((scale * 65536).rounded())
        self.makesSquare = makesSquare
    }
    public static let identity = CropPolicy()
    public var scale: Double { Double(scaleQ16) / 65536 }

    /// The box this policy crops for `box` (computed in Q16 integers by `ffem_crop_policy_apply`; the
    /// result is exact in Double).
    public func apply(to box: FaceBox) throws(CropError) -> FaceBox {
        var q16 = ffem_box_q16()
        guard ffem_box_q16_from_pixels(box.x1, box.y1, box.x2, box.y2, &q16) == 0 else {
            throw CropError(description: "box has a non-finite or huge coordinate")
        }
        var policy = ffem_crop_policy(scale_q16: scaleQ16, make_square: makesSquare ? 1 : 0)
        var out = ffem_box_q16()
        let status = ffem_crop_policy_apply(&policy, q16, &out)
        guard status == 0 else { throw CropError(description: Image.describeCropStatus(status)) }
        let one = 65536.0
        return FaceBox(x1: Double(out.x1) / one, y1: Double(out.y1) / one, x2: Double(out.x2) / one, y2: Double(out.y2) / one)
    }
}

/// Why a crop could not be taken.
public struct CropError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// An owned 8-bit image: packed rows (`stride == format.rowBytes(width:)`), NV12's chroma plane after the Y plane.
public struct Image: Sendable {
    public var width: Int
    public var height: Int
    public var format: PixelFormat
    public var pixels: [UInt8]
    /// For YUV formats: limited (video) or full (JPEG) range.
    public var isFullRangeYUV = false

    public init(width: Int, height: Int, format: PixelFormat, pixels: [UInt8]) {
        precondition(pixels.count >= format.frameBytes(width: width, height: height), "pixel buffer too small")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// Calls `body` with the C view of this image.
    public func withView<R>(_ body: (UnsafePointer<ffem_image_view>) -> R) -> R {
        pixels.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let rowBytes = format.rowBytes(width: width)
            var view = ffem_image_view(
                data: base,
                chroma: format == .nv12 ? base + rowBytes * height : nil,
                width: UInt32(width), height: UInt32(height), stride: rowBytes,
                chroma_stride: format == .nv12 ? (width + 1) & ~1 : 0,
                format: format.cValue, yuv_range: isFullRangeYUV ? FFEM_YUV_FULL : FFEM_YUV_LIMITED)
            return body(&view)
        }
    }

    /// The pixel (x, y) as RGB (the rule the crop uses).
    public func rgb(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        var rgb: (UInt8, UInt8, UInt8) = (0, 0, 0)
        withView { view in
            withUnsafeMutableBytes(of: &rgb) { ffem_image_pixel_rgb(view, UInt32(x), UInt32(y), $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        }
        return rgb
    }

    /// The shared crop (DESIGN.md §4): `box` transformed by `policy`, sampled bilinearly to size×size RGB24.
    public func crop(box: FaceBox, policy: CropPolicy = .identity, size: Int, mirrored: Bool = false,
                     into output: UnsafeMutablePointer<UInt8>) throws(CropError) {
        let cropped = try policy.apply(to: box)
        var transformed = ffem_box_q16()
        guard ffem_box_q16_from_pixels(cropped.x1, cropped.y1, cropped.x2, cropped.y2, &transformed) == 0 else {
            throw CropError(description: "box has a non-finite or huge coordinate")
        }
        let status = withView { view in ffem_crop_rgb(view, transformed, UInt32(size), mirrored ? 1 : 0, output) }
        guard status == 0 else { throw CropError(description: Image.describeCropStatus(status)) }
    }

    /// The crop as a new RGB24 image.
    public func crop(box: FaceBox, policy: CropPolicy = .identity, size: Int, mirrored: Bool = false) throws(CropError) -> Image {
        var out = [UInt8](repeating: 0, count: size * size * 3)
        try out.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(CropError) in
            try crop(box: box, policy: policy, size: size, mirrored: mirrored, into: buffer.baseAddress!)
        }
        return Image(width: size, height: size, format: .rgb24, pixels: out)
    }

    static func describeCropStatus(_ status: Int32) -> String {
        switch status {
        case 1: return "the box is empty (right ≤ left or bottom ≤ top)"
        case 2: return "the box has a non-finite or out-of-range coordinate"
        case 3: return "the crop size is 0 or above \(FFEM_CROP_MAX_SIDE)"
        case 4: return "the image is empty or inconsistent with its format"
        default: return "crop failed with status \(status)"
        }
    }

    /// This image converted to packed RGB24 (every pixel by the crop's per-pixel rule).
    public func convertedToRGB() -> Image {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        withView { view in
            out.withUnsafeMutableBufferPointer { buffer in
                for y in 0..<height {
                    for x in 0..<width {
                        ffem_image_pixel_rgb(view, UInt32(x), UInt32(y), buffer.baseAddress! + (y * width + x) * 3)
                    }
                }
            }
        }
        return Image(width: width, height: height, format: .rgb24, pixels: out)
    }
}
