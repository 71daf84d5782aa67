// CFFEMKernelsTests — CropSIMDTests.swift: every crop and network-input kernel of every ISA this host
// has against the scalar kernel (the oracle), bit for bit (DESIGN.md §4, §7).
import CFFEMKernels
import FFEMCore
import Testing

/// One crop to run: a source image in C layout (planes with padded strides), a Q16 box, side, mirror.
struct CropCase: CustomStringConvertible {
    var format: ffem_pixel_format
    var width: Int
    var height: Int
    var stride: Int
    var chromaStride: Int
    var plane: [UInt8]
    var chroma: [UInt8]
    var range: ffem_yuv_range
    var box: ffem_box_q16
    var side: Int
    var mirror: Bool

    static let formatNames = ["rgb24", "bgr24", "grey", "yuyv", "uyvy", "nv12"]

    var description: String {
        let yuv = format.rawValue >= FFEM_PIXEL_YUYV.rawValue ? (range == FFEM_YUV_FULL ? " full" : " limited") : ""
        return "\(CropCase.formatNames[Int(format.rawValue)])\(yuv) \(width)×\(height) stride \(stride) side \(side) "
            + "mirror \(mirror) box q16 (\(box.x1), \(box.y1))–(\(box.x2), \(box.y2))"
    }

    /// The crop's bytes and status with the crop kernel of `table`.
    func run(_ table: ffem_image_kernel_table) -> (status: Int32, bytes: [UInt8]) {
        var output = [UInt8](repeating: 0xA5, count: max(1, side * side * 3))
        var table = table
        let status = plane.withUnsafeBufferPointer { planeBuffer in
            chroma.withUnsafeBufferPointer { chromaBuffer in
                var view = ffem_image_view(
                    data: planeBuffer.baseAddress!, chroma: format == FFEM_PIXEL_NV12 ? chromaBuffer.baseAddress : nil,
                    width: UInt32(width), height: UInt32(height), stride: stride, chroma_stride: chromaStride,
                    format: format, yuv_range: range)
                return output.withUnsafeMutableBufferPointer {
                    ffem_crop_rgb_with_table(&table, &view, box, UInt32(side), mirror ? 1 : 0, $0.baseAddress!)
                }
            }
        }
        return (status, output)
    }

