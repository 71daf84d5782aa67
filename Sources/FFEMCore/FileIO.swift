// FFEMCore — FileIO.swift: whole-file reads and atomic writes over libc (usable from Embedded Swift).
import CFFEMIO

/// A file operation that failed; `description` names the path and the system's reason.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum FileIO {
    /// The whole file.
    public static func read(_ path: String) throws(FileError) -> [UInt8] {
        var data: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: Int(FFEM_IO_ERROR_SIZE))
        let status = message.withUnsafeMutableBufferPointer { ffem_read_file(path, &data, &size, $0.baseAddress) }
        if status != 0 { throw FileError(cString(message)) }
        defer { ffem_free(data) }
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Writes `bytes` atomically (temporary file, fsync, rename): readers see the old file or the new one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
        var message = [CChar](repeating: 0, count: Int(FFEM_IO_ERROR_SIZE))
        let status = bytes.withUnsafeBufferPointer { buffer in
            message.withUnsafeMutableBufferPointer { ffem_write_file_atomic(path, buffer.baseAddress, buffer.count, $0.baseAddress) }
        }
        if status != 0 { throw FileError(cString(message)) }
    }

    public static func writeAtomically(_ text: String, to path: String) throws(FileError) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    public static func exists(_ path: String) -> Bool { ffem_path_exists(path) != 0 }

    /// Creates a folder and its parents.
    public static func makeDirectories(_ path: String) throws(FileError) {
        var message = [CChar](repeating: 0, count: Int(FFEM_IO_ERROR_SIZE))
        let status = message.withUnsafeMutableBufferPointer { ffem_make_directories(path, $0.baseAddress) }
        if status != 0 { throw FileError(cString(message)) }
    }

    /// `relative` resolved against folder `root` (absolute paths are kept).
    public static func join(_ root: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || root.isEmpty { return relative }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    /// The folder part of a path ("." when there is none).
    public static func directory(of path: String) -> String {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: bytes[..<slash], as: UTF8.self)
    }
}

/// A NUL-terminated C buffer as a String.
public func cString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// Process-level helpers for command lines (stderr, exit, environment, terminal, clock).
public enum Process {
    public static func printError(_ line: String) { ffem_write_stderr(line) }
    /// Writes text to stderr without a newline (progress bars).
    public static func writeError(_ text: String) { ffem_write_stderr_raw(text) }
    public static func exit(_ status: Int32) -> Never {
        ffem_exit(status)
    }
    public static func environment(_ name: String) -> String? {
        guard let value = ffem_getenv(name) else { return nil }
        return String(cString: value)
    }
    public static var isStandardErrorTerminal: Bool { ffem_isatty(2) != 0 }
    /// Line-buffers stdout (results reach pipes and log files line by line).
    public static func lineBufferStandardOutput() { ffem_line_buffer_stdout() }
    public static var monotonicNanoseconds: UInt64 { ffem_monotonic_ns() }
}
