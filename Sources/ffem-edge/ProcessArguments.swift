// ffem-edge — ProcessArguments.swift: the command-line arguments, without CommandLine (absent in Embedded Swift).
import CLibV4L2

enum ProcessArguments {
    /// The arguments after the program name, read from /proc/self/cmdline (NUL-separated), which
    /// works the same in Embedded and ordinary Swift on Linux. Empty if it cannot be read.
    static func read() -> [String] {
        let descriptor = ffem_fd_open_read("/proc/self/cmdline")
        guard descriptor >= 0 else { return [] }
        defer { _ = ffem_fd_close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { ffem_fd_read(descriptor, $0.baseAddress, $0.count) }
            if got < 0, ffem_errno() == ffem_errno_eintr() { continue }
            if got <= 0 { break }
            bytes += chunk[0..<got]
        }
        var arguments: [String] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0 {
            arguments.append(String(decoding: bytes[start..<i], as: UTF8.self))
            start = i + 1
        }
        if start < bytes.count { arguments.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return Array(arguments.dropFirst())
    }
}
