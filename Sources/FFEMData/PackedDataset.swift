// FFEMData — PackedDataset.swift: one sequential file holding a whole dataset (`ffem-data pack`).
//
// Reading thousands of small files at random is what starves face trainers; a packed file is read
// with one open file and positioned reads. Layout (little-endian):
//
//   header (64 bytes): "FFEMPACK" | version u32 = 1 | reserved u32 | record count u64 |
//                      identity count u64 | index offset u64 | index length u64 | index CRC-32 u32 | zero padding
//   images:            the encoded image files (JPEG/PNM bytes, unchanged), back to back from offset 64
//   index:             per record: offset u64 | length u32 | image CRC-32 u32 | label i32 |
//                      x1 y1 x2 y2 f64 | path length u16 | path (UTF-8)
import FFEMCore
import Foundation

public enum PackedDataset {
    static let magic: [UInt8] = Array("FFEMPACK".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64

    /// Writes `store` as a packed file, atomically (temporary file, fsync, rename). `progress` is told each record.
    public static func write(_ store: any SampleStore, to path: String, progress: (Int) -> Void = { _ in }) throws(DatasetErrors) {
        let temporary = path + ".tmp-\(getpid())"
        func fail(_ reason: String) -> DatasetErrors {
            DatasetErrors(problems: [DatasetProblem(file: path, reason: reason)], totalCount: 1)
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("cannot create '\(temporary)': \(String(cString: strerror(errno)))") }
        var isComplete = false
        defer {
            close(fd)
            if !isComplete { unlink(temporary) }
        }
        func writeAll(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    offset += n
                }
                return true
            }
        }
        guard writeAll([UInt8](repeating: 0, count: headerSize)) else { throw fail("write failed: \(String(cString: strerror(errno)))") }
        var index = ByteWriter()
        var offset = UInt64(headerSize)
        for (k, entry) in store.entries.enumerated() {
            let image: [UInt8]
            do {
                image = try store.imageBytes(at: k)
            } catch {
                throw DatasetErrors(problems: [error], totalCount: 1)
            }
            guard writeAll(image) else { throw fail("write failed: \(String(cString: strerror(errno)))") }
            let pathBytes = Array(entry.path.utf8)
            guard pathBytes.count <= Int(UInt16.max), image.count <= Int(UInt32.max) else { throw fail("record \(entry.path) is too large") }
            index.append(offset)
            index.append(UInt32(image.count))
            index.append(CRC32.checksum(image))
            index.append(UInt32(bitPattern: Int32(entry.label)))
            for v in [entry.box.x1, entry.box.y1, entry.box.x2, entry.box.y2] { index.append(v.bitPattern) }
            index.append(UInt16(pathBytes.count))
            index.bytes += pathBytes
            offset += UInt64(image.count)
            progress(k + 1)
        }
        guard writeAll(index.bytes) else { throw fail("write failed: \(String(cString: strerror(errno)))") }
        var header = ByteWriter()
        header.bytes += magic
        header.append(version)
        header.append(UInt32(0))
        header.append(UInt64(store.entries.count))
        header.append(UInt64(store.identityCount))
        header.append(offset)
        header.append(UInt64(index.bytes.count))
        header.append(CRC32.checksum(index.bytes))
        header.bytes += [UInt8](repeating: 0, count: headerSize - header.bytes.count)
        guard lseek(fd, 0, SEEK_SET) == 0, writeAll(header.bytes), fsync(fd) == 0 else {
            throw fail("write failed: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else { throw fail("cannot rename '\(temporary)': \(String(cString: strerror(errno)))") }
        isComplete = true
    }
}

/// A packed file opened for reading: entries from its index, image bytes by positioned reads
/// (thread-safe: `pread` has no shared file position). Every image's CRC-32 is checked on read.
public final class PackedStore: SampleStore, @unchecked Sendable {
    public let entries: [DatasetEntry]
    public let identityCount: Int
    public let name: String
    let fd: Int32
    let offsets: [UInt64]
    let lengths: [UInt32]
    let checksums: [UInt32]

