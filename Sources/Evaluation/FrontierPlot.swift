import Foundation

/// The quality/cost frontier: nDCG@k against p50 rerank ms per query, one point per reranked
/// configuration with timings, the first stage and baselines at 0 ms (no reranking), and the
/// Pareto frontier (no other point is both cheaper and at least as good) drawn as a line.
enum FrontierPlot {
    struct Point { var label: String; var ms: Double; var ndcg: Double; var reranked: Bool }

    static func points(_ r: DecisionReport) -> [Point] {
        var p = [Point(label: "first stage", ms: 0, ndcg: r.main.firstStage[0], reranked: false)]
        p += r.baselines.map { Point(label: $0.run.name, ms: 0, ndcg: $0.means[0], reranked: false) }
        p += r.comparisons.compactMap { c in c.cost.map { Point(label: c.name, ms: $0.p50, ndcg: c.reranked[0], reranked: true) } }
        return p
    }

    /// Indices of the Pareto-optimal points, cheapest first: each has a higher nDCG than every cheaper one.
    static func frontier(_ p: [Point]) -> [Int] {
        let order = p.indices.sorted { (p[$0].ms, -p[$0].ndcg, $0) < (p[$1].ms, -p[$1].ndcg, $1) }
        var out: [Int] = [], best = -Double.infinity
        for i in order where p[i].ndcg > best + 1e-12 { out.append(i); best = p[i].ndcg }
        return out
    }

    static func svg(_ r: DecisionReport) -> String {
        let p = points(r), front = frontier(p)
        let width = 720.0, height = 420.0, left = 70.0, right = 40.0, top = 50.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xMax = SweepPlot.niceCeiling((p.map(\.ms).max() ?? 1) * 1.15)
        let lo = ((p.map(\.ndcg).min() ?? 0) - 0.01), hi = ((p.map(\.ndcg).max() ?? 1) + 0.01)
        func x(_ v: Double) -> Double { left + 20 + v / xMax * (plotW - 40) }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"420\" viewBox=\"0 0 720 420\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s +=
            "<text x=\"360\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">nDCG@\(r.request.k) against rerank time per query (p50), with the Pareto frontier</text>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"black\"/>\n"
        for i in 0...5 {
            let v = xMax * Double(i) / 5, w = lo + (hi - lo) * Double(i) / 5
            s += "<text x=\"\(f(x(v)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(String(format: "%.0f", v))</text>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(w) + 4))\" text-anchor=\"end\">\(String(format: "%.3f", w))</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">rerank time per query, p50 (ms; 0 = no reranking)</text>\n"
        s += "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">nDCG@\(r.request.k)</text>\n"
        let line = front.map { "\(f(x(p[$0].ms))),\(f(y(p[$0].ndcg)))" }.joined(separator: " ")
        s += "<polyline id=\"frontier-line\" points=\"\(line)\" fill=\"none\" stroke=\"#2a8f3a\" stroke-width=\"2\"/>\n"
        for (i, pt) in p.enumerated() {
            let color = pt.reranked ? "#1f5fa8" : "#c0501f", on = front.contains(i)
            s +=
                "<circle cx=\"\(f(x(pt.ms)))\" cy=\"\(f(y(pt.ndcg)))\" r=\"\(on ? 5 : 4)\" fill=\"\(on ? color : "white")\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            s +=
                "<text x=\"\(f(x(pt.ms) + 8))\" y=\"\(f(y(pt.ndcg) - 6))\" fill=\"\(color)\">\(ReportHTML.escape(pt.label)) \(String(format: "%.4f", pt.ndcg))</text>\n"
        }
        s +=
            "<text x=\"\(f(left + 10))\" y=\"\(f(top - 10))\"><tspan fill=\"#1f5fa8\">● reranked</tspan>  <tspan fill=\"#c0501f\">● no reranker</tspan>  <tspan fill=\"#2a8f3a\">— Pareto frontier (filled points)</tspan></text>\n"
        return s + "</svg>\n"
    }
}
