// FFEMCapture — V4L2PixelFormat.swift: V4L2 fourcc codes and the pixel formats the shared crop reads natively.
import FFEMImage

/// A V4L2 pixel format code (`v4l2_fourcc('Y','U','Y','V')`).
public struct FourCC: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// From four ASCII characters; nil for any other length.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 4 else { return nil }
        rawValue = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }

    /// The four characters (non-printable bytes as '?').
    public var description: String {
        var text = ""
        for shift in [0, 8, 16, 24] {
            let byte = UInt8(truncatingIfNeeded: rawValue >> UInt32(shift))
            text += String(decoding: [(32..<127).contains(byte) ? byte : UInt8(ascii: "?")], as: UTF8.self)
        }
        return text
    }

    /// The fourcc of a format the crop reads directly.
    public init(_ format: PixelFormat) {
        switch format {
        case .yuyv: self = FourCC("YUYV")!
        case .uyvy: self = FourCC("UYVY")!
        case .nv12: self = FourCC("NV12")!
        case .grey: self = FourCC("GREY")!
        case .rgb24: self = FourCC("RGB3")!
        case .bgr24: self = FourCC("BGR3")!
        }
    }

    /// The crop's format for this fourcc, or nil when the crop cannot read it.
    public var pixelFormat: PixelFormat? {
        for format in FourCC.nativeFormats where FourCC(format) == self { return format }
        return nil
    }

    /// Formats taken from a camera as they are, in order of preference (YUV 4:2:2 first: what
    /// webcams deliver without compression; RGB last).
    public static let nativeFormats: [PixelFormat] = [.yuyv, .uyvy, .nv12, .grey, .rgb24, .bgr24]
}
