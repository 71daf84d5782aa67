// FFEMEval — ROCPlotFrame.swift: the plot rectangle of `ROCPlot`, its axes, and curve coordinates.
import Foundation

/// The plot rectangle and the mapping from (FAR, TAR) to SVG coordinates.
struct PlotFrame {
    let left = 70.0, top = 40.0
    let right: Double, bottom: Double
    let leftEdgeFAR: Double

    init(width: Double, height: Double, leftEdgeFAR: Double) {
        right = width - 20
        bottom = height - 55
        self.leftEdgeFAR = leftEdgeFAR
    }

    func x(_ far: Double) -> Double {
        let lowest = log10(leftEdgeFAR)
        let position = (log10(max(far, leftEdgeFAR)) - lowest) / -lowest
        return left + position * (right - left)
    }

    func y(_ tar: Double) -> Double { bottom - tar * (bottom - top) }

    /// Gridlines, tick labels and axis titles.
    func axes() -> String {
        var out = "<g stroke=\"#dddddd\" stroke-width=\"1\">\n"
        let decades = Int(-log10(leftEdgeFAR).rounded())
        for exponent in -decades...0 {
            let x = pixels(self.x(pow(10, Double(exponent))))
            out += "<line x1=\"\(x)\" y1=\"\(pixels(top))\" x2=\"\(x)\" y2=\"\(pixels(bottom))\"/>\n"
        }
        for tenth in 0...10 {
            let y = pixels(self.y(Double(tenth) / 10))
            out += "<line x1=\"\(pixels(left))\" y1=\"\(y)\" x2=\"\(pixels(right))\" y2=\"\(y)\"/>\n"
        }
        out += "</g>\n<rect x=\"\(pixels(left))\" y=\"\(pixels(top))\" width=\"\(pixels(right - left))\" height=\"\(pixels(bottom - top))\" fill=\"none\" stroke=\"black\"/>\n"
        for exponent in -decades...0 {
            out += "<text x=\"\(pixels(x(pow(10, Double(exponent)))))\" y=\"\(pixels(bottom + 18))\" text-anchor=\"middle\">\(powerOfTenLabel(exponent))</text>\n"
        }
        for fifth in 0...5 {
            let tar = Double(fifth) / 5
            out += "<text x=\"\(pixels(left - 8))\" y=\"\(pixels(y(tar) + 4))\" text-anchor=\"end\">\(decimal(tar, places: 1))</text>\n"
        }
        out += "<text x=\"\(pixels((left + right) / 2))\" y=\"\(pixels(bottom + 42))\" text-anchor=\"middle\">False accept rate (log scale)</text>\n"
        let middle = pixels((top + bottom) / 2)
        out += "<text x=\"20\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(middle))\">True accept rate</text>\n"
        return out
    }

    /// The curve's vertices in SVG coordinates: runs of collinear horizontal or vertical vertices
    /// reduced to their ends, diagonal segments split into 16 pieces.
    func polyline(_ roc: ROCCurve) -> [(x: Double, y: Double)] {
        let points = roc.points
        var kept: [OperatingPoint] = []
        for (k, point) in points.enumerated() {
            if k > 0 && k < points.count - 1 {
                let (before, after) = (points[k - 1], points[k + 1])
                let isInsideVerticalRun = before.falseAcceptRate == point.falseAcceptRate && point.falseAcceptRate == after.falseAcceptRate
                let isInsideHorizontalRun = before.trueAcceptRate == point.trueAcceptRate && point.trueAcceptRate == after.trueAcceptRate
                if isInsideVerticalRun || isInsideHorizontalRun { continue }
            }
            kept.append(point)
        }
        var out: [(x: Double, y: Double)] = []
        for (k, point) in kept.enumerated() {
            if k > 0 {
                let previous = kept[k - 1]
                if point.falseAcceptRate > previous.falseAcceptRate && point.trueAcceptRate > previous.trueAcceptRate {
                    for step in 1..<16 {
                        let t = Double(step) / 16
                        out.append((x(previous.falseAcceptRate + t * (point.falseAcceptRate - previous.falseAcceptRate)),
                                    y(previous.trueAcceptRate + t * (point.trueAcceptRate - previous.trueAcceptRate))))
                    }
                }
            }
            out.append((x(point.falseAcceptRate), y(point.trueAcceptRate)))
        }
        return out
    }
}
