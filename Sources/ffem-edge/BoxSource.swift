// ffem-edge — BoxSource.swift: the face boxes of each frame — fixed, streamed as JSON lines, or per image.
import FFEMCore
import FFEMImage

/// Where the boxes come from (DESIGN.md §9): an outside detector supplies them.
///
/// - `fixed`: the same boxes for every frame (`--box x1,y1,x2,y2`, repeatable).
/// - `stream`: JSON lines `{"frame": N, "boxes": [[x1,y1,x2,y2], …]}` (`--boxes FILE|-`), N the
///   0-based frame number in delivery order, lines in non-decreasing N; a frame without a line
///   has no boxes, and reading blocks until the line of a later frame (or the end) arrives.
/// - `perImage`: the box of each `image_list.json` entry.
/// - `wholeFrame`: no boxes given: the whole frame is the box.
final class BoxSource {
    static let maximumBoxesPerFrame = 64

    private enum Kind {
        case fixed
        case stream(LineReader)
        case perImage([FaceBox?])
        case wholeFrame
    }
    private let kind: Kind
    /// The boxes of the current frame (capacity reserved once: refilling does not allocate).
    private(set) var boxes: [FaceBox] = []
    private var pending: (frame: Int, boxes: [FaceBox])? = nil
    private var streamEnded = false

    private init(kind: Kind, boxes: [FaceBox]) {
        self.kind = kind
        self.boxes = boxes
        self.boxes.reserveCapacity(BoxSource.maximumBoxesPerFrame)
    }

    static func fixed(_ boxes: [FaceBox]) -> BoxSource { BoxSource(kind: .fixed, boxes: boxes) }
    static func stream(_ reader: LineReader) -> BoxSource { BoxSource(kind: .stream(reader), boxes: []) }
    static func perImage(_ boxes: [FaceBox?]) -> BoxSource { BoxSource(kind: .perImage(boxes), boxes: []) }
    static func wholeFrame() -> BoxSource { BoxSource(kind: .wholeFrame, boxes: []) }

    /// Makes `boxes` the boxes of frame `index` (of size width×height).
    func load(frame index: Int, width: Int, height: Int) throws(EdgeError) {
        switch kind {
        case .fixed:
            return
        case .wholeFrame:
            boxes.removeAll(keepingCapacity: true)
            boxes.append(FaceBox(x1: 0, y1: 0, x2: Double(width), y2: Double(height)))
        case .perImage(let list):
            boxes.removeAll(keepingCapacity: true)
            if index < list.count {
                boxes.append(list[index] ?? FaceBox(x1: 0, y1: 0, x2: Double(width), y2: Double(height)))
            }
        case .stream(let reader):
            boxes.removeAll(keepingCapacity: true)
            while !streamEnded, pending == nil || pending!.frame < index {
                var parsed: (frame: Int, boxes: [FaceBox])? = nil
                let more = try reader.nextLine { (line: UnsafeBufferPointer<UInt8>) throws(EdgeError) in
                    parsed = try BoxSource.parse(line, at: "\(reader.name):\(reader.lineNumber)")
                }
                if !more { streamEnded = true; break }
                guard let parsed else { continue }
                if let previous = pending, parsed.frame < previous.frame {
                    throw .data("\(reader.name):\(reader.lineNumber): frame \(parsed.frame) comes after frame \(previous.frame) (frames must not decrease)")
                }
                pending = parsed
            }
            if let current = pending, current.frame == index {
                for box in current.boxes { boxes.append(box) }
            }
        }
    }

    /// One stream line; nil for a blank line.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, at place: String) throws(EdgeError) -> (frame: Int, boxes: [FaceBox])? {
        guard let value = try LineReader.jsonValue(of: line, at: place) else { return nil }
        guard value.objectMembers != nil else { throw .data("\(place): expected an object {\"frame\": N, \"boxes\": [...]}, found \(value.kindName)") }
        guard let frame = value["frame"]?.intValue, frame >= 0 else {
            throw .data("\(place): field 'frame' must be an integer ≥ 0")
        }
        guard let list = value["boxes"]?.arrayValue else { throw .data("\(place): field 'boxes' must be an array of [x1,y1,x2,y2]") }
        guard list.count <= maximumBoxesPerFrame else {
            throw .data("\(place): \(list.count) boxes for frame \(frame); at most \(maximumBoxesPerFrame)")
        }
        var boxes: [FaceBox] = []
        for (k, item) in list.enumerated() {
            guard let numbers = item.arrayValue, numbers.count == 4 else {
                throw .data("\(place): boxes[\(k)] must be [x1,y1,x2,y2]")
            }
            var c: [Double] = []
            for n in numbers {
                guard let v = n.doubleValue, v.isFinite else { throw .data("\(place): boxes[\(k)] has a value that is not a finite number") }
                c.append(v)
            }
            boxes.append(FaceBox(x1: c[0], y1: c[1], x2: c[2], y2: c[3]))
        }
        return (frame, boxes)
    }

    /// `x1,y1,x2,y2` of a `--box` option.
    static func parseOption(_ text: String) throws(EdgeError) -> FaceBox {
        let parts = text.split(separator: ",")
        var c: [Double] = []
        for part in parts {
            guard let v = Double(String(part)), v.isFinite else { break }
            c.append(v)
        }
        guard parts.count == 4, c.count == 4 else { throw .usage("--box: '\(text)' is not x1,y1,x2,y2 (four numbers)") }
        guard c[2] > c[0], c[3] > c[1] else { throw .usage("--box: '\(text)' is empty (x2 must exceed x1 and y2 exceed y1)") }
        return FaceBox(x1: c[0], y1: c[1], x2: c[2], y2: c[3])
    }
}
