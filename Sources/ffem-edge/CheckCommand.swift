// ffem-edge — CheckCommand.swift: `ffem-edge check`, bit-exact int8 embeddings on the device.
import CFFEMKernels
import FFEMCapture
import FFEMCLI
import FFEMCore
import FFEMImage
import FFEMRuntime

/// A check set is JSON lines {"image": PATH, "box": [x1,y1,x2,y2], "int8": [E integers]}: the
/// images, the boxes and the int8 embeddings the workstation computed. On the device each image is
/// cropped and embedded again, by the kernels the runtime picks and then with the kernel table
/// restricted to each other ISA the CPU supports (scalar included); every int8 embedding must be
/// the same bytes.
enum CheckCommand {
    struct Item {
        var image: String
        var box: FaceBox
        var expected: [Int8]
    }

    /// `--write-check` writes a check set (and excludes the others); otherwise `--check-set` and
    /// `--pairs` may be given together, and both run: the bit-exact check first.
    static func run(_ arguments: ParsedArguments) throws(EdgeError) {
        let pairs = arguments.string("pairs")
        let checkSet = arguments.string("check-set")
        if let output = arguments.string("write-check") {
            if checkSet != nil || pairs != nil {
                throw .usage("--write-check writes a check set; it does not combine with --check-set or --pairs")
            }
            try write(arguments, to: output)
            return
        }
        guard checkSet != nil || pairs != nil else {
            throw .usage("check needs --check-set FILE (verify), --write-check FILE with --images (write), or --pairs FILE with --images")
        }
        if let checkSet { try verify(arguments, checkSet: checkSet) }
        if let pairs { try PairsCheck.run(arguments, pairsPath: pairs) }
    }

