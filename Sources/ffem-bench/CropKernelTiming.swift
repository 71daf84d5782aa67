// ffem-bench — CropKernelTiming.swift: `ffem-bench crops` without --list: the crop kernel of every ISA
// side by side with the scalar oracle, on synthetic camera frames of every pixel format.
import CFFEMKernels
import FFEMCLI
import FFEMCore

/// One synthetic frame in C layout (plane 0, and the chroma plane of NV12), random bytes.
struct SyntheticFrame {
    let format: ffem_pixel_format
    let name: String
    let width: Int
    let height: Int
    let stride: Int
    let plane: [UInt8]
    let chroma: [UInt8]

    init(format: ffem_pixel_format, name: String, width: Int, height: Int, random: inout SeededRandom) {
        self.format = format
        self.name = name
        self.width = width
        self.height = height
        let evenWidth = (width + 1) & ~1
        switch format {
        case FFEM_PIXEL_RGB24, FFEM_PIXEL_BGR24: stride = 3 * width
        case FFEM_PIXEL_YUYV, FFEM_PIXEL_UYVY: stride = 2 * evenWidth
        default: stride = width
        }
        plane = (0..<stride * height).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        chroma = format == FFEM_PIXEL_NV12 ? (0..<evenWidth * ((height + 1) / 2)).map { _ in UInt8(truncatingIfNeeded: random.next()) } : []
    }

    /// Calls `body` with the frame's C view (limited-range YUV, as V4L2 delivers by default).
    func withView<R>(_ body: (UnsafePointer<ffem_image_view>) -> R) -> R {
        plane.withUnsafeBufferPointer { planeBuffer in
            chroma.withUnsafeBufferPointer { chromaBuffer in
                var view = ffem_image_view(
                    data: planeBuffer.baseAddress!, chroma: format == FFEM_PIXEL_NV12 ? chromaBuffer.baseAddress : nil,
                    width: UInt32(width), height: UInt32(height), stride: stride, chroma_stride: (width + 1) & ~1,
                    format: format, yuv_range: FFEM_YUV_LIMITED)
                return body(&view)
            }
        }
    }
}

