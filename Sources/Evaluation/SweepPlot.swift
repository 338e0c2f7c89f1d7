import Foundation

/// The depth-sweep plot: nDCG@k (left axis) and median rerank latency (right axis) against
/// rerank depth (log scale), as a self-contained SVG with fixed number formatting.
enum SweepPlot {
    static func svg(_ report: DecisionReport) -> String {
        let rows = report.comparisons.sorted { $0.depth < $1.depth }
        let k = report.request.k
        let width = 720.0, height = 420.0
        let left = 70.0, right = 80.0, top = 70.0, bottom = 60.0
        let inset = 45.0  // keeps the first and last points and their labels off the axes
        let plotW = width - left - right, plotH = height - top - bottom
        let depths = rows.map { Double($0.depth) }
        let minD = log10(depths.min() ?? 1), maxD = log10(depths.max() ?? 10)
        func x(_ d: Double) -> Double {
            maxD > minD ? left + inset + (log10(d) - minD) / (maxD - minD) * (plotW - 2 * inset) : left + plotW / 2
        }
        let firstNDCG = rows.first?.firstStage[0] ?? 0
        let ndcgs = rows.map { $0.reranked[0] } + [firstNDCG]
        let rawLo = max(0, (ndcgs.min() ?? 0) - 0.01), rawHi = min(1, (ndcgs.max() ?? 1) + 0.01)
        let step = [0.01, 0.02, 0.05, 0.1, 0.2].first { (rawHi - rawLo) / $0 <= 7 } ?? 0.2
        let lo = (rawLo / step).rounded(.down) * step
        var hi = (rawHi / step).rounded(.up) * step
        if hi <= lo { hi = lo + step }
        func yN(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * plotH }
        let lat = rows.compactMap { $0.cost?.p50 }
        let hasLatency = lat.count == rows.count && !lat.isEmpty
        let latMax = niceCeiling((lat.max() ?? 1) * 1.1)
        func yL(_ v: Double) -> Double { top + (1 - v / latMax) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="15">nDCG@\(k) and rerank latency against rerank depth</text>

            """
        // Axes and grid.
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"black\"/>\n"
        let steps = Int(((hi - lo) / step).rounded())
        for i in 0...steps {
            let v = lo + step * Double(i)
            let y = yN(v)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
        }
        for d in depths {
            s += "<line x1=\"\(f(x(d)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x(d)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(f(x(d)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\">\(Int(d))</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">rerank depth (candidates per query, log scale)</text>\n"
        s += "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#1f5fa8\">nDCG@\(k)</text>\n"
        // First stage reference.
        s +=
            "<line x1=\"\(f(left))\" y1=\"\(f(yN(firstNDCG)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(yN(firstNDCG)))\" stroke=\"#1f5fa8\" stroke-dasharray=\"2 4\"/>\n"
        s += "<text x=\"\(f(left + 6))\" y=\"\(f(yN(firstNDCG) - 6))\" fill=\"#1f5fa8\">first stage \(String(format: "%.4f", firstNDCG))</text>\n"
        // nDCG line.
        let pts = rows.map { "\(f(x(Double($0.depth)))),\(f(yN($0.reranked[0])))" }.joined(separator: " ")
        s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        for r in rows {
            let cx = x(Double(r.depth)), cy = yN(r.reranked[0])
            s += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"4\" fill=\"#1f5fa8\"/>\n"
            s += "<text x=\"\(f(cx))\" y=\"\(f(cy - 9))\" text-anchor=\"middle\" fill=\"#1f5fa8\">\(String(format: "%.4f", r.reranked[0]))</text>\n"
        }
        if hasLatency {
            s += "<line x1=\"\(f(left + plotW))\" y1=\"\(f(top))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"black\"/>\n"
            for i in 0...5 {
                let v = latMax * Double(i) / 5
                s += "<text x=\"\(f(left + plotW + 6))\" y=\"\(f(yL(v) + 4))\" fill=\"#c0501f\">\(String(format: "%.0f", v))</text>\n"
            }
            s +=
                "<text transform=\"translate(\(f(width - 14)) \(f(top + plotH / 2))) rotate(90)\" text-anchor=\"middle\" fill=\"#c0501f\">rerank time per query, p50 (ms)</text>\n"
            let lp = rows.map { "\(f(x(Double($0.depth)))),\(f(yL($0.cost!.p50)))" }.joined(separator: " ")
            s += "<polyline points=\"\(lp)\" fill=\"none\" stroke=\"#c0501f\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            for r in rows {
                let cx = x(Double(r.depth)), cy = yL(r.cost!.p50)
                s += "<rect x=\"\(f(cx - 4))\" y=\"\(f(cy - 4))\" width=\"8\" height=\"8\" fill=\"#c0501f\"/>\n"
                s += "<text x=\"\(f(cx))\" y=\"\(f(cy + 18))\" text-anchor=\"middle\" fill=\"#c0501f\">\(String(format: "%.0f", r.cost!.p50)) ms</text>\n"
            }
        }
        // Legend, above the plot area.
        let lx = left + 10, ly = top - 26
        s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        s += "<text x=\"\(f(lx + 30))\" y=\"\(f(ly + 4))\">reranked nDCG@\(k)</text>\n"
        if hasLatency {
            s +=
                "<line x1=\"\(f(lx + 250))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 274))\" y2=\"\(f(ly))\" stroke=\"#c0501f\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            s += "<text x=\"\(f(lx + 280))\" y=\"\(f(ly + 4))\">p50 rerank time per query</text>\n"
        }
        s += "</svg>\n"
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
