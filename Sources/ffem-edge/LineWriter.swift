// ffem-edge — LineWriter.swift: JSON lines composed in one preallocated buffer and written with write(2).
import CLibV4L2

/// Builds one output line at a time in a buffer of fixed capacity (allocated once) and writes it
/// whole to a file descriptor, so emitting an embedding allocates nothing. Numbers are formatted
/// by integer arithmetic: the same bytes on every platform.
final class LineWriter {
    let name: String
    private let descriptor: Int32
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count = 0

    /// `path` "-" is stdout; any other path is created, and truncated unless `appending`.
    init(path: String, capacity: Int, appending: Bool = false) throws(EdgeError) {
        name = path == "-" ? "<stdout>" : path
        descriptor = appending ? ffem_fd_open_append(path) : ffem_fd_open_write(path)
        guard descriptor >= 0 else { throw .data("'\(path)': \(String(cString: ffem_strerror(ffem_errno())))") }
        buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        _ = ffem_fd_close(descriptor)
    }

    func byte(_ value: UInt8) {
        precondition(count < buffer.count, "output line longer than its buffer")
        buffer[count] = value
        count += 1
    }

    func text(_ literal: StaticString) {
        literal.withUTF8Buffer { for b in $0 { byte(b) } }
    }

    /// Bytes of a String (callers quote and escape: `JSONText.quoted` at load time).
    func bytes(_ string: String) {
        for b in string.utf8 { byte(b) }
    }

    func integer(_ value: Int) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            while n > 0 {
                n -= 1
                byte(d[n])
            }
        }
    }

    /// `value` rounded half away from zero to `decimals` places, written as -?D+.DDD (an integral
    /// value with `decimals` 0 has no point).
    func fixed(_ value: Double, decimals: Int) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { integer(value < 0 ? Int.min : Int.max); return }
        let units = Int(scaled)
        let denominator = Int(scale)
        if value < 0 && units != 0 { byte(UInt8(ascii: "-")) }
        integer(units / denominator)
        guard decimals > 0 else { return }
        byte(UInt8(ascii: "."))
        var fraction = units % denominator
        var place = denominator / 10
        while place > 0 {
            byte(UInt8(ascii: "0") + UInt8(fraction / place))
            fraction %= place
            place /= 10
        }
    }

    /// A box coordinate: integral values as integers, others with 3 decimals.
    func coordinate(_ value: Double) {
        if value == value.rounded(), abs(value) < 1.0e15 { integer(Int(value)) } else { fixed(value, decimals: 3) }
    }

    /// Ends the line with "\n" and writes it.
    func endLine() throws(EdgeError) {
        byte(UInt8(ascii: "\n"))
        let status = ffem_fd_write_all(descriptor, buffer.baseAddress, count)
        count = 0
        guard status == 0 else { throw .failure("\(name): \(String(cString: ffem_strerror(ffem_errno())))") }
    }
}
