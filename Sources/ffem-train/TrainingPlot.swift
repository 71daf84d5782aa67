// ffem-train — an SVG of the loss and validation curves of a run (from its per-epoch log lines).
import Foundation

enum TrainingPlot {
    /// Two panels side by side: training loss per epoch, and held-out accuracy per epoch (when validated).
    static func svg(history: [String]) -> String {
        var losses: [(Double, Double)] = [], accuracies: [(Double, Double)] = []
        for line in history {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let epoch = (object["epoch"] as? NSNumber)?.doubleValue else { continue }
            if let loss = (object["loss"] as? NSNumber)?.doubleValue { losses.append((epoch, loss)) }
            if let accuracy = (object["val_accuracy"] as? NSNumber)?.doubleValue { accuracies.append((epoch, accuracy)) }
        }
        let width = 900.0, height = 360.0
        var body = ""
        body += panel(losses, title: "training loss", x: 0, width: width / 2, height: height, colour: "#1f77b4")
        body += panel(accuracies, title: "held-out 10-fold accuracy", x: width / 2, width: width / 2, height: height, colour: "#d62728")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\(body)</svg>\n"
    }

    static func panel(_ points: [(Double, Double)], title: String, x: Double, width: Double, height: Double, colour: String) -> String {
        let left = x + 60, right = x + width - 20, top = 40.0, bottom = height - 40
        var out = "<text x=\"\(x + width / 2)\" y=\"20\" text-anchor=\"middle\">\(title)</text>\n"
        out += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"black\"/><line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottom)\" stroke=\"black\"/>\n"
        guard let first = points.first else { return out + "<text x=\"\(x + width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\">no data</text>\n" }
        let xs = points.map { $0.0 }, ys = points.map { $0.1 }
        let x0 = xs.min()!, x1 = max(xs.max()!, x0 + 1)
        var y0 = ys.min()!, y1 = ys.max()!
        if y1 - y0 < 1e-9 { y0 -= 0.5; y1 += 0.5 }
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (right - left) }
        func py(_ v: Double) -> Double { bottom - (v - y0) / (y1 - y0) * (bottom - top) }
        let path = points.map { String(format: "%.1f,%.1f", px($0.0), py($0.1)) }.joined(separator: " ")
        out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
        for v in [y0, (y0 + y1) / 2, y1] {
            out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>\n", left - 5, py(v) + 4, v)
        }
        out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">epoch %.0f</text>\n", left, bottom + 18, first.0)
        out += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">epoch %.0f</text>\n", right, bottom + 18, x1)
        return out
    }
}