    /// A random image of `format` (one case in four mostly 0/255 bytes, so the YUV clamps and the
    /// blend's extremes are exercised), padded strides, and a box of kind `boxKind`:
    /// 0 inside, 1 partly outside, 2 wholly outside, 3 sub-pixel, 4 the whole image.
    static func random(format: ffem_pixel_format, side: Int, boxKind: Int, using random: inout SeededRandom) -> CropCase {
        let tiny = random.nextInt(below: 8) == 0
        let width = tiny ? random.int(in: 1...3) : random.int(in: 1...97)
        let height = tiny ? random.int(in: 1...3) : random.int(in: 1...83)
        let evenWidth = (width + 1) & ~1
        let rowBytes: Int
        switch format {
        case FFEM_PIXEL_RGB24, FFEM_PIXEL_BGR24: rowBytes = 3 * width
        case FFEM_PIXEL_YUYV, FFEM_PIXEL_UYVY: rowBytes = 2 * evenWidth
        default: rowBytes = width
        }
        let stride = rowBytes + (random.nextInt(below: 2) == 0 ? 0 : random.int(in: 1...13))
        let chromaStride = evenWidth + (random.nextInt(below: 2) == 0 ? 0 : 2 * random.int(in: 1...5))
        let extremes = random.nextInt(below: 4) == 0
        func bytes(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                let x = random.next()
                return extremes && x & 3 == 0 ? (x >> 8 & 1 == 0 ? 0 : 255) : UInt8(truncatingIfNeeded: x >> 16)
            }
        }
        let plane = bytes(stride * (height - 1) + rowBytes)
        let chroma = format == FFEM_PIXEL_NV12 ? bytes(chromaStride * ((height + 1) / 2 - 1) + evenWidth) : []
        let range = random.nextInt(below: 2) == 0 ? FFEM_YUV_FULL : FFEM_YUV_LIMITED
        let box = randomBox(width: width, height: height, kind: boxKind, using: &random)
        return CropCase(format: format, width: width, height: height, stride: stride, chromaStride: chromaStride,
                        plane: plane, chroma: chroma, range: range, box: box, side: side,
                        mirror: random.nextInt(below: 2) == 0)
    }

    static func randomBox(width: Int, height: Int, kind: Int, using random: inout SeededRandom) -> ffem_box_q16 {
        func q16(_ lower: Int, _ upper: Int) -> Int64 { Int64(random.int(in: lower...upper)) * 65536 + Int64(random.nextInt(below: 65536)) }
        let w = width, h = height
        var box = ffem_box_q16()
        switch kind {
        case 0:
            box.x1 = q16(0, w - 1); box.y1 = q16(0, h - 1)
            box.x2 = box.x1 + q16(0, w); box.y2 = box.y1 + q16(0, h)
        case 1:
            box.x1 = q16(-w, w); box.y1 = q16(-h, h)
            box.x2 = box.x1 + q16(1, 2 * w); box.y2 = box.y1 + q16(1, 2 * h)
        case 2:
            box.x1 = random.nextInt(below: 2) == 0 ? q16(-3 * w - 9, -w - 2) : q16(w + 1, 3 * w + 9)
            box.y1 = random.nextInt(below: 2) == 0 ? q16(-3 * h - 9, -h - 2) : q16(h + 1, 3 * h + 9)
            box.x2 = box.x1 + q16(0, w); box.y2 = box.y1 + q16(0, h)
        case 3:
            box.x1 = q16(-1, w); box.y1 = q16(-1, h)
            box.x2 = box.x1 + Int64(random.int(in: 1...65536)); box.y2 = box.y1 + Int64(random.int(in: 1...65536))
        default:
            box.x1 = 0; box.y1 = 0; box.x2 = Int64(w) * 65536; box.y2 = Int64(h) * 65536
        }
        if box.x2 <= box.x1 { box.x2 = box.x1 + 1 }
        if box.y2 <= box.y1 { box.y2 = box.y1 + 1 }
        return box
    }
}

/// The image kernel table of exactly one ISA (plus scalar fallbacks).
func imageKernelTable(_ bit: UInt32) -> ffem_image_kernel_table {
    var table = ffem_image_kernel_table()
    ffem_image_kernel_table_fill(&table, bit | UInt32(FFEM_ISA_SCALAR))
    return table
}

@Suite struct CropSIMDTests {
    static let formats = [FFEM_PIXEL_RGB24, FFEM_PIXEL_BGR24, FFEM_PIXEL_GREY, FFEM_PIXEL_YUYV, FFEM_PIXEL_UYVY, FFEM_PIXEL_NV12]
    /// Around every vector width (8, 16 and 32 columns) and the default 112, plus small odd sides.
    static let sides = [1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 111, 112, 113, 127, 129]

    @Test(arguments: HostISA.simd)
    func cropIsBitExactWithScalarForEveryFormatSideAndBox(isa: HostISA) {
        let kernel = imageKernelTable(isa.bit), oracle = imageKernelTable(UInt32(FFEM_ISA_SCALAR))
        #expect(kernel.crop_rgb.isa == isa.bit, "no \(isa) crop kernel in the table")
        var random = SeededRandom(seed: 0xC409, stream: UInt64(isa.bit))
        var cases = 0
        for format in CropSIMDTests.formats {
            for side in CropSIMDTests.sides {
                for repeat_ in 0..<6 {
                    let crop = CropCase.random(format: format, side: side, boxKind: (side + repeat_) % 5, using: &random)
                    let expected = crop.run(oracle), actual = crop.run(kernel)
                    cases += 1
                    guard expected.status == 0, actual.status == expected.status, actual.bytes == expected.bytes else {
                        let at = expected.bytes.indices.first { expected.bytes[$0] != actual.bytes[$0] } ?? -1
                        Issue.record("\(String(cString: kernel.crop_rgb.name)) \(crop): status \(expected.status)/\(actual.status), first differing byte \(at)")
                        return
                    }
                }
            }
        }
        #expect(cases == CropSIMDTests.formats.count * CropSIMDTests.sides.count * 6)
    }

