// ffem-edge — LatencyStats.swift: frames/s, per-stage latency percentiles and drop counts, in bounded memory.
import FFEMCore

/// The stages one frame goes through.
enum Stage: Int, CaseIterable {
    case capture = 0, crop, embed, output
    var name: String {
        switch self {
        case .capture: return "capture"
        case .crop: return "crop"
        case .embed: return "embed"
        case .output: return "output"
        }
    }
}

/// Keeps the last `window` latencies of every stage in rings allocated once; percentiles are
/// computed over that window (nearest rank) when a report is made, not per frame.
final class LatencyStats {
    static let window = 4096
    private var samples: [[UInt64]]
    private var counts: [Int]
    private let start = Process.monotonicNanoseconds
    private var intervalStart = Process.monotonicNanoseconds
    private var intervalFrames = 0
    private(set) var frames = 0
    private(set) var boxes = 0
    var droppedFrames = 0
    var clampedBoxes = 0
    var rejectedBoxes = 0

    init() {
        samples = [[UInt64]](repeating: [UInt64](repeating: 0, count: LatencyStats.window), count: Stage.allCases.count)
        counts = [Int](repeating: 0, count: Stage.allCases.count)
    }

    func record(_ stage: Stage, nanoseconds: UInt64) {
        let s = stage.rawValue
        samples[s][counts[s] % LatencyStats.window] = nanoseconds
        counts[s] += 1
    }

    func countFrame() {
        frames += 1
        intervalFrames += 1
    }

    func countBox() { boxes += 1 }

    /// The p-th percentile (0…100, nearest rank) of the stage's window, in nanoseconds; nil if empty.
    func percentile(_ stage: Stage, _ p: Int) -> UInt64? {
        let n = min(counts[stage.rawValue], LatencyStats.window)
        guard n > 0 else { return nil }
        let sorted = samples[stage.rawValue][0..<n].sorted()
        let rank = max(1, (p * n + 99) / 100)
        return sorted[rank - 1]
    }

    /// One line: totals, frames/s over the whole run (`final`) or since the last report, and
    /// p50/p99 of every stage in milliseconds.
    func report(final: Bool) -> String {
        let now = Process.monotonicNanoseconds
        let seconds = Double(now - (final ? start : intervalStart)) / 1e9
        let rate = seconds > 0 ? Double(final ? frames : intervalFrames) / seconds : 0
        var line = "ffem-edge: \(final ? "total" : "stats"): \(frames) frames, \(boxes) boxes, "
            + "\(LatencyStats.decimal(rate, 1)) frames/s\(final ? "" : " (last \(LatencyStats.decimal(seconds, 1)) s)"), "
            + "dropped \(droppedFrames), clamped boxes \(clampedBoxes), rejected boxes \(rejectedBoxes); latency ms p50/p99:"
        for stage in Stage.allCases {
            guard let p50 = percentile(stage, 50), let p99 = percentile(stage, 99) else { continue }
            line += " \(stage.name) \(LatencyStats.decimal(Double(p50) / 1e6, 3))/\(LatencyStats.decimal(Double(p99) / 1e6, 3))"
        }
        intervalStart = now
        intervalFrames = 0
        return line
    }

    /// `value` with `places` decimals (integer arithmetic: no locale, no exponent).
    static func decimal(_ value: Double, _ places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let units = Int((value * Double(scale)).rounded())
        let whole = units / scale, fraction = units % scale
        var digits = String(fraction)
        while digits.utf8.count < places { digits = "0" + digits }
        return places == 0 ? String(whole) : "\(whole).\(digits)"
    }
}
