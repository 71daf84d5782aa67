// FFEMCapture — FrameSource.swift: the interface every frame source (camera, files, recordings) offers.
import FFEMImage

/// One captured frame, borrowed from its source: `pixels` stay valid until the source's next
/// `nextFrame()` call (a camera hands the buffer back to the driver then, a file source reuses it),
/// so a frame costs no allocation. Copy it (`image()`) to keep it longer.
public struct Frame {
    /// 0, 1, 2, … in delivery order (dropped frames take no number).
    public var index: Int
    /// Capture time in nanoseconds: the kernel's timestamp for cameras (CLOCK_MONOTONIC for
    /// almost every driver), 0 when the source has none.
    public var timestampNanoseconds: UInt64
    public var width: Int
    public var height: Int
    public var format: PixelFormat
    /// Bytes from one row of plane 0 to the next (≥ `format.rowBytes(width:)`).
    public var stride: Int
    /// NV12: byte offset of the interleaved chroma plane and its row stride (0 otherwise).
    public var chromaOffset: Int
    public var chromaStride: Int
    /// YUV formats: full (JPEG) range instead of the limited (video) range V4L2 delivers by default.
    public var isFullRangeYUV: Bool
    public var pixels: UnsafeRawBufferPointer

    public init(index: Int, timestampNanoseconds: UInt64, width: Int, height: Int, format: PixelFormat,
                stride: Int, chromaOffset: Int = 0, chromaStride: Int = 0, isFullRangeYUV: Bool = false,
                pixels: UnsafeRawBufferPointer) {
        self.index = index
        self.timestampNanoseconds = timestampNanoseconds
        self.width = width
        self.height = height
        self.format = format
        self.stride = stride
        self.chromaOffset = chromaOffset
        self.chromaStride = chromaStride
        self.isFullRangeYUV = isFullRangeYUV
        self.pixels = pixels
    }
}

/// Why a source could not deliver a frame.
public struct CaptureError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The errno behind the failure (0 when none): lets a camera tell a vanished device (ENODEV)
    /// from a refused request.
    public var systemError: Int32
    public init(_ description: String, systemError: Int32 = 0) {
        self.description = description
        self.systemError = systemError
    }
}

/// A source of frames.
public protocol FrameSource: AnyObject {
    /// The next frame, or nil at the end of a finite source or when a stop was requested
    /// (`StopRequest`). The previous frame's pixels are invalid from this call on.
    func nextFrame() throws(CaptureError) -> Frame?
    /// Frames the source lost before delivering them (camera sequence gaps); 0 for files.
    var droppedFrames: Int { get }
    /// One line naming the source and its format, for logs.
    var summary: String { get }
}
