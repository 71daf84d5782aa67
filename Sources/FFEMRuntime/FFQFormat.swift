// FFEMRuntime — FFQFormat.swift: the `.ffq` binary layout, version 1 (docs/FFQ-FORMAT.md).
//
// Little-endian throughout, fixed-size records, no text: usable in place after one read or mmap.
//
//   offset  bytes  header field (128 bytes)
//        0      8  magic 89 46 46 51 0D 0A 1A 0A ("\x89FFQ\r\n\x1A\n": catches text-mode transfers)
//        8      2  format version (u16, 1)
//       10      2  header bytes (u16, 128)
//       12      4  file bytes (u32): the whole model, header included
//       16      4  CRC-32 (IEEE, as zip/PNG) of bytes 20 ..< file bytes — everything after this field
//       20      4  rounding mode (u32): 1 = gemmlowp double rounding (DESIGN.md §7)
//       24     12  input height, width, channels (u32 ×3): N, N, 3
//       36      4  crop scale about the box centre, Q16 (i32 > 0; 65536 = 1.0)
//       40      4  crop flags (u32): bit 0 = make square; other bits 0
//       44      4  input scale (f32, exactly 1/128) — normalisation (p − 128)/128 (DESIGN.md §4)
//       48      4  input zero point (i32, 0)
//       52      4  embedding size E (u32)
//       56      4  output scale (f32) of the int8 embedding
//       60      4  output zero point (i32)
//       64      8  thresholds: count (u32, ≤ 64), offset (u32)
//       72      8  tensors: count (u32), offset (u32)
//       80      8  ops: count (u32), offset (u32)
//       88      8  buffers: count (u32), offset (u32)
//       96     32  reserved, zero
//
//   sections (offsets multiples of 8, inside the file):
//     threshold record (8 bytes):  f32 false accept rate, f32 cosine
//     tensor record (24 bytes):    u32 height, width, channels; f32 scale; i32 zero point; u32 reserved 0
//     op record (80 bytes):        u32 op code; u32 input a; u32 input b (0xFFFFFFFF = none); u32 reserved 0;
//                                  i32 arguments[12] (unused 0); u32 buffers[4] (unused 0xFFFFFFFF)
//     buffer record (16 bytes):    u32 element bytes (1 = int8, 4 = int32); u32 count; u32 offset; u32 reserved 0
//   payloads: each buffer's elements at an offset that is a multiple of 64.
//
// Op records (code: arguments | buffers), zero points coming from the tensors:
//   1 convolution3x3, 2 depthwiseConvolution3x3, 3 pointwiseConvolution, 4 fullyConnected,
//   5 globalDepthwiseConvolution:  stride, padding, outputMin, outputMax | weights i8, bias i32, multipliers i32, shifts i32
//   6 prelu:                alphaZeroPoint, positiveMultiplier, positiveShift, outputMin, outputMax
//                           | alpha i8, negativeMultipliers i32, negativeShifts i32
//   7 add:                  aMultiplier, aShift, bMultiplier, bShift, leftShift, outputMultiplier, outputShift,
//                           outputMin, outputMax | —
//   8 globalAveragePooling: multiplier, shift, outputMin, outputMax | —
//   9 clamp:                outputMin, outputMax | —

/// Constants of the `.ffq` layout.
public enum FFQFormat {
    /// The version this runtime reads and writes. Readers refuse any other version by number.
    public static let version = 1
    public static let magic: [UInt8] = [0x89, 0x46, 0x46, 0x51, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let headerBytes = 128
    /// Bytes 0..<checksummedFrom are magic, version, header size, file size and the CRC itself.
    public static let checksummedFrom = 20
    /// Alignment of every tensor payload.
    public static let payloadAlignment = 64
    /// Alignment of every section (threshold, tensor, op and buffer tables).
    public static let sectionAlignment = 8
    public static let thresholdRecordBytes = 8
    public static let tensorRecordBytes = 24
    public static let operationRecordBytes = 80
    public static let bufferRecordBytes = 16
    public static let operationArguments = 12
    public static let operationBuffers = 4
    /// "No tensor" / "no buffer" in an op record.
    public static let none: UInt32 = 0xFFFF_FFFF
    /// Header field offsets.
    enum Field {
        static let version = 8, headerBytes = 10, fileBytes = 12, checksum = 16, roundingMode = 20
        static let inputHeight = 24, inputWidth = 28, inputChannels = 32, cropScale = 36, cropFlags = 40
        static let inputScale = 44, inputZeroPoint = 48, embeddingSize = 52, outputScale = 56, outputZeroPoint = 60
        static let thresholds = 64, tensors = 72, operations = 80, buffers = 88, reserved = 96
    }
}

/// Op codes of op records.
enum OperationCode: UInt32 {
    case convolution3x3 = 1
    case depthwiseConvolution3x3 = 2
    case pointwiseConvolution = 3
    case fullyConnected = 4
    case globalDepthwiseConvolution = 5
    case prelu = 6
    case add = 7
    case globalAveragePooling = 8
    case clamp = 9
}

/// Element types of buffer records (the value is the element size in bytes).
enum BufferElement: UInt32 {
    case int8 = 1
    case int32 = 4
}
