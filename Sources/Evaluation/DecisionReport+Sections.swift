import Formats
import Foundation

/// The sections for several rerankers, the baselines and the per-query drill-down (md and json).
extension DecisionReport {
    /// Markdown of the sections after the depth sweep, numbered from `n`.
    func extraSections(from n: Int) -> String {
        var n = n, s = ""
        if let ch = choice { s += configurationsSection(n, ch); n += 1 }
        if !baselines.isEmpty { s += baselinesSection(n); n += 1 }
        if let d = drillDown { s += drillDownSection(n, d) }
        return s
    }

    func configurationsSection(_ n: Int, _ ch: ModelChoice) -> String {
        let k = request.k, perm = request.permutations
        var s = "\n## \(n). Rerankers: quality and cost\n\n"
        s += "| configuration | depth | nDCG@\(k) | gain over first stage | vs best | randomisation p vs best | Holm-adjusted p | p50 ms | p95 ms |\n"
        s += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for (i, x) in comparisons.enumerated() {
            let t = ch.test(i)
            let mark = i == chosen ? " **(verdict)**" : (i == ch.best ? " (best)" : "")
            s += "| \(x.name)\(mark) | \(x.depth) | \(fixed4(x.reranked[0])) | \(signed(x.ndcgGain)) | "
            s +=
                t.map {
                    "\(signed($0.difference)) | \(randomisationText($0.p, permutations: perm)) | \(pValue($0.holm))\($0.indistinguishable ? " (indistinguishable)" : "")"
                } ?? "best | - | -"
            s += " | \(x.cost.map { String(format: "%.1f", $0.p50) } ?? "-") | \(x.cost.map { String(format: "%.1f", $0.p95) } ?? "-") |\n"
        }
        s += "\nEach configuration is compared with the best one (\(comparisons[ch.best].name)) by the paired randomisation test on per-query nDCG@\(k); "
        s +=
            "the \(ch.tests.count) p-values are Holm-corrected together. The verdict's configuration is the cheapest (lowest p50) whose Holm-adjusted p is >= \(request.thresholds.alpha).\n\n"
        s += "![nDCG@\(k) against ms per query, with the Pareto frontier](frontier.svg)\n"
        return s
    }

    func baselinesSection(_ n: Int) -> String {
        let k = request.k, perm = request.permutations
        var s = "\n## \(n). Baselines: the cheaper alternatives without a reranker\n\n"
        s += "| run | " + topMetrics.map(\.name).joined(separator: " | ") + " | \(main.name) minus it (nDCG@\(k)) | randomisation p |\n"
        s += "|---|" + String(repeating: "---:|", count: topMetrics.count + 2) + "\n"
        for (i, b) in baselines.enumerated() {
            s += "| \(b.run.name)\(i == bestBaseline ? " (best baseline)" : "") | " + b.means.map(fixed4).joined(separator: " | ")
            s += " | \(signed(b.difference)) | \(randomisationText(b.pRandomisation, permutations: perm)) |\n"
        }
        s +=
            "| first stage | " + main.firstStage.map(fixed4).joined(separator: " | ")
            + " | \(signed(main.ndcgGain)) | \(randomisationText(main.pRandomisation, permutations: perm)) |\n"
        s += "| **\(main.name)** (reranked) | " + main.reranked.map(fixed4).joined(separator: " | ") + " | - | - |\n"
        if baselines.contains(where: { $0.missing > 0 }) { s += "\nQueries missing from a baseline count as 0 there.\n" }
        return s
    }

    func drillDownSection(_ n: Int, _ d: DrillDown) -> String {
        var s = "\n## \(n). Per-query drill-down: where \(d.configuration) lost and won most\n\n"
        s +=
            "Change in nDCG@\(request.k) against the first stage; ranks are those of the first relevant document (trec_eval order); the top 3 before and after, with their grades.\n"
        for (title, list) in [("Lost most", d.lost), ("Won most", d.won)] {
            s += "\n**\(title)**\n\n| query | change | first relevant rank before -> after | top 3 before | top 3 after |\n|---|---:|---|---|---|\n"
            if list.isEmpty { s += "| (none) | | | | |\n" }
            for q in list {
                let text = q.text.map { "\(q.qid): " + cell($0) } ?? q.qid
                s +=
                    "| \(text) | \(signed(q.change)) (\(fixed4(q.before)) -> \(fixed4(q.after))) | \(q.firstRelevantBefore.map(String.init) ?? "none") -> \(q.firstRelevantAfter.map(String.init) ?? "none") | "
                s += docs(q.topBefore) + " | " + docs(q.topAfter) + " |\n"
            }
        }
        return s
    }

