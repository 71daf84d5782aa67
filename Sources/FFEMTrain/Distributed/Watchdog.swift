// FFEMTrain — Watchdog.swift: ends a rank that has made no progress for too long.
import Foundation

/// `mpirun` ends the job when a rank *dies*; a rank that hangs alive (stopped, deadlocked, cut off
/// by the network without its connection closing) would leave the others waiting in a collective
/// for ever. The watchdog ends its own rank when no step has finished for `timeout` seconds: it
/// prints why and exits with status 1, which makes `mpirun` end every rank.
///
/// Only the main thread calls MPI, so the watchdog does not call `MPI_Abort`; it calls `_exit`
/// (no clean-up that could block). The timeout must exceed the longest pause between two progress
/// marks, i.e. a step, or rank 0's validation and checkpoint at the end of an epoch.
public final class Watchdog: @unchecked Sendable {
    public let timeout: Double
    let rank: Int
    let size: Int
    private let lock = NSLock()
    private var last = Date()
    private var isStopped = false

    public init(timeout: Double, rank: Int, size: Int) {
        self.timeout = timeout
        self.rank = rank
        self.size = size
        let thread = Thread { [self] in watch() }
        thread.stackSize = 1 << 18
        thread.start()
    }

    /// Marks progress (a finished step or epoch).
    public func progress() {
        lock.lock()
        last = Date()
        lock.unlock()
    }

    public func stop() {
        lock.lock()
        isStopped = true
        lock.unlock()
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: min(timeout / 4, 1))
            lock.lock()
            let idle = Date().timeIntervalSince(last), stopped = isStopped
            lock.unlock()
            if stopped { return }
            if idle > timeout {
                let line = "ffem-train: rank \(rank) of \(size): no progress for \(Int(idle)) s (--collective-timeout \(Int(timeout))): "
                    + "another rank is stuck or unreachable; ending this rank so that mpirun stops the job\n"
                FileHandle.standardError.write(Data(line.utf8))
                _exit(1)
            }
        }
    }
}
