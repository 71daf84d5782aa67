// FFEMQuant — Observers.swift: how the range of an activation tensor is chosen from calibration data.

/// The observer that turns calibration values into a clipping range [lo, hi]:
/// - minMax: the extremes seen;
/// - percentile(p): the p-th and (100 − p)-th percentiles of the values (from a 2048-bin histogram);
/// - mse: the symmetric-about-the-data range that minimises the expected squared quantization error
///   (rounding noise step²/12 inside, clipping error outside), searched over 64 shrinks of the
///   min/max range (from the histogram).
public enum Observer: Equatable, Sendable {
    case minMax
    case percentile(Double)
    case mse

    public init?(name: String, percentile: Double = 99.99) {
        switch name.lowercased() {
        case "minmax", "min-max", "min_max": self = .minMax
        case "percentile": self = .percentile(percentile)
        case "mse": self = .mse
        default: return nil
        }
    }
}

/// A tensor's value distribution: extremes (first pass) then a histogram over them (second pass).
public struct ValueHistogram: Sendable {
    public static let bins = 2048
    public private(set) var minimum = Float.infinity
    public private(set) var maximum = -Float.infinity
    public private(set) var counts = [Double](repeating: 0, count: ValueHistogram.bins)
    public private(set) var total = 0.0

    public init() {}

    public mutating func observeRange(_ values: UnsafeBufferPointer<Float>) {
        for v in values {
            minimum = min(minimum, v)
            maximum = max(maximum, v)
        }
    }

    /// Second pass: counts `values` into bins over [minimum, maximum].
    public mutating func observeHistogram(_ values: UnsafeBufferPointer<Float>) {
        let width = max(maximum - minimum, 1e-12) / Float(ValueHistogram.bins)
        for v in values {
            let bin = min(ValueHistogram.bins - 1, max(0, Int((v - minimum) / width)))
            counts[bin] += 1
        }
        total += Double(values.count)
    }

    func binCentre(_ k: Int) -> Float {
        minimum + (Float(k) + 0.5) * (maximum - minimum) / Float(ValueHistogram.bins)
    }

    /// The value below which `fraction` of the mass lies.
    func quantile(_ fraction: Double) -> Float {
        var cumulative = 0.0
        for k in 0..<ValueHistogram.bins {
            cumulative += counts[k]
            if cumulative >= fraction * total { return binCentre(k) }
        }
        return maximum
    }

    /// The clipping range chosen by `observer`.
    public func range(_ observer: Observer) -> (lower: Float, upper: Float) {
        guard minimum <= maximum else { return (0, 0) }
        switch observer {
        case .minMax:
            return (minimum, maximum)
        case .percentile(let p):
            guard total > 0 else { return (minimum, maximum) }
            return (quantile((100 - p) / 100), quantile(p / 100))
        case .mse:
            guard total > 0 else { return (minimum, maximum) }
            var best = (minimum, maximum)
            var bestError = Double.infinity
            for step in 0..<64 {
                let shrink = 1 - Float(step) / 80
                let lo = min(minimum * shrink, 0), hi = max(maximum * shrink, 0)
                let scale = Double(max(hi - lo, 1e-12)) / 255
                var error = 0.0
                for k in 0..<ValueHistogram.bins where counts[k] > 0 {
                    let v = Double(binCentre(k))
                    if v < Double(lo) { error += counts[k] * (Double(lo) - v) * (Double(lo) - v) }
                    else if v > Double(hi) { error += counts[k] * (v - Double(hi)) * (v - Double(hi)) }
                    else { error += counts[k] * scale * scale / 12 }
                }
                if error < bestError {
                    bestError = error
                    best = (lo, hi)
                }
            }
            return best
        }
    }
}
