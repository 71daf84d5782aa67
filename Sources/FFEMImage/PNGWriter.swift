import FFEMCore

// FFEMImage — PNGWriter.swift: PNG files from RGB24/grey images, with stored (uncompressed) deflate
// blocks. No zlib needed; the files are larger than compressed ones but every viewer reads them.

public enum PNGWriter {
    public static func encode(_ image: Image) -> [UInt8] {
        let source = (image.format == .grey || image.format == .rgb24) ? image : image.convertedToRGB()
        let channels = source.format == .grey ? 1 : 3
        let rowBytes = source.width * channels
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * source.height)
        for y in 0..<source.height {
            raw.append(0)  // filter: none
            raw += source.pixels[(y * rowBytes)..<((y + 1) * rowBytes)]
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        appendBigEndian(UInt32(source.width), to: &header)
        appendBigEndian(UInt32(source.height), to: &header)
        header += [8, channels == 1 ? 0 : 2, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65535, data.count - offset)
            let isLast = offset + count == data.count
            out.append(isLast ? 1 : 0)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<(offset + count)]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        appendBigEndian((b << 16) | a, to: &out)
        return out
    }

    static func appendChunk(_ type: StaticString, _ body: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(body.count), to: &png)
        var typed: [UInt8] = []
        for k in 0..<type.utf8CodeUnitCount { typed.append(type.utf8Start[k]) }
        typed += body
        png += typed
        appendBigEndian(CRC32.checksum(typed), to: &png)
    }

    static func appendBigEndian(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
