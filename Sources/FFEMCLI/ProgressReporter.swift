// FFEMCLI — ProgressReporter.swift: progress of long work on stderr — a bar on a terminal, log lines otherwise.
import FFEMCore

public struct ProgressReporter {
    let label: String
    let total: Int
    let isTerminal: Bool
    var lastReportedTenth = -1
    var lastDrawNanoseconds: UInt64 = 0
    let start = Process.monotonicNanoseconds

    public init(label: String, total: Int) {
        self.label = label
        self.total = max(1, total)
        isTerminal = Process.isStandardErrorTerminal
    }

    /// Reports that `done` of `total` units are finished (and `detail`, e.g. a loss).
    public mutating func update(_ done: Int, detail: String = "") {
        let now = Process.monotonicNanoseconds
        if isTerminal {
            guard done == total || now - lastDrawNanoseconds > 100_000_000 else { return }
            lastDrawNanoseconds = now
            let width = 30
            let filled = width * min(done, total) / total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            Process.writeError("\r\(label) [\(bar)] \(done)/\(total) \(elapsed(now)) \(detail)\u{1B}[K" + (done >= total ? "\n" : ""))
        } else {
            let tenth = 10 * min(done, total) / total
            guard tenth > lastReportedTenth else { return }
            lastReportedTenth = tenth
            Process.printError("\(label): \(done)/\(total) (\(tenth * 10)%) \(elapsed(now)) \(detail)")
        }
    }

    func elapsed(_ now: UInt64) -> String {
        let tenths = Int((now - start) / 100_000_000)
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
