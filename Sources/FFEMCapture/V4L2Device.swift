// FFEMCapture — V4L2Device.swift: one open, configured, streaming session of a V4L2 capture device (libv4l2, mmap).
import CLibV4L2
import FFEMCore
import FFEMImage

/// What to ask a camera for.
public struct V4L2Request: Sendable {
    /// Device node, e.g. /dev/video0.
    public var device: String
    public var width: Int
    public var height: Int
    /// nil: the first format the crop reads natively (see `V4L2FormatOffer.choose`).
    public var format: PixelFormat?
    /// Frames per second asked with VIDIOC_S_PARM; nil leaves the driver's rate.
    public var framesPerSecond: Int?
    /// MMAP buffers requested (the driver may grant more or fewer, at least 2 are needed).
    public var bufferCount: Int
    /// How long one poll waits for a frame.
    public var timeoutMilliseconds: Int

    public init(device: String, width: Int = 640, height: Int = 480, format: PixelFormat? = nil,
                framesPerSecond: Int? = nil, bufferCount: Int = 4, timeoutMilliseconds: Int = 2000) {
        self.device = device
        self.width = width
        self.height = height
        self.format = format
        self.framesPerSecond = framesPerSecond
        self.bufferCount = bufferCount
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// An open device streaming into mmap'ed buffers: open → QUERYCAP → ENUM_FMT/FRAMESIZES →
/// S_FMT → S_PARM → REQBUFS → QUERYBUF+mmap → QBUF all → STREAMON. `close()` undoes it all.
/// Every ioctl goes through libv4l2 (`v4l2_ioctl`), so formats the hardware lacks are converted
/// by libv4lconvert, and is retried on EINTR (in `shim.h`).
final class V4L2Device {
    let request: V4L2Request
    let descriptor: Int32
    let driver: String
    let card: String
    let offers: [V4L2FormatOffer]
    let format: PixelFormat
    let stride: Int
    let isFullRangeYUV: Bool
    /// The frame interval the driver chose (0/0 when it cannot set one).
    let frameInterval: (numerator: UInt32, denominator: UInt32)
    private(set) var buffers: [UnsafeRawBufferPointer] = []
    private var isOpen = true

    /// Bytes a frame needs: plane 0 plus NV12's chroma plane.
    var frameBytes: Int { format == .nv12 ? stride * request.height + stride * ((request.height + 1) / 2) : stride * request.height }

    init(_ request: V4L2Request) throws(CaptureError) {
        self.request = request
        let device = request.device
        let fd = ffem_v4l2_open(device, ffem_o_rdwr_nonblock())
        guard fd >= 0 else { throw V4L2Device.failure("open \(device)") }
        descriptor = fd
        var driverName = [CChar](repeating: 0, count: 32)
        var cardName = [CChar](repeating: 0, count: 32)
        var caps: UInt32 = 0
        let queried = driverName.withUnsafeMutableBufferPointer { d in
            cardName.withUnsafeMutableBufferPointer { c in ffem_v4l2_capabilities(fd, d.baseAddress, c.baseAddress, &caps) }
        }
        guard queried == 0 else {
            let error = V4L2Device.failure("\(device): VIDIOC_QUERYCAP (not a V4L2 device?)")
            _ = ffem_v4l2_close(fd)
            throw error
        }
        driver = cString(driverName)
        card = cString(cardName)
        guard caps & ffem_v4l2_cap_video_capture() != 0, caps & ffem_v4l2_cap_streaming() != 0 else {
            _ = ffem_v4l2_close(fd)
            throw CaptureError("\(device) (\(driver), \(card)) is not a streaming video capture device")
        }
        offers = V4L2FormatOffer.enumerate(fd)
        let chosen: PixelFormat
        do {
            chosen = try V4L2FormatOffer.choose(request.format, from: offers, device: device)
        } catch {
            _ = ffem_v4l2_close(fd)
            throw error
        }
        var pix = v4l2_pix_format()
        guard ffem_v4l2_set_format(fd, FourCC(chosen).rawValue, UInt32(request.width), UInt32(request.height), &pix) == 0 else {
            let error = V4L2Device.failure("\(device): VIDIOC_S_FMT \(FourCC(chosen)) \(request.width)x\(request.height)")
            _ = ffem_v4l2_close(fd)
            throw error
        }
        guard pix.pixelformat == FourCC(chosen).rawValue, Int(pix.width) == request.width, Int(pix.height) == request.height else {
            _ = ffem_v4l2_close(fd)
            let sameFormat = offers.filter { $0.fourcc == FourCC(chosen) }
            throw CaptureError("\(device) cannot deliver \(FourCC(chosen)) \(request.width)x\(request.height) (it set "
                + "\(FourCC(rawValue: pix.pixelformat)) \(pix.width)x\(pix.height)); it offers: "
                + V4L2FormatOffer.list(sameFormat.isEmpty ? offers : sameFormat))
        }
        format = chosen
        stride = max(Int(pix.bytesperline), chosen.rowBytes(width: request.width))
        isFullRangeYUV = pix.quantization == V4L2_QUANTIZATION_FULL_RANGE.rawValue
        var numerator: UInt32 = 0, denominator: UInt32 = 0
        if let fps = request.framesPerSecond {
            _ = ffem_v4l2_set_frame_rate(fd, UInt32(fps), &numerator, &denominator)
        }
        frameInterval = (numerator, denominator)
        do {
            try startStreaming()
        } catch {
            close()
            throw error
        }
    }

    private func startStreaming() throws(CaptureError) {
        var count = UInt32(request.bufferCount)
        guard ffem_v4l2_request_mmap_buffers(descriptor, &count) == 0 else {
            throw V4L2Device.failure("\(request.device): VIDIOC_REQBUFS (mmap streaming)")
        }
        guard count >= 2 else { throw CaptureError("\(request.device) granted \(count) mmap buffer(s); 2 are needed") }
        for index in 0..<count {
            var start: UnsafeMutableRawPointer? = nil
            var length = 0
            guard ffem_v4l2_map_buffer(descriptor, index, &start, &length) == 0, let start else {
                throw V4L2Device.failure("\(request.device): mmap of buffer \(index)")
            }
            buffers.append(UnsafeRawBufferPointer(start: start, count: length))
            guard ffem_v4l2_queue(descriptor, index) == 0 else { throw V4L2Device.failure("\(request.device): VIDIOC_QBUF \(index)") }
        }
        guard ffem_v4l2_streamon(descriptor) == 0 else { throw V4L2Device.failure("\(request.device): VIDIOC_STREAMON") }
    }

    /// STREAMOFF, munmap, REQBUFS 0, close. Safe to call twice; errors are ignored (the device may be gone).
    func close() {
        guard isOpen else { return }
        isOpen = false
        _ = ffem_v4l2_streamoff(descriptor)
        for buffer in buffers { _ = ffem_v4l2_munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count) }
        buffers.removeAll()
        var none: UInt32 = 0
        _ = ffem_v4l2_request_mmap_buffers(descriptor, &none)
        _ = ffem_v4l2_close(descriptor)
    }

    deinit { close() }

    /// A CaptureError for the failed call `what`, with errno's text and code.
    static func failure(_ what: String) -> CaptureError {
        let code = ffem_errno()
        return CaptureError("\(what): \(String(cString: ffem_strerror(code)))", systemError: code)
    }
}
