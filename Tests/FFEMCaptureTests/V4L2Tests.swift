// FFEMCaptureTests — V4L2Tests.swift: fourcc codes, the format choice, and a real camera when FFEM_CAMERA is set.
@testable import FFEMCapture
import FFEMCore
import FFEMImage
import Testing

@Suite struct V4L2Tests {
    @Test func fourccRoundTrips() {
        #expect(FourCC("YUYV")!.rawValue == 0x5659_5559)
        #expect(FourCC(PixelFormat.rgb24).description == "RGB3")
        #expect(FourCC("MJPG")!.pixelFormat == nil)
        for format in FourCC.nativeFormats { #expect(FourCC(format).pixelFormat == format) }
        #expect(FourCC("TOO LONG") == nil)
    }

    static func offer(_ code: String, emulated: Bool = false) -> V4L2FormatOffer {
        V4L2FormatOffer(fourcc: FourCC(code)!, isEmulated: emulated, sizes: [(640, 480), (1280, 720)], isStepwise: false)
    }

    @Test func nativeFormatsComeFirstThenLibv4l2Conversion() throws {
        let webcam = [Self.offer("MJPG"), Self.offer("YUYV"), Self.offer("RGB3", emulated: true)]
        #expect(try V4L2FormatOffer.choose(nil, from: webcam, device: "cam") == .yuyv)
        let mjpegOnly = [Self.offer("MJPG"), Self.offer("RGB3", emulated: true), Self.offer("YU12", emulated: true)]
        #expect(try V4L2FormatOffer.choose(nil, from: mjpegOnly, device: "cam") == .rgb24)
        #expect(try V4L2FormatOffer.choose(.rgb24, from: webcam, device: "cam") == .rgb24)
    }

    @Test func anUnsupportedRequestListsTheOffers() {
        let offers = [Self.offer("MJPG"), Self.offer("YUYV")]
        #expect {
            _ = try V4L2FormatOffer.choose(.nv12, from: offers, device: "/dev/video9")
        } throws: { error in
            let text = (error as? CaptureError)?.description ?? ""
            return text.contains("/dev/video9 does not offer NV12") && text.contains("MJPG 640x480 1280x720; YUYV 640x480 1280x720")
        }
        #expect(throws: CaptureError.self) { _ = try V4L2FormatOffer.choose(nil, from: [Self.offer("MJPG")], device: "cam") }
    }

    @Test func aMissingDeviceIsAnErrorNotACrash() {
        #expect {
            _ = try V4L2Camera(V4L2Request(device: "/nonexistent/video7"))
        } throws: { error in
            (error as? CaptureError)?.description.contains("/nonexistent/video7") == true
        }
    }

    /// Real capture: only with FFEM_CAMERA=/dev/videoN (e.g. inside the vivid VM, scripts/v4l2-vm-test.sh).
    @Test(.enabled(if: Process.environment("FFEM_CAMERA") != nil))
    func realCameraDeliversFramesWithTimestamps() throws {
        let device = Process.environment("FFEM_CAMERA")!
        let camera = try V4L2Camera(V4L2Request(device: device, width: 640, height: 480, framesPerSecond: 25))
        var last: UInt64 = 0
        for k in 0..<5 {
            let frame = try #require(try camera.nextFrame())
            #expect(frame.index == k)
            #expect(frame.width == 640 && frame.height == 480)
            #expect(frame.pixels.count >= frame.format.frameBytes(width: 640, height: 480))
            #expect(frame.timestampNanoseconds >= last)
            last = frame.timestampNanoseconds
        }
    }
}
