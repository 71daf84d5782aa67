// FFEMCapture — ImageFileSource.swift: still images (JPEG, PGM/PPM, PNG) as frames, for tests and replays.
import FFEMCore
import FFEMImage

/// One image of an `ImageFileSource` and, from an `image_list.json`, its face box.
public struct ImageEntry: Sendable {
    public var path: String
    public var box: FaceBox?
    public init(path: String, box: FaceBox? = nil) {
        self.path = path
        self.box = box
    }
}

/// Frames decoded from image files, one frame per image, at full resolution (no DCT scaling, so
/// the pixels are exactly those a camera would deliver for the same picture in RGB24 or GREY).
/// Decoding allocates per image; this source is for tests and replays, not the camera loop.
public final class ImageFileSource: FrameSource {
    public let entries: [ImageEntry]
    private var nextIndex = 0
    private var current: Image? = nil

    public init(entries: [ImageEntry]) {
        self.entries = entries
    }

    public var droppedFrames: Int { 0 }
    public var summary: String { "\(entries.count) image file(s)" }

    public func nextFrame() throws(CaptureError) -> Frame? {
        guard nextIndex < entries.count else { return nil }
        let entry = entries[nextIndex]
        let decoded: DecodedImage
        do {
            decoded = try ImageCodecs.read(entry.path)
        } catch {
            throw CaptureError("'\(entry.path)': \(error.description)")
        }
        current = decoded.image
        defer { nextIndex += 1 }
        let image = decoded.image
        let rowBytes = image.format.rowBytes(width: image.width)
        return current!.pixels.withUnsafeBytes { bytes in
            Frame(index: nextIndex, timestampNanoseconds: 0, width: image.width, height: image.height,
                  format: image.format, stride: rowBytes,
                  chromaOffset: image.format == .nv12 ? rowBytes * image.height : 0,
                  chromaStride: image.format == .nv12 ? (image.width + 1) & ~1 : 0,
                  isFullRangeYUV: image.isFullRangeYUV, pixels: bytes)
        }
    }

    /// The entries of a dataset file (`image_list.json`: keys are image paths relative to `root`,
    /// values `{"label": …, "x1": …, "y1": …, "x2": …, "y2": …}`), in file order.
    /// Errors name the file, the line:column of the entry and the field.
    public static func entries(imageList path: String, root: String) throws(CaptureError) -> [ImageEntry] {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw CaptureError(error.description)
        }
        let value: JSONValue
        do {
            value = try parseJSON(bytes)
        } catch {
            throw CaptureError("'\(path)':\(error.description)")
        }
        guard let members = value.objectMembers else {
            throw CaptureError("'\(path)': the image list must be a JSON object (image path → box), found \(value.kindName)")
        }
        var entries: [ImageEntry] = []
        for member in members {
            var coordinates: [Double] = []
            for field in ["x1", "y1", "x2", "y2"] {
                guard let number = member.value[field]?.doubleValue else {
                    throw CaptureError("'\(path)':\(member.position): entry '\(member.key)' has no number '\(field)'")
                }
                coordinates.append(number)
            }
            let box = FaceBox(x1: coordinates[0], y1: coordinates[1], x2: coordinates[2], y2: coordinates[3])
            entries.append(ImageEntry(path: FileIO.join(root, member.key), box: box))
        }
        return entries
    }
}
