// FFEMCapture — FrameSource.swift: the interface every frame source (camera, files, recordings) offers.
import FFEMImage

/// One captured frame: its pixels in the source's format and when it was captured.
public struct Frame: Sendable {
    public var index: Int
    /// Capture time in nanoseconds (the kernel's monotonic timestamp for cameras; 0 when unknown).
    public var timestampNanoseconds: UInt64
    public var image: Image
}

/// Why a source could not deliver a frame.
public struct CaptureError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A source of frames. `nextFrame()` returns nil at the end of a finite source.
public protocol FrameSource: AnyObject {
    func nextFrame() throws(CaptureError) -> Frame?
}
