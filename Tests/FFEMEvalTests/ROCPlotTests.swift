import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import FFEMEval

/// The SVG ROC plot is well-formed XML with one curve and one legend entry per input curve.
@Suite struct ROCPlotTests {
    /// Counts elements and collects text while parsing.
    final class Inspector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var text = ""
        var root: String?
        var polylinePoints: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root == nil { root = name }
            elements[name, default: 0] += 1
            if name == "polyline", let points = attributes["points"] { polylinePoints.append(points) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            text += "\n"
        }
    }

    func parse(_ svg: String) -> (isWellFormed: Bool, inspector: Inspector) {
        let parser = XMLParser(data: Data(svg.utf8))
        let inspector = Inspector()
        parser.delegate = inspector
        return (parser.parse(), inspector)
    }

    @Test func plotOfTwoCurvesIsWellFormedWithALegend() throws {
        let float = try ROCCurve(ScoreSets.random(seed: 1, count: 900, separation: 0.5))
        let int8 = try ROCCurve(ScoreSets.random(seed: 2, count: 900, separation: 0.45, levels: 7))
        let plot = ROCPlot(title: "ORL held-out <s31–s40> & friends",
                           curves: [.init(label: "float", roc: float), .init(label: "int8 \"q\"", roc: int8)])
        let (isWellFormed, inspector) = parse(plot.svg())
        #expect(isWellFormed)
        #expect(inspector.root == "svg")
        #expect(inspector.elements["polyline"] == 2)
        #expect(inspector.text.contains("ORL held-out <s31–s40> & friends"))
        #expect(inspector.text.contains("float (AUC \(decimal(float.areaUnderCurve)))"))
        #expect(inspector.text.contains("int8 \"q\" (AUC"))
        #expect(inspector.text.contains("10⁻³") && inspector.text.contains("False accept rate (log scale)"))
    }

    @Test func leftEdgeIsTheDecadeBelowOneOverTheImpostorCount() throws {
        let roc = try ROCCurve(ScoreSets.random(seed: 3, count: 900, separation: 0.5))   // ≈ 450 impostors
        #expect(ROCPlot(curves: [.init(label: "a", roc: roc)]).leftEdgeFAR == 1e-3)
        #expect(ROCPlot(curves: [.init(label: "a", roc: roc)], minimumFAR: 2e-5).leftEdgeFAR == 1e-5)
    }

    @Test func curveStaysInsideThePlotAndRisesLeftToRight() throws {
        let roc = try ROCCurve(ScoreSets.random(seed: 4, count: 400, separation: 0.3, levels: 9))
        let (_, inspector) = parse(ROCPlot(curves: [.init(label: "a", roc: roc)]).svg())
        let points = inspector.polylinePoints[0].split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        #expect(points.count >= 3)
        for (previous, point) in zip(points, points.dropFirst()) {
            #expect(point[0] >= previous[0] && point[1] <= previous[1])   // SVG y grows downwards
        }
        #expect(points.allSatisfy { $0[0] >= 70 && $0[0] <= 620 && $0[1] >= 40 && $0[1] <= 425 })
    }

    @Test func plotIsWrittenToDisk() throws {
        let roc = try ROCCurve(ScoreSets.pairs(genuine: [0.9, 0.4], impostor: [0.5, 0.1]))
        let path = NSTemporaryDirectory() + "ffem-eval-roc-\(getpid()).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ROCPlot(curves: [.init(label: "tiny", roc: roc)]).write(to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(parse(written).isWellFormed && written.hasPrefix("<?xml"))
    }
}