    public init(path: String) throws(DatasetErrors) {
        func fail(_ reason: String) -> DatasetErrors {
            DatasetErrors(problems: [DatasetProblem(file: path, reason: reason)], totalCount: 1)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw fail("cannot stat: \(String(cString: strerror(errno)))") }
        let fileSize = UInt64(st.st_size)
        func readAt(_ offset: UInt64, _ count: Int) -> [UInt8]? {
            var out = [UInt8](repeating: 0, count: count)
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return n == count ? out : nil
        }
        guard fileSize >= UInt64(PackedDataset.headerSize), let headerBytes = readAt(0, PackedDataset.headerSize) else {
            close(fd); throw fail("not a packed dataset: shorter than its 64-byte header")
        }
        var header = ByteReader(headerBytes)
        guard Array(headerBytes[0..<8]) == PackedDataset.magic else { close(fd); throw fail("not a packed dataset (bad magic)") }
        header.offset = 8
        let version = header.u32()
        guard version == PackedDataset.version else {
            close(fd); throw fail("packed dataset version \(version) is not supported (this build reads version \(PackedDataset.version))")
        }
        _ = header.u32()
        let count = header.u64(), identities = header.u64(), indexOffset = header.u64(), indexLength = header.u64()
        let indexChecksum = header.u32()
        guard indexOffset >= UInt64(PackedDataset.headerSize), indexLength <= fileSize, indexOffset <= fileSize - indexLength,
              count <= indexLength / 54, identities > 0, identities < 1 << 31,
              let indexBytes = readAt(indexOffset, Int(indexLength)) else {
            close(fd); throw fail("damaged packed dataset: header fields out of range (truncated file?)")
        }
        guard CRC32.checksum(indexBytes) == indexChecksum else { close(fd); throw fail("damaged packed dataset: index checksum mismatch") }
        var reader = ByteReader(indexBytes)
        var entries: [DatasetEntry] = [], offsets: [UInt64] = [], lengths: [UInt32] = [], checksums: [UInt32] = []
        for k in 0..<Int(count) {
            guard reader.remaining >= 54 else { close(fd); throw fail("damaged packed dataset: index record \(k) truncated") }
            let offset = reader.u64(), length = reader.u32(), checksum = reader.u32()
            let label = Int(Int32(bitPattern: reader.u32()))
            let box = (Double(bitPattern: reader.u64()), Double(bitPattern: reader.u64()), Double(bitPattern: reader.u64()), Double(bitPattern: reader.u64()))
            let pathLength = Int(reader.u16())
            guard reader.remaining >= pathLength, offset + UInt64(length) <= indexOffset, label >= 0, label < Int(identities) else {
                close(fd); throw fail("damaged packed dataset: index record \(k) out of range")
            }
            let path = String(decoding: reader.bytes(pathLength), as: UTF8.self)
            entries.append(DatasetEntry(path: path, label: label, box: .init(x1: box.0, y1: box.1, x2: box.2, y2: box.3)))
            offsets.append(offset)
            lengths.append(length)
            checksums.append(checksum)
        }
        self.fd = fd
        self.entries = entries
        self.identityCount = Int(identities)
        self.name = path
        self.offsets = offsets
        self.lengths = lengths
        self.checksums = checksums
    }

    deinit { close(fd) }

    public func imageBytes(at index: Int) throws(DatasetProblem) -> [UInt8] {
        let count = Int(lengths[index])
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offsets[index])) }
        guard n == count else {
            throw DatasetProblem(file: name, key: entries[index].path, reason: "cannot read the packed image (truncated file?)")
        }
        guard CRC32.checksum(out) == checksums[index] else {
            throw DatasetProblem(file: name, key: entries[index].path, reason: "packed image checksum mismatch (damaged file)")
        }
        return out
    }
}

/// Little-endian byte building.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

/// Little-endian byte reading; the caller checks `remaining` first.
struct ByteReader {
    let data: [UInt8]
    var offset = 0
    init(_ data: [UInt8]) { self.data = data }
    var remaining: Int { data.count - offset }
    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for k in 0..<MemoryLayout<T>.size { raw[k] = data[offset + k] }
        }
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }
    mutating func u16() -> UInt16 { read(UInt16.self) }
    mutating func u32() -> UInt32 { read(UInt32.self) }
    mutating func u64() -> UInt64 { read(UInt64.self) }
    mutating func bytes(_ count: Int) -> ArraySlice<UInt8> {
        defer { offset += count }
        return data[offset..<(offset + count)]
    }
}