/// Times `ffem_crop_rgb_with_table` per ISA and format; prints a markdown table with crops/s and the
/// ratio to scalar, after checking that every ISA's crop equals the scalar crop byte for byte.
func runCropKernelTiming(_ arguments: ParsedArguments) throws(CommandError) {
    let side = try arguments.int("side", in: 1...Int(FFEM_CROP_MAX_SIDE)) ?? 112
    let minimumNanoseconds = UInt64(try arguments.int("min-time-ms", in: 1...100_000) ?? 200) * 1_000_000
    let frameText = arguments.string("frame") ?? "640x480"
    let frameParts = frameText.split(separator: "x").compactMap { Int($0) }
    guard frameParts.count == 2, frameParts[0] > 0, frameParts[1] > 0, frameParts[0] <= 8192, frameParts[1] <= 8192 else {
        throw .usage("--frame must be WIDTHxHEIGHT, e.g. 640x480")
    }
    let (width, height) = (frameParts[0], frameParts[1])
    let boxText = arguments.string("box") ?? "\(width / 2 - 120),\(height / 2 - 120),\(width / 2 + 120),\(height / 2 + 120)"
    let boxParts = boxText.split(separator: ",").compactMap { Double($0) }
    var box = ffem_box_q16()
    guard boxParts.count == 4, ffem_box_q16_from_pixels(boxParts[0], boxParts[1], boxParts[2], boxParts[3], &box) == 0,
          box.x2 > box.x1, box.y2 > box.y1 else { throw .usage("--box must be x1,y1,x2,y2 with x2 > x1 and y2 > y1") }

    var flags: UInt32 = 0
    let mask = ffem_isa_mask_parse(arguments.string("isa"), ffem_cpu_features(), &flags)
    if flags & UInt32(FFEM_ISA_PARSE_UNKNOWN_NAME) != 0 { throw .usage("--isa: unknown ISA name in '\(arguments.string("isa") ?? "")'") }
    if flags & UInt32(FFEM_ISA_PARSE_UNAVAILABLE) != 0 { Process.printError("warning: --isa names an ISA this CPU lacks; skipped") }
    let scalar = UInt32(FFEM_ISA_SCALAR)
    var isas: [UInt32] = []
    for bit in (0..<32).map({ UInt32(1) << UInt32($0) }) where bit != scalar && mask & bit != 0 {
        var table = ffem_image_kernel_table()
        ffem_image_kernel_table_fill(&table, bit | scalar)
        if table.crop_rgb.isa == bit { isas.append(bit) }
    }
    let names = isas.map { String(cString: ffem_isa_name($0)) }
    func table(_ bit: UInt32) -> ffem_image_kernel_table {
        var table = ffem_image_kernel_table()
        ffem_image_kernel_table_fill(&table, bit | scalar)
        return table
    }

    print("crop \(side)×\(side) RGB of box \(boxText) in a \(width)×\(height) frame (limited-range YUV), single thread, best batch over ≥ \(minimumNanoseconds / 1_000_000) ms per cell")
    print("")
    print("| format | scalar µs | scalar crops/s |" + names.map { " \($0) µs | \($0) crops/s | \($0) ÷ scalar |" }.joined())
    print("|---|--:|--:|" + String(repeating: "--:|--:|--:|", count: names.count))
    var random = SeededRandom(seed: 112)
    let formats: [(ffem_pixel_format, String)] = [(FFEM_PIXEL_RGB24, "rgb24"), (FFEM_PIXEL_BGR24, "bgr24"), (FFEM_PIXEL_GREY, "grey"),
                                                  (FFEM_PIXEL_YUYV, "yuyv"), (FFEM_PIXEL_UYVY, "uyvy"), (FFEM_PIXEL_NV12, "nv12")]
    var output = [UInt8](repeating: 0, count: side * side * 3)
    for (format, name) in formats {
        let frame = SyntheticFrame(format: format, name: name, width: width, height: height, random: &random)
        func crop(_ kernels: ffem_image_kernel_table) -> [UInt8] {
            var kernels = kernels
            _ = frame.withView { view in output.withUnsafeMutableBufferPointer { ffem_crop_rgb_with_table(&kernels, view, box, UInt32(side), 0, $0.baseAddress!) } }
            return output
        }
        func time(_ kernels: ffem_image_kernel_table) -> Double {
            var kernels = kernels
            return frame.withView { view in
                output.withUnsafeMutableBufferPointer { buffer in
                    Timer.bestNanoseconds(minimumNanoseconds: minimumNanoseconds) {
                        _ = ffem_crop_rgb_with_table(&kernels, view, box, UInt32(side), 0, buffer.baseAddress!)
                    }
                }
            }
        }
        let oracle = table(scalar)
        let expected = crop(oracle)
        let scalarNs = time(oracle)
        var line = "| \(name) | \(fixed(scalarNs / 1000, 1)) | \(fixed(1e9 / scalarNs, 0)) |"
        for bit in isas {
            let kernels = table(bit)
            guard crop(kernels) == expected else { throw .failure("\(String(cString: kernels.crop_rgb.name)) differs from scalar on \(name)") }
            let ns = time(kernels)
            line += " \(fixed(ns / 1000, 1)) | \(fixed(1e9 / ns, 0)) | \(fixed(scalarNs / ns, 2))× |"
        }
        print(line)
    }

    // The network input of one crop: side·side·3 bytes → float32.
    let count = side * side * 3
    let pixels = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    var floats = [Float](repeating: 0, count: count)
    func timeInput(_ kernels: ffem_image_kernel_table) -> Double {
        let kernel = kernels.u8_to_f32_centered.ukernel!
        return pixels.withUnsafeBufferPointer { input in
            floats.withUnsafeMutableBufferPointer { out in
                Timer.bestNanoseconds(minimumNanoseconds: minimumNanoseconds) { kernel(input.baseAddress!, count, out.baseAddress!) }
            }
        }
    }
    let scalarInputNs = timeInput(table(scalar))
    var line = "| u8→f32 (p−128)/128, \(count) values | \(fixed(scalarInputNs / 1000, 2)) | \(fixed(1e9 / scalarInputNs, 0)) |"
    for bit in isas {
        let ns = timeInput(table(bit))
        line += " \(fixed(ns / 1000, 2)) | \(fixed(1e9 / ns, 0)) | \(fixed(scalarInputNs / ns, 2))× |"
    }
    print(line)
}
