// FFEMCapture — V4L2Offer.swift: what a device offers (formats and sizes), and the choice among them.
import CLibV4L2
import FFEMImage

/// One capture format a device offers through libv4l2, with its frame sizes.
public struct V4L2FormatOffer: Sendable {
    public var fourcc: FourCC
    /// True when libv4l2 converts to this format from one the hardware delivers (e.g. MJPEG → RGB3).
    public var isEmulated: Bool
    /// Discrete sizes, or for stepwise/continuous devices the smallest and largest size.
    public var sizes: [(width: Int, height: Int)]
    public var isStepwise: Bool

    /// "YUYV 320x180 640x480 …", "RGB3(emulated) …", "NV12 16x16…4096x2160".
    public var description: String {
        var text = fourcc.description + (isEmulated ? "(emulated)" : "")
        if isStepwise, sizes.count == 2 {
            text += " \(sizes[0].width)x\(sizes[0].height)…\(sizes[1].width)x\(sizes[1].height)"
        } else {
            for size in sizes { text += " \(size.width)x\(size.height)" }
        }
        return text
    }

    /// Whether a width×height frame is among the sizes (or inside the stepwise range).
    public func offers(width: Int, height: Int) -> Bool {
        if isStepwise, sizes.count == 2 {
            return (sizes[0].width...sizes[1].width).contains(width) && (sizes[0].height...sizes[1].height).contains(height)
        }
        return sizes.isEmpty || sizes.contains { $0.width == width && $0.height == height }
    }

    /// Every capture format of the open device `descriptor` (ENUM_FMT + ENUM_FRAMESIZES).
    static func enumerate(_ descriptor: Int32) -> [V4L2FormatOffer] {
        var offers: [V4L2FormatOffer] = []
        var index: UInt32 = 0
        var code: UInt32 = 0
        var emulated: Int32 = 0
        while index < 256, ffem_v4l2_format_at(descriptor, index, &code, &emulated) == 0 {
            var offer = V4L2FormatOffer(fourcc: FourCC(rawValue: code), isEmulated: emulated != 0, sizes: [], isStepwise: false)
            var sizeIndex: UInt32 = 0
            var minW: UInt32 = 0, minH: UInt32 = 0, maxW: UInt32 = 0, maxH: UInt32 = 0
            var discrete: Int32 = 0
            while sizeIndex < 256, ffem_v4l2_size_at(descriptor, code, sizeIndex, &minW, &minH, &maxW, &maxH, &discrete) == 0 {
                if discrete != 0 {
                    offer.sizes.append((Int(minW), Int(minH)))
                } else {
                    offer.sizes = [(Int(minW), Int(minH)), (Int(maxW), Int(maxH))]
                    offer.isStepwise = true
                    break
                }
                sizeIndex += 1
            }
            offers.append(offer)
            index += 1
        }
        return offers
    }

    /// The format to ask for: `requested` when the device offers it (natively or through
    /// libv4l2); otherwise, with no request, the first native format the crop reads
    /// (`FourCC.nativeFormats` order), then libv4l2's RGB3 conversion (MJPEG and other cameras).
    /// Throws, listing every offer, when nothing fits.
    static func choose(_ requested: PixelFormat?, from offers: [V4L2FormatOffer], device: String) throws(CaptureError) -> PixelFormat {
        if let requested {
            let code = FourCC(requested)
            if offers.contains(where: { $0.fourcc == code }) { return requested }
            throw CaptureError("\(device) does not offer \(requested.name) (\(code)); it offers: \(list(offers))")
        }
        for format in FourCC.nativeFormats {
            if offers.contains(where: { $0.fourcc == FourCC(format) && !$0.isEmulated }) { return format }
        }
        for format in [PixelFormat.rgb24, .bgr24, .yuyv, .grey] {
            if offers.contains(where: { $0.fourcc == FourCC(format) }) { return format }
        }
        throw CaptureError("\(device) offers no format the crop can read (YUYV, UYVY, NV12, GREY, RGB3, BGR3, natively or through libv4l2); it offers: \(list(offers))")
    }

    static func list(_ offers: [V4L2FormatOffer]) -> String {
        offers.isEmpty ? "nothing" : offers.map { $0.description }.joined(separator: "; ")
    }
}
