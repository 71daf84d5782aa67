// ffem-edge — LineReader.swift: lines of a file or of stdin, read through one fixed buffer.
import CLibV4L2
import FFEMCapture

/// Reads `\n`-terminated lines from a file descriptor through a buffer of `capacity` bytes
/// allocated once; a longer line is an error (memory stays bounded whatever the input). A read
/// interrupted by SIGINT/SIGTERM ends the input (`StopRequest`).
final class LineReader {
    let name: String
    private let descriptor: Int32
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(path: String, capacity: Int = 65536) throws(EdgeError) {
        name = path == "-" ? "<stdin>" : path
        descriptor = ffem_fd_open_read(path)
        guard descriptor >= 0 else { throw .data("'\(path)': \(String(cString: ffem_strerror(ffem_errno())))") }
        buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        _ = ffem_fd_close(descriptor)
    }

    /// Calls `body` with the next line's bytes (without the newline); returns false at the end.
    func nextLine(_ body: (UnsafeBufferPointer<UInt8>) throws(EdgeError) -> Void) throws(EdgeError) -> Bool {
        while true {
            var newline = start
            while newline < end, buffer[newline] != UInt8(ascii: "\n") { newline += 1 }
            if newline < end || (atEnd && end > start) {
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: buffer[start..<newline])
                start = min(newline + 1, end)
                try body(line)
                return true
            }
            if atEnd { return false }
            if start > 0 {
                let pending = end - start
                for i in 0..<pending { buffer[i] = buffer[start + i] }
                start = 0
                end = pending
            }
            guard end < buffer.count else {
                throw .data("\(name):\(lineNumber + 1): line longer than \(buffer.count) bytes")
            }
            let got = ffem_fd_read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if got < 0 {
                if ffem_errno() == ffem_errno_eintr() {
                    if StopRequest.isRequested { atEnd = true; end = start }
                    continue
                }
                throw .data("\(name): \(String(cString: ffem_strerror(ffem_errno())))")
            }
            if got == 0 { atEnd = true } else { end += got }
        }
    }
}