    func docs(_ d: [DrillDown.Document]) -> String {
        d.enumerated().map { i, x in
            "\(i + 1). `\(x.id)`" + (x.grade.map { " (grade \($0))" } ?? "") + (x.snippet.map { " " + cell($0) } ?? "")
        }.joined(separator: "<br>")
    }

    func cell(_ t: String) -> String {
        t.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "`", with: "'").replacingOccurrences(
            of: "*", with: "")
    }

    /// The verdict rules 7 and 8 for the rules section.
    func extraRules() -> String {
        var s = ""
        if choice != nil {
            s +=
                "7. with several configurations, the rules above are applied to the cheapest configuration (lowest p50) whose nDCG@\(request.k) is statistically indistinguishable from the best one's (paired randomisation test against the best, Holm-corrected across the comparisons, adjusted p >= \(request.thresholds.alpha)); the budget rule looks at that model's depths;\n"
        }
        if !baselines.isEmpty {
            s +=
                "8. baselines: if the best baseline's nDCG@\(request.k) is higher by >= \(request.thresholds.minimumGain) with p < \(request.thresholds.alpha), **the baseline is better**; otherwise a verdict of *pays* or *pays but does not fit* that does not beat the best baseline by >= \(request.thresholds.minimumGain) with p < \(request.thresholds.alpha) becomes **no better than the baseline**.\n"
        }
        return s
    }

    /// JSON of the configurations, baselines and drill-down.
    func extraJSON() -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        if let ch = choice {
            out.append(
                (
                    "configurations",
                    .object([
                        ("best", .string(comparisons[ch.best].name)), ("chosen", .string(comparisons[ch.chosen].name)),
                        ("correction", .string("holm")),
                        (
                            "tests",
                            .array(
                                ch.tests.map { t in
                                    .object([
                                        ("configuration", .string(comparisons[t.index].name)), ("difference", .number(t.difference)),
                                        ("randomisationP", .number(t.p)), ("tTestP", .number(t.pTTest)), ("holmP", .number(t.holm)),
                                        ("indistinguishable", .bool(t.indistinguishable)),
                                    ])
                                })
                        ),
                        ("frontier", .array(FrontierPlot.frontier(FrontierPlot.points(self)).map { .string(FrontierPlot.points(self)[$0].label) })),
                    ])
                ))
        }
        out.append(
            (
                "baselines",
                .array(
                    baselines.map { b in
                        .object([
                            ("name", .string(b.run.name)), ("run", .string(b.run.path)),
                            ("means", .object(zip(topMetrics, b.means).map { ($0.name, .number($1)) })),
                            ("rerankedMinusBaseline", .number(b.difference)), ("randomisationP", .number(b.pRandomisation)),
                            ("tTestP", .number(b.pTTest)), ("missing", .int(b.missing)),
                        ])
                    })
            ))
        out.append(("bestBaseline", bestBaseline.map { .string(baselines[$0].run.name) } ?? .null))
        if let d = drillDown { out.append(("drillDown", drillDownJSON(d))) }
        return out
    }

    /// The drill-down's lost and won queries, with their top documents before and after.
    func drillDownJSON(_ d: DrillDown) -> JSONValue {
        func docs(_ l: [DrillDown.Document]) -> JSONValue {
            .array(
                l.map {
                    .object([("id", .string($0.id)), ("grade", $0.grade.map { .int($0) } ?? .null), ("snippet", $0.snippet.map { .string($0) } ?? .null)])
                })
        }
        func qs(_ l: [DrillDown.Query]) -> JSONValue {
            .array(
                l.map { q in
                    .object([
                        ("qid", .string(q.qid)), ("text", q.text.map { .string($0) } ?? .null),
                        ("before", .number(q.before)), ("after", .number(q.after)), ("change", .number(q.change)),
                        ("firstRelevantRankBefore", q.firstRelevantBefore.map { .int($0) } ?? .null),
                        ("firstRelevantRankAfter", q.firstRelevantAfter.map { .int($0) } ?? .null),
                        ("topBefore", docs(q.topBefore)), ("topAfter", docs(q.topAfter)),
                    ])
                })
        }
        return .object([("configuration", .string(d.configuration)), ("lost", qs(d.lost)), ("won", qs(d.won))])
    }
}