    @Test(arguments: HostISA.simd)
    func cropIsBitExactAtTheLargestSideAndOnFrameSizedImages(isa: HostISA) {
        let kernel = imageKernelTable(isa.bit), oracle = imageKernelTable(UInt32(FFEM_ISA_SCALAR))
        var random = SeededRandom(seed: 0x1024, stream: UInt64(isa.bit))
        for format in CropSIMDTests.formats {
            let crop = CropCase.random(format: format, side: Int(FFEM_CROP_MAX_SIDE), boxKind: 1, using: &random)
            #expect(crop.run(kernel).bytes == crop.run(oracle).bytes, "\(crop)")
            // A 640×480 camera frame and a face-sized box (the edge's case), both mirror settings.
            for mirror in [false, true] {
                var frame = CropCase.random(format: format, side: 112, boxKind: 0, using: &random)
                frame.width = 640; frame.height = 480; frame.mirror = mirror
                frame.stride = format == FFEM_PIXEL_RGB24 || format == FFEM_PIXEL_BGR24 ? 1920 : (format == FFEM_PIXEL_YUYV || format == FFEM_PIXEL_UYVY ? 1280 : 640)
                frame.chromaStride = 640
                frame.plane = (0..<frame.stride * 480).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                frame.chroma = format == FFEM_PIXEL_NV12 ? (0..<640 * 240).map { _ in UInt8(truncatingIfNeeded: random.next()) } : []
                frame.box = ffem_box_q16(x1: 201 * 65536 + 12345, y1: 97 * 65536 + 999, x2: 433 * 65536 + 7, y2: 329 * 65536 + 40000)
                #expect(frame.run(kernel).bytes == frame.run(oracle).bytes, "\(frame)")
            }
        }
    }

    @Test(arguments: HostISA.simd)
    func networkInputIsBitExactWithScalar(isa: HostISA) {
        let kernel = imageKernelTable(isa.bit), oracle = imageKernelTable(UInt32(FFEM_ISA_SCALAR))
        #expect(kernel.u8_to_f32_centered.isa == isa.bit)
        var random = SeededRandom(seed: 128, stream: UInt64(isa.bit))
        for count in Array(0...70) + [127, 255, 256, 1000, 112 * 112 * 3] {
            let pixels = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var expected = [Float](repeating: .nan, count: count), actual = [Float](repeating: .nan, count: count)
            kernel.u8_to_f32_centered.ukernel!(pixels, count, &actual)
            oracle.u8_to_f32_centered.ukernel!(pixels, count, &expected)
            #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern), "count \(count)")
        }
    }

    @Test func tablesNeverHoldAKernelOutsideTheMaskOrTheCPU() {
        let features = ffem_cpu_features()
        for mask in [UInt32(FFEM_ISA_SCALAR), features, ~0] + HostISA.all.map(\.bit) {
            var table = ffem_image_kernel_table()
            ffem_image_kernel_table_fill(&table, mask)
            for isa in [table.crop_rgb.isa, table.u8_to_f32_centered.isa] {
                #expect(isa & ~(features & (mask | UInt32(FFEM_ISA_SCALAR))) == 0, "mask \(mask): \(isa)")
            }
        }
        // The entry points use the FFEM_ISA table: the best ISA of the host unless the environment says otherwise.
        var expected = ffem_image_kernel_table()
        ffem_image_kernel_table_fill(&expected, ffem_isa_mask_from_environment(nil))
        #expect(ffem_image_kernels_default().pointee.crop_rgb.isa == expected.crop_rgb.isa)
    }

    @Test func entryPointRejectsBadArgumentsBeforeAnyKernelRuns() {
        var random = SeededRandom(seed: 3)
        var crop = CropCase.random(format: FFEM_PIXEL_RGB24, side: 8, boxKind: 0, using: &random)
        let table = imageKernelTable(ffem_cpu_features())
        crop.side = 0
        #expect(crop.run(table).status == Int32(FFEM_CROP_BAD_SIZE))
        crop.side = 8
        crop.box.x2 = crop.box.x1
        #expect(crop.run(table).status == Int32(FFEM_CROP_EMPTY_BOX))
        crop.box.x2 = crop.box.x1 + 65536
        crop.stride = 3 * crop.width - 1
        #expect(crop.run(table).status == Int32(FFEM_CROP_BAD_IMAGE))
    }
}
