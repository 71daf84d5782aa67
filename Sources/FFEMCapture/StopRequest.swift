// FFEMCapture — StopRequest.swift: SIGINT/SIGTERM turned into a flag that capture loops poll.
import CLibV4L2

/// A process-wide stop request. `install()` sets a C signal handler for SIGINT and SIGTERM that
/// only sets a `sig_atomic_t` flag (async-signal-safe); blocking waits (`poll`, `read`) return
/// early with EINTR, and every loop checks `isRequested` before its next frame.
///
/// Every call into the C flag is in this file: the flag is file-static in `shim.h`, so one
/// Swift source file must own it.
public enum StopRequest {
    public static func install() { ffem_stop_install() }
    public static var isRequested: Bool { ffem_stop_requested() != 0 }
    /// Requests a stop from code (as a signal would).
    public static func request() { ffem_stop_request() }
}
