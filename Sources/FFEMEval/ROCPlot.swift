// FFEMEval — ROCPlot.swift: ROC curves as a hand-written SVG with a logarithmic FAR axis.
import FFEMCore
import Foundation

/// One or more ROC curves (for example float and int8 embeddings of one protocol) drawn as SVG:
/// x = false accept rate on a log₁₀ axis from `leftEdgeFAR` to 1, y = true accept rate from 0 to 1,
/// a legend naming each curve with its AUC.
///
/// Position on the x axis: `x = (log₁₀ FAR − log₁₀ FAR_min) / (−log₁₀ FAR_min) · width`; vertices with
/// `FAR < FAR_min` (FAR = 0 included, which a log axis cannot show) are drawn on the left edge.
/// Diagonal ROC segments (ties) are straight in linear FAR, so they are drawn as 16 pieces to keep
/// their true shape on the log axis.
public struct ROCPlot: Sendable {
    /// A curve and its legend label.
    public struct Curve: Sendable {
        public var label: String
        public var roc: ROCCurve
        public init(label: String, roc: ROCCurve) {
            self.label = label
            self.roc = roc
        }
    }

    public var title: String
    public var curves: [Curve]
    /// The FAR at the left edge, or nil for the decade at or below `1/N` of the curve with the most
    /// impostors (its smallest non-zero FAR), kept within [1e-8, 1e-1].
    public var minimumFAR: Double?
    /// Image size in SVG user units (pixels).
    public var width: Double
    public var height: Double

    public init(title: String = "ROC", curves: [Curve], minimumFAR: Double? = nil, width: Double = 640, height: Double = 480) {
        self.title = title
        self.curves = curves
        self.minimumFAR = minimumFAR
        self.width = width
        self.height = height
    }

    /// The FAR at the left edge of the plot (a power of ten).
    public var leftEdgeFAR: Double {
        let requested = minimumFAR ?? 1 / Double(max(1, curves.map(\.roc.impostorCount).max() ?? 10))
        let decade = floor(log10(requested) + 1e-9)
        return pow(10, min(-1, max(-8, decade)))
    }

    /// Writes `svg()` to `path` atomically.
    public func write(to path: String) throws(FileError) {
        try FileIO.writeAtomically(svg(), to: path)
    }

    /// The SVG document.
    public func svg() -> String {
        let frame = PlotFrame(width: width, height: height, leftEdgeFAR: leftEdgeFAR)
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels(width))" height="\(pixels(height))" viewBox="0 0 \(pixels(width)) \(pixels(height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(pixels(width))" height="\(pixels(height))" fill="white"/>
        <text x="\(pixels(width / 2))" y="24" text-anchor="middle" font-size="15">\(xmlEscaped(title))</text>

        """
        out += frame.axes()
        for (index, curve) in curves.enumerated() {
            let style = ROCPlot.style(index)
            let points = frame.polyline(curve.roc).map { "\(pixels($0.x)),\(pixels($0.y))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(style.color)\" stroke-width=\"2\"\(style.dash) points=\"\(points)\"/>\n"
        }
        out += legend(frame)
        out += "</svg>\n"
        return out
    }

    private func legend(_ frame: PlotFrame) -> String {
        guard !curves.isEmpty else { return "" }
        let labels = curves.map { "\($0.label) (AUC \(decimal($0.roc.areaUnderCurve)))" }
        let boxWidth = 40 + 7 * Double(labels.map(\.count).max() ?? 0)
        let boxHeight = 8 + 18 * Double(labels.count)
        let x0 = frame.right - boxWidth - 8
        let y0 = frame.bottom - boxHeight - 8
        var out = "<rect x=\"\(pixels(x0))\" y=\"\(pixels(y0))\" width=\"\(pixels(boxWidth))\" height=\"\(pixels(boxHeight))\" fill=\"white\" stroke=\"#888888\"/>\n"
        for (index, label) in labels.enumerated() {
            let style = ROCPlot.style(index)
            let y = y0 + 16 + 18 * Double(index)
            out += "<line x1=\"\(pixels(x0 + 6))\" y1=\"\(pixels(y - 4))\" x2=\"\(pixels(x0 + 30))\" y2=\"\(pixels(y - 4))\" stroke=\"\(style.color)\" stroke-width=\"2\"\(style.dash)/>\n"
            out += "<text x=\"\(pixels(x0 + 36))\" y=\"\(pixels(y))\">\(xmlEscaped(label))</text>\n"
        }
        return out
    }

    /// Colour and dash pattern of curve `index`: six colours, then the same colours dashed.
    static func style(_ index: Int) -> (color: String, dash: String) {
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
        let dash = index >= colors.count ? " stroke-dasharray=\"6 3\"" : ""
        return (colors[index % colors.count], dash)
    }
}