    /// The int8 embedding of `item`'s image and box under `interpreter`.
    static func embed(_ image: String, box: FaceBox, with interpreter: Interpreter) throws(EdgeError) -> [Int8] {
        let source = ImageFileSource(entries: [ImageEntry(path: image)])
        let frame: Frame
        do throws(CaptureError) {
            guard let next = try source.nextFrame() else { throw CaptureError("'\(image)': no image") }
            frame = next
        } catch {
            throw .data(error.description)
        }
        var crop = [UInt8](repeating: 0, count: interpreter.inputCount)
        do {
            try crop.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(CaptureError) in
                try frame.crop(box: box, policy: EdgeSetup.cropPolicy(interpreter), size: interpreter.metadata.inputSize,
                               into: buffer.baseAddress!)
            }
        } catch {
            throw .data("'\(image)': \(error.description)")
        }
        crop.withUnsafeBufferPointer { interpreter.invoke(pixels: $0) }
        return Array(interpreter.int8Embedding)
    }

    static func write(_ arguments: ParsedArguments, to path: String) throws(EdgeError) {
        let entries = try EdgeSetup.imageEntries(arguments)
        guard !entries.isEmpty else { throw .usage("--write-check needs --images") }
        let fallback = try arguments.string("box").map { (text: String) throws(EdgeError) in try BoxSource.parseOption(text) }
        let interpreter = try EdgeSetup.interpreter(arguments)
        var text = ""
        for entry in entries {
            let box: FaceBox
            if let given = entry.box ?? fallback {
                box = given
            } else {
                do {
                    let decoded = try ImageCodecs.read(entry.path)
                    box = FaceBox(x1: 0, y1: 0, x2: Double(decoded.image.width), y2: Double(decoded.image.height))
                } catch {
                    throw .data("'\(entry.path)': \(error.description)")
                }
            }
            let int8 = try embed(entry.path, box: box, with: interpreter)
            text += "{\"image\":\(JSONText.quoted(entry.path)),\"box\":[\(JSONText.number(box.x1)),\(JSONText.number(box.y1)),"
                + "\(JSONText.number(box.x2)),\(JSONText.number(box.y2))],\"int8\":[\(int8.map { String($0) }.joined(separator: ","))]}\n"
        }
        do {
            try FileIO.writeAtomically(text, to: path)
        } catch {
            throw .failure(error.description)
        }
        print("check set: \(entries.count) images → \(path) (ISA \(isaNames(interpreter.isaMask)))")
    }

    /// The items of a check set; relative image paths are taken from the current folder, or from
    /// `root` when given (`--img-root-path`).
    static func read(_ path: String, root: String?) throws(EdgeError) -> [Item] {
        let reader = try LineReader(path: path, capacity: 1 << 20)
        var items: [Item] = []
        try reader.forEachJSONLine { (value: JSONValue, place: String) throws(EdgeError) in
            guard let image = value["image"]?.stringValue else { throw .data("\(place): field 'image' must be a string") }
            guard let b = value["box"]?.arrayValue, b.count == 4, let x1 = b[0].doubleValue, let y1 = b[1].doubleValue,
                  let x2 = b[2].doubleValue, let y2 = b[3].doubleValue else {
                throw .data("\(place): field 'box' must be [x1,y1,x2,y2]")
            }
            guard let values = value["int8"]?.arrayValue else { throw .data("\(place): field 'int8' must be an array") }
            var expected: [Int8] = []
            for v in values {
                guard let n = v.intValue, (-128...127).contains(n) else { throw .data("\(place): 'int8' holds a value outside -128...127") }
                expected.append(Int8(n))
            }
            let resolved = root.map { FileIO.join($0, image) } ?? image
            items.append(Item(image: resolved, box: FaceBox(x1: x1, y1: y1, x2: x2, y2: y2), expected: expected))
        }
        guard !items.isEmpty else { throw .data("\(reader.name): the check set is empty") }
        return items
    }

    static func verify(_ arguments: ParsedArguments, checkSet path: String) throws(EdgeError) {
        let items = try read(path, root: arguments.string("img-root-path"))
        let chosen = try EdgeSetup.interpreter(arguments)
        let modelPath = arguments.string("model")!
        var masks: [UInt32] = [chosen.isaMask]
        let available = ffem_cpu_features()
        var bit: UInt32 = 1
        while bit != 0 {
            if available & bit != 0 { masks.append(bit | UInt32(FFEM_ISA_SCALAR)) }
            bit <<= 1
        }
        var failures = 0
        for (k, mask) in masks.enumerated() {
            let interpreter: Interpreter
            if k == 0 {
                interpreter = chosen
            } else {
                do {
                    interpreter = try Interpreter(contentsOf: modelPath, options: InterpreterOptions(isaMask: mask))
                } catch {
                    throw .data("'\(modelPath)': \(error.description)")
                }
            }
            var mismatches = 0
            for item in items {
                let got = try embed(item.image, box: item.box, with: interpreter)
                if got != item.expected {
                    mismatches += 1
                    if mismatches <= 5 {
                        var first = 0
                        while first < min(got.count, item.expected.count), got[first] == item.expected[first] { first += 1 }
                        Process.printError("check: \(item.image): int8 embedding differs (first at element \(first) of \(item.expected.count))")
                    }
                }
            }
            failures += mismatches
            let label = k == 0 ? "runtime's choice" : "restricted to"
            print("check: \(label) ISA \(isaNames(interpreter.isaMask)): \(items.count - mismatches)/\(items.count) bit-exact"
                + (k == 0 ? " (kernels: \(uniqueKernels(interpreter)))" : ""))
        }
        guard failures == 0 else { throw .failure("check: \(failures) embedding(s) differ from the check set") }
        print("check: OK")
    }

    static func isaNames(_ mask: UInt32) -> String {
        var names: [String] = []
        var bit: UInt32 = 1
        while bit != 0 {
            if mask & bit != 0 { names.append(String(cString: ffem_isa_name(bit))) }
            bit <<= 1
        }
        return names.joined(separator: "+")
    }

    static func uniqueKernels(_ interpreter: Interpreter) -> String {
        var names: [String] = []
        for name in interpreter.kernelNames where !names.contains(name) { names.append(name) }
        return names.joined(separator: ", ")
    }
}
