// FFEMCapture — RawFileSource.swift: replays raw recorded frames (`--raw FILE --format YUYV --size 640x480`).
import CLibV4L2
import FFEMImage

/// Frames stored back to back in one file (or a pipe, `-` = stdin), each
/// `format.frameBytes(width:height:)` bytes, packed rows, no header. The file is read one frame at a
/// time into one buffer allocated at open, so memory stays bounded however long the recording.
/// A read interrupted by a signal ends the stream when a stop was requested (`StopRequest`).
public final class RawFileSource: FrameSource {
    public let path: String
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    public let frameBytes: Int
    /// Frames in the file, when its size is known (regular files); nil for pipes.
    public let frameCount: Int?
    private let descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var nextIndex = 0

    public init(path: String, format: PixelFormat, width: Int, height: Int) throws(CaptureError) {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw CaptureError("raw frames need a size within 1...16384, got \(width)x\(height)")
        }
        self.path = path
        self.width = width
        self.height = height
        self.format = format
        frameBytes = format.frameBytes(width: width, height: height)
        descriptor = ffem_fd_open_read(path)
        guard descriptor >= 0 else { throw CaptureError("'\(path)': \(String(cString: ffem_strerror(ffem_errno())))") }
        let size = ffem_fd_size(descriptor)
        if size >= 0 {
            guard Int(size) % frameBytes == 0 else {
                _ = ffem_fd_close(descriptor)
                throw CaptureError("'\(path)': \(size) bytes is not a whole number of \(width)x\(height) \(format.name) frames (\(frameBytes) bytes each)")
            }
            frameCount = Int(size) / frameBytes
        } else {
            frameCount = nil
        }
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: frameBytes, alignment: 64)
    }

    deinit {
        buffer.deallocate()
        _ = ffem_fd_close(descriptor)
    }

    public var droppedFrames: Int { 0 }
    public var summary: String { "raw \(path): \(width)x\(height) \(format.name)" }

    public func nextFrame() throws(CaptureError) -> Frame? {
        var got = 0
        while got < frameBytes {
            var interrupted: Int32 = 0
            let read = ffem_fd_read_full(descriptor, buffer.baseAddress! + got, frameBytes - got, &interrupted)
            if read < 0 { throw CaptureError("'\(path)': frame \(nextIndex): \(String(cString: ffem_strerror(ffem_errno())))") }
            got += read
            if interrupted != 0 {
                if StopRequest.isRequested { return nil }
                continue
            }
            break
        }
        if got == 0 { return nil }
        guard got == frameBytes else {
            throw CaptureError("'\(path)': frame \(nextIndex) is truncated (\(got) of \(frameBytes) bytes)")
        }
        defer { nextIndex += 1 }
        let nv12 = format == .nv12
        return Frame(index: nextIndex, timestampNanoseconds: 0, width: width, height: height, format: format,
                     stride: format.rowBytes(width: width),
                     chromaOffset: nv12 ? format.rowBytes(width: width) * height : 0,
                     chromaStride: nv12 ? (width + 1) & ~1 : 0,
                     pixels: UnsafeRawBufferPointer(buffer))
    }
}
