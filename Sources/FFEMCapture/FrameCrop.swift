// FFEMCapture — FrameCrop.swift: the shared C crop (DESIGN.md §4) taken straight from a frame's pixel format.
import CFFEMKernels
import FFEMImage

extension Frame {
    /// Calls `body` with the C view of this frame (no copy).
    public func withView<R>(_ body: (UnsafePointer<ffem_image_view>) -> R) -> R {
        let base = pixels.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var view = ffem_image_view(
            data: base, chroma: format == .nv12 ? base + chromaOffset : nil,
            width: UInt32(width), height: UInt32(height), stride: stride,
            chroma_stride: format == .nv12 ? chromaStride : 0,
            format: Frame.cFormat(format), yuv_range: isFullRangeYUV ? FFEM_YUV_FULL : FFEM_YUV_LIMITED)
        return body(&view)
    }

    /// The size×size RGB24 crop of `box` transformed by `policy`, sampled from the frame's own
    /// format by `ffem_crop_rgb` (a YUYV frame is never converted as a whole: each sampled pixel is
    /// converted where it is read). Writes size·size·3 bytes to `output`; allocates nothing.
    /// Throws for an empty or non-finite box; a box reaching outside the frame samples the
    /// clamped edge (use `FaceBox.clamped(width:height:)` first to avoid that).
    public func crop(box: FaceBox, policy: CropPolicy, size: Int, mirrored: Bool = false,
                     into output: UnsafeMutablePointer<UInt8>) throws(CaptureError) {
        let transformed: FaceBox
        do {
            transformed = try policy.apply(to: box)
        } catch {
            throw CaptureError(error.description)
        }
        var q16 = ffem_box_q16()
        guard ffem_box_q16_from_pixels(transformed.x1, transformed.y1, transformed.x2, transformed.y2, &q16) == 0 else {
            throw CaptureError("box has a non-finite or huge coordinate")
        }
        let status = withView { view in ffem_crop_rgb(view, q16, UInt32(size), mirrored ? 1 : 0, output) }
        guard status == 0 else { throw CaptureError("the shared crop refused the box (status \(status))") }
    }

    static func cFormat(_ format: PixelFormat) -> ffem_pixel_format {
        switch format {
        case .rgb24: return FFEM_PIXEL_RGB24
        case .bgr24: return FFEM_PIXEL_BGR24
        case .grey: return FFEM_PIXEL_GREY
        case .yuyv: return FFEM_PIXEL_YUYV
        case .uyvy: return FFEM_PIXEL_UYVY
        case .nv12: return FFEM_PIXEL_NV12
        }
    }

    /// A packed copy of the frame as an `Image` (allocates; for tests and recordings).
    public func image() -> Image {
        let rowBytes = format.rowBytes(width: width)
        var bytes = [UInt8](repeating: 0, count: format.frameBytes(width: width, height: height))
        let source = pixels.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for y in 0..<height {
            for x in 0..<rowBytes { bytes[y * rowBytes + x] = source[y * stride + x] }
        }
        if format == .nv12 {
            let chromaRowBytes = (width + 1) & ~1
            let plane0 = rowBytes * height
            for y in 0..<((height + 1) / 2) {
                for x in 0..<chromaRowBytes { bytes[plane0 + y * chromaRowBytes + x] = source[chromaOffset + y * chromaStride + x] }
            }
        }
        var copy = Image(width: width, height: height, format: format, pixels: bytes)
        copy.isFullRangeYUV = isFullRangeYUV
        return copy
    }
}

extension FaceBox {
    /// The part of the box inside a width×height frame ([0, width] × [0, height]); nil when nothing
    /// of it is inside (an empty intersection).
    public func clamped(width: Int, height: Int) -> FaceBox? {
        let w = Double(width), h = Double(height)
        guard x1.isFinite, y1.isFinite, x2.isFinite, y2.isFinite else { return nil }
        let box = FaceBox(x1: min(max(x1, 0), w), y1: min(max(y1, 0), h), x2: min(max(x2, 0), w), y2: min(max(y2, 0), h))
        guard box.x2 > box.x1, box.y2 > box.y1 else { return nil }
        return box
    }
}
