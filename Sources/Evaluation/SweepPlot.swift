import Foundation

/// The depth-sweep plot: nDCG@k (left axis) and median rerank latency (right axis) against
/// rerank depth (log scale), as a self-contained SVG with fixed number formatting.
enum SweepPlot {
    /// The plot of `report`'s sweep: axes and grid, the first-stage line, the nDCG and latency series, the legend.
    static func svg(_ report: DecisionReport) -> String {
        let rows = report.comparisons.sorted { $0.depth < $1.depth }
        let k = report.request.k
        let g = Geometry(rows)
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(g.width))" height="\(Int(g.height))" viewBox="0 0 \(Int(g.width)) \(Int(g.height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(g.width / 2))" y="24" text-anchor="middle" font-size="15">nDCG@\(k) and rerank latency against rerank depth</text>

            """
        s += axes(g, k: k)
        s += ndcgSeries(g, rows)
        if g.hasLatency { s += latencySeries(g, rows) }
        s += legend(g, k: k)
        s += "</svg>\n"
        return s
    }

    /// One decimal: the fixed number format of every coordinate.
    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// The canvas, the plot area and the three scales (depth on a log scale, nDCG, latency).
    struct Geometry {
        let width = 720.0, height = 420.0
        let left = 70.0, right = 80.0, top = 70.0, bottom = 60.0
        let inset = 45.0  // keeps the first and last points and their labels off the axes
        var plotW: Double { width - left - right }
        var plotH: Double { height - top - bottom }
        let depths: [Double], minD: Double, maxD: Double
        let firstNDCG: Double, lo: Double, hi: Double, step: Double
        let hasLatency: Bool, latMax: Double

        init(_ rows: [DecisionReport.Comparison]) {
            depths = rows.map { Double($0.depth) }
            minD = log10(depths.min() ?? 1)
            maxD = log10(depths.max() ?? 10)
            firstNDCG = rows.first?.firstStage[0] ?? 0
            let ndcgs = rows.map { $0.reranked[0] } + [firstNDCG]
            let rawLo = max(0, (ndcgs.min() ?? 0) - 0.01), rawHi = min(1, (ndcgs.max() ?? 1) + 0.01)
            let step = [0.01, 0.02, 0.05, 0.1, 0.2].first { (rawHi - rawLo) / $0 <= 7 } ?? 0.2
            self.step = step
            lo = (rawLo / step).rounded(.down) * step
            let hi = (rawHi / step).rounded(.up) * step
            self.hi = hi <= lo ? lo + step : hi
            let lat = rows.compactMap { $0.cost?.p50 }
            hasLatency = lat.count == rows.count && !lat.isEmpty
            latMax = niceCeiling((lat.max() ?? 1) * 1.1)
        }

        func x(_ d: Double) -> Double {
            maxD > minD ? left + inset + (log10(d) - minD) / (maxD - minD) * (plotW - 2 * inset) : left + plotW / 2
        }
        func yN(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * plotH }
        func yL(_ v: Double) -> Double { top + (1 - v / latMax) * plotH }
    }

    /// The axes, the nDCG grid and labels, the depth ticks.
    static func axes(_ g: Geometry, k: Int) -> String {
        var s = ""
        // Axes and grid.
        s += "<line x1=\"\(f(g.left))\" y1=\"\(f(g.top + g.plotH))\" x2=\"\(f(g.left + g.plotW))\" y2=\"\(f(g.top + g.plotH))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(g.left))\" y1=\"\(f(g.top))\" x2=\"\(f(g.left))\" y2=\"\(f(g.top + g.plotH))\" stroke=\"black\"/>\n"
        let steps = Int(((g.hi - g.lo) / g.step).rounded())
        for i in 0...steps {
            let v = g.lo + g.step * Double(i)
            let y = g.yN(v)
            s += "<line x1=\"\(f(g.left))\" y1=\"\(f(y))\" x2=\"\(f(g.left + g.plotW))\" y2=\"\(f(y))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(g.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
        }
        for d in g.depths {
            s += "<line x1=\"\(f(g.x(d)))\" y1=\"\(f(g.top + g.plotH))\" x2=\"\(f(g.x(d)))\" y2=\"\(f(g.top + g.plotH + 5))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(f(g.x(d)))\" y=\"\(f(g.top + g.plotH + 20))\" text-anchor=\"middle\">\(Int(d))</text>\n"
        }
        s += "<text x=\"\(f(g.left + g.plotW / 2))\" y=\"\(f(g.height - 15))\" text-anchor=\"middle\">rerank depth (candidates per query, log scale)</text>\n"
        s += "<text transform=\"translate(18 \(f(g.top + g.plotH / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#1f5fa8\">nDCG@\(k)</text>\n"
        return s
    }

    /// The first stage's reference line and the reranked nDCG line with its points.
    static func ndcgSeries(_ g: Geometry, _ rows: [DecisionReport.Comparison]) -> String {
        var s = ""
        // First stage reference.
        s +=
            "<line x1=\"\(f(g.left))\" y1=\"\(f(g.yN(g.firstNDCG)))\" x2=\"\(f(g.left + g.plotW))\" y2=\"\(f(g.yN(g.firstNDCG)))\" stroke=\"#1f5fa8\" stroke-dasharray=\"2 4\"/>\n"
        s += "<text x=\"\(f(g.left + 6))\" y=\"\(f(g.yN(g.firstNDCG) - 6))\" fill=\"#1f5fa8\">first stage \(String(format: "%.4f", g.firstNDCG))</text>\n"
        // nDCG line.
        let pts = rows.map { "\(f(g.x(Double($0.depth)))),\(f(g.yN($0.reranked[0])))" }.joined(separator: " ")
        s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        for r in rows {
            let cx = g.x(Double(r.depth)), cy = g.yN(r.reranked[0])
            s += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"4\" fill=\"#1f5fa8\"/>\n"
            s += "<text x=\"\(f(cx))\" y=\"\(f(cy - 9))\" text-anchor=\"middle\" fill=\"#1f5fa8\">\(String(format: "%.4f", r.reranked[0]))</text>\n"
        }
        return s
    }

    /// The right-hand latency axis and the p50 latency line with its points.
    static func latencySeries(_ g: Geometry, _ rows: [DecisionReport.Comparison]) -> String {
        var s = "<line x1=\"\(f(g.left + g.plotW))\" y1=\"\(f(g.top))\" x2=\"\(f(g.left + g.plotW))\" y2=\"\(f(g.top + g.plotH))\" stroke=\"black\"/>\n"
        for i in 0...5 {
            let v = g.latMax * Double(i) / 5
            s += "<text x=\"\(f(g.left + g.plotW + 6))\" y=\"\(f(g.yL(v) + 4))\" fill=\"#c0501f\">\(String(format: "%.0f", v))</text>\n"
        }
        s +=
            "<text transform=\"translate(\(f(g.width - 14)) \(f(g.top + g.plotH / 2))) rotate(90)\" text-anchor=\"middle\" fill=\"#c0501f\">rerank time per query, p50 (ms)</text>\n"
        let lp = rows.map { "\(f(g.x(Double($0.depth)))),\(f(g.yL($0.cost!.p50)))" }.joined(separator: " ")
        s += "<polyline points=\"\(lp)\" fill=\"none\" stroke=\"#c0501f\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
        for r in rows {
            let cx = g.x(Double(r.depth)), cy = g.yL(r.cost!.p50)
            s += "<rect x=\"\(f(cx - 4))\" y=\"\(f(cy - 4))\" width=\"8\" height=\"8\" fill=\"#c0501f\"/>\n"
            s += "<text x=\"\(f(cx))\" y=\"\(f(cy + 18))\" text-anchor=\"middle\" fill=\"#c0501f\">\(String(format: "%.0f", r.cost!.p50)) ms</text>\n"
        }
        return s
    }

    /// The legend, above the plot area.
    static func legend(_ g: Geometry, k: Int) -> String {
        var s = ""
        let lx = g.left + 10, ly = g.top - 26
        s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        s += "<text x=\"\(f(lx + 30))\" y=\"\(f(ly + 4))\">reranked nDCG@\(k)</text>\n"
        if g.hasLatency {
            s +=
                "<line x1=\"\(f(lx + 250))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 274))\" y2=\"\(f(ly))\" stroke=\"#c0501f\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            s += "<text x=\"\(f(lx + 280))\" y=\"\(f(ly + 4))\">p50 rerank time per query</text>\n"
        }
        return s
    }

    /// 1, 2 or 5 times a power of ten, at least `v`.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let p = pow(10, (log10(v)).rounded(.down))
        for m in [1.0, 2.0, 5.0, 10.0] where m * p >= v { return m * p }
        return 10 * p
    }
}
