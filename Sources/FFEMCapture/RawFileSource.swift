// FFEMCapture — RawFileSource.swift: replays raw recorded frames (`--raw FILE --format YUYV --size 640x480`).
import FFEMCore
import FFEMImage

/// Frames stored back to back in one file, each `format.frameBytes(width:height:)` bytes, no header.
public final class RawFileSource: FrameSource {
    let bytes: [UInt8]
    let width: Int
    let height: Int
    let format: PixelFormat
    let frameBytes: Int
    var nextIndex = 0

    public init(path: String, format: PixelFormat, width: Int, height: Int) throws(CaptureError) {
        guard width > 0, height > 0 else { throw CaptureError("raw frames need a positive size, got \(width)x\(height)") }
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw CaptureError(error.description)
        }
        self.width = width
        self.height = height
        self.format = format
        frameBytes = format.frameBytes(width: width, height: height)
        guard bytes.count % frameBytes == 0 else {
            throw CaptureError("'\(path)': \(bytes.count) bytes is not a whole number of \(width)x\(height) \(format.name) frames (\(frameBytes) bytes each)")
        }
    }

    public var frameCount: Int { bytes.count / frameBytes }

    public func nextFrame() throws(CaptureError) -> Frame? {
        guard nextIndex < frameCount else { return nil }
        let start = nextIndex * frameBytes
        let image = Image(width: width, height: height, format: format, pixels: Array(bytes[start..<(start + frameBytes)]))
        defer { nextIndex += 1 }
        return Frame(index: nextIndex, timestampNanoseconds: 0, image: image)
    }
}
