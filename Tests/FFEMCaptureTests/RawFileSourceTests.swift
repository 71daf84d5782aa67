// FFEMCaptureTests — RawFileSourceTests.swift: recorded frames are replayed exactly, damage is refused by name.
import FFEMCapture
import FFEMCore
import FFEMImage
import Testing

@Suite struct RawFileSourceTests {
    static func temporaryPath(_ name: String) -> String {
        "/tmp/ffem-capture-tests-\(Process.monotonicNanoseconds)-\(name)"
    }

    @Test func framesAreReplayedInOrderThroughOneBuffer() throws {
        let path = Self.temporaryPath("frames.yuyv")
        let frames = (0..<3).map { SyntheticFrames.bytes(format: .yuyv, width: 32, height: 8, frame: $0) }
        try FileIO.writeAtomically(frames.flatMap { $0 }, to: path)
        let source = try RawFileSource(path: path, format: .yuyv, width: 32, height: 8)
        #expect(source.frameCount == 3)
        var addresses: [UnsafeRawPointer] = []
        for k in 0..<3 {
            let frame = try #require(try source.nextFrame())
            #expect(frame.index == k)
            #expect(Array(frame.pixels) == frames[k])
            addresses.append(frame.pixels.baseAddress!)
        }
        #expect(try source.nextFrame() == nil)
        #expect(Set(addresses).count == 1, "every frame reuses the one buffer")
    }

    @Test func aPartialFrameIsRefused() throws {
        let path = Self.temporaryPath("partial.yuyv")
        try FileIO.writeAtomically([UInt8](repeating: 7, count: 32 * 8 * 2 + 5), to: path)
        #expect {
            _ = try RawFileSource(path: path, format: .yuyv, width: 32, height: 8)
        } throws: { error in
            (error as? CaptureError)?.description.contains("not a whole number of 32x8 YUYV frames") == true
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect {
            _ = try RawFileSource(path: "/nonexistent/frames.raw", format: .grey, width: 4, height: 4)
        } throws: { error in
            (error as? CaptureError)?.description.contains("/nonexistent/frames.raw") == true
        }
    }
}
