import Formats
import Foundation

extension DecisionReport {
    /// Computes the report and writes `report.md`, `report.json`, `report.html` and, for a sweep, `sweep.csv`
    /// and `sweep.svg` into the output folder. Returns the verdict line for standard output.
    public static func run(_ req: ReportOptions) throws -> String {
        let report = try make(req)
        var written = ["report.md", "report.json", "report.html"]
        let md = report.markdown()
        try AtomicFile.write(md, to: req.outDir + "/report.md")
        var images: [String: String] = [:]
        if req.sweep != nil { images["sweep.svg"] = SweepPlot.svg(report) }
        if report.choice != nil {
            images["frontier.svg"] = FrontierPlot.svg(report)
            try AtomicFile.write(images["frontier.svg"]!, to: req.outDir + "/frontier.svg")
            written.append("frontier.svg")
        }
        try AtomicFile.write(ReportHTML.page(markdown: md, images: images), to: req.outDir + "/report.html")
        try AtomicFile.write(report.json().rendered() + "\n", to: req.outDir + "/report.json")
        if req.sweep != nil {
            try AtomicFile.write(report.sweepCSV(), to: req.outDir + "/sweep.csv")
            try AtomicFile.write(SweepPlot.svg(report), to: req.outDir + "/sweep.svg")
            written += ["sweep.csv", "sweep.svg"]
        }
        return "verdict: \(report.verdict.label.rawValue): \(report.verdict.reason)\nwrote \(written.map { req.outDir + "/" + $0 }.joined(separator: ", "))\n"
    }

    var main: Comparison { comparisons[chosen] }

    /// The sweep as CSV: one row per depth.
    public func sweepCSV() -> String {
        let k = request.k
        var s =
            "depth,ndcg@\(k),first_stage_ndcg@\(k),gain,p_randomisation,wins,ties,losses,recall@depth,perfect_reranker_ndcg@\(k),p50_ms,p95_ms,pairs_per_query\n"
        for x in comparisons.sorted(by: { $0.depth < $1.depth }) {
            let c = x.cost
            s +=
                [
                    String(x.depth), fmt(x.reranked[0]), fmt(x.firstStage[0]), fmt(x.ndcgGain), fmt(x.pRandomisation),
                    String(x.wins), String(x.ties), String(x.losses), fmt(x.headroom.recallAtDepth), fmt(x.headroom.oracleNDCG),
                    c.map { String(format: "%.3f", $0.p50) } ?? "", c.map { String(format: "%.3f", $0.p95) } ?? "",
                    c.map { String(format: "%.2f", $0.pairsPerQuery) } ?? "",
                ].joined(separator: ",") + "\n"
        }
        return s
    }
}

private func fmt(_ v: Double) -> String { String(format: "%.6f", v) }
