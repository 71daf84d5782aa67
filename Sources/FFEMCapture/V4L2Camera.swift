// FFEMCapture — V4L2Camera.swift: a V4L2 camera as a FrameSource that survives stalls and unplugging.
import CLibV4L2
import FFEMCore
import FFEMImage

/// Frames from a V4L2 camera through libv4l2 with mmap streaming (`V4L2Device`).
///
/// `nextFrame()` hands the previous frame's buffer back to the driver (QBUF), then polls with
/// `request.timeoutMilliseconds` and dequeues the next filled buffer (DQBUF); the frame's pixels
/// are the mmap'ed buffer itself (no copy, no allocation) and its timestamp the kernel's.
/// EAGAIN and EINTR are retried. Frames the driver lost show up as gaps in its sequence numbers
/// (`droppedFrames`); buffers it flags as damaged or too short are skipped and counted as dropped.
/// A device that disappears (ENODEV, EIO, POLLERR/POLLHUP) or stays silent for three timeouts in a
/// row is closed and reopened with back-off (0.1 s doubling to 2 s) until it is back or a stop is
/// requested (`StopRequest`); the stream then continues with the next frame number.
public final class V4L2Camera: FrameSource {
    public let request: V4L2Request
    private var device: V4L2Device?
    private var heldBuffer: UInt32? = nil
    private var lastSequence: UInt32? = nil
    private var nextIndex = 0
    private var silentPolls = 0
    public private(set) var droppedFrames = 0
    /// How many times the device was lost and opened again.
    public private(set) var reopenCount = 0
    /// Where progress notes go (device lost / back); stderr by default.
    public var log: (String) -> Void = { Process.printError($0) }

    /// Opens and starts the camera; throws (listing the device's offers when the request is
    /// unsupported) if it cannot.
    public init(_ request: V4L2Request) throws(CaptureError) {
        self.request = request
        device = try V4L2Device(request)
    }

    deinit { device?.close() }

    /// The format actually streaming (it may be libv4l2's conversion).
    public var format: PixelFormat? { device?.format }
    /// Every format the device offers, for `--list-formats`.
    public var offers: [V4L2FormatOffer] { device?.offers ?? [] }

    public var summary: String {
        guard let device else { return "\(request.device): closed" }
        var text = "\(request.device) (\(device.driver), \(device.card)): \(request.width)x\(request.height) \(device.format.name)"
        if device.frameInterval.numerator > 0 { text += " at \(device.frameInterval.denominator)/\(device.frameInterval.numerator) fps" }
        return text + ", \(device.buffers.count) mmap buffers"
    }

    public func nextFrame() throws(CaptureError) -> Frame? {
        while !StopRequest.isRequested {
            guard let device else {
                try reopen()
                continue
            }
            if let held = heldBuffer {
                heldBuffer = nil
                if ffem_v4l2_queue(device.descriptor, held) != 0 {
                    try lost(V4L2Device.failure("\(request.device): VIDIOC_QBUF"))
                    continue
                }
            }
            var hangup: Int32 = 0
            let ready = ffem_poll_readable(device.descriptor, Int32(request.timeoutMilliseconds), &hangup)
            if ready < 0 {
                if ffem_errno() == ffem_errno_eintr() { continue }
                try lost(V4L2Device.failure("\(request.device): poll"))
                continue
            }
            if hangup != 0 {
                try lost(CaptureError("\(request.device): the device reported an error or hang-up", systemError: ffem_errno_enodev()))
                continue
            }
            if ready == 0 {
                silentPolls += 1
                log("\(request.device): no frame for \(request.timeoutMilliseconds) ms")
                if silentPolls >= 3 {
                    try lost(CaptureError("\(request.device): silent for \(silentPolls) timeouts", systemError: ffem_errno_eio()))
                }
                continue
            }
            var index: UInt32 = 0, bytesUsed: UInt32 = 0, sequence: UInt32 = 0, damaged: Int32 = 0
            var timestamp: UInt64 = 0
            if ffem_v4l2_dequeue(device.descriptor, &index, &bytesUsed, &sequence, &timestamp, &damaged) != 0 {
                if ffem_errno() == ffem_errno_eagain() { continue }
                try lost(V4L2Device.failure("\(request.device): VIDIOC_DQBUF"))
                continue
            }
            silentPolls = 0
            heldBuffer = index
            if let last = lastSequence, sequence > last &+ 1 { droppedFrames += Int(sequence - last - 1) }
            lastSequence = sequence
            guard damaged == 0, Int(index) < device.buffers.count, Int(bytesUsed) >= device.frameBytes else {
                droppedFrames += 1
                continue
            }
            defer { nextIndex += 1 }
            let buffer = device.buffers[Int(index)]
            return Frame(index: nextIndex, timestampNanoseconds: timestamp, width: request.width, height: request.height,
                         format: device.format, stride: device.stride,
                         chromaOffset: device.format == .nv12 ? device.stride * request.height : 0,
                         chromaStride: device.format == .nv12 ? device.stride : 0,
                         isFullRangeYUV: device.isFullRangeYUV,
                         pixels: UnsafeRawBufferPointer(rebasing: buffer[0..<device.frameBytes]))
        }
        return nil
    }

    /// Whether `error` means the device went away (rather than refusing something).
    static func isVanished(_ error: CaptureError) -> Bool {
        let code = error.systemError
        return code == ffem_errno_enodev() || code == ffem_errno_eio() || code == ffem_errno_enoent()
    }

    /// Closes the device after `error`: a vanished device is reopened later, anything else is thrown.
    private func lost(_ error: CaptureError) throws(CaptureError) {
        device?.close()
        device = nil
        heldBuffer = nil
        lastSequence = nil
        silentPolls = 0
        guard V4L2Camera.isVanished(error) else { throw error }
        log("\(error.description); reopening")
    }

    /// Opens the device again, waiting 0.1 s, 0.2 s, … up to 2 s between attempts, until it works
    /// or a stop is requested. A refusal that is not "device missing" is thrown.
    private func reopen() throws(CaptureError) {
        var waitMilliseconds = 100
        while !StopRequest.isRequested {
            ffem_sleep_ms(Int32(waitMilliseconds))
            do {
                device = try V4L2Device(request)
                reopenCount += 1
                log("\(request.device): back (reopen \(reopenCount))")
                return
            } catch {
                guard V4L2Camera.isVanished(error) else { throw error }
            }
            waitMilliseconds = min(waitMilliseconds * 2, 2000)
        }
    }
}
