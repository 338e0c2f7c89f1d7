import Formats
import Foundation

/// Per-query figures of runs over the report's evaluated queries.
struct Scored {
    let qrels: Qrels
    let queries: [String]
    let metrics: [Metric]
    let level: Int

    /// Per metric, per query values of `run` (a query missing from it counts as 0), and how many were missing.
    func values(_ run: TrecRun) -> ([[Double]], Int) {
        var missing = 0
        let ranks = queries.map { q -> JudgedRanking in
            if run.entries(for: q) == nil { missing += 1 }
            return JudgedRanking(entries: run.entries(for: q) ?? [], judgments: qrels[q], relevanceLevel: level)
        }
        return (metrics.map { m in ranks.map { $0.value(m) } }, missing)
    }
}

/// Several named configurations: the best, each tested against it, and the verdict's choice.
public struct ModelChoice: Sendable {
    /// One configuration against the best one (paired, on per-query nDCG@k).
    public struct Test: Sendable {
        /// Index into the report's comparisons.
        public var index: Int
        /// Mean nDCG@k of this configuration minus the best's.
        public var difference: Double
        /// Paired randomisation p-value (the report's permutations and seed).
        public var p: Double
        /// Paired t-test p-value (cross-check).
        public var pTTest: Double
        /// Holm-adjusted randomisation p across all the comparisons with the best.
        public var holm: Double
        /// True when the Holm-adjusted p is >= alpha: no significant difference from the best.
        public var indistinguishable: Bool
    }

    /// Index of the best configuration (highest nDCG@k; ties: the cheaper).
    public var best: Int
    /// One test per other configuration, in input order.
    public var tests: [Test]
    /// Index of the cheapest configuration indistinguishable from the best (may be the best).
    public var chosen: Int

    /// The test of configuration `i` against the best, nil for the best itself.
    public func test(_ i: Int) -> Test? { tests.first { $0.index == i } }

    func sentence(_ c: [DecisionReport.Comparison], _ r: DecisionReport) -> String {
        let b = c[best]
        if chosen == best {
            let others =
                tests.isEmpty
                ? "" : " every cheaper configuration is significantly worse (Holm-adjusted p < \(r.request.thresholds.alpha)), or none is cheaper;"
            return "\(b.name) has the best nDCG@\(r.request.k) (\(fixed4(b.reranked[0])));\(others) its result:"
        }
        let t = test(chosen)!
        return "\(c[chosen].name) is the cheapest configuration indistinguishable from the best, \(b.name) "
            + "(\(fixed4(c[chosen].reranked[0])) vs \(fixed4(b.reranked[0])), \(signed(t.difference)), Holm-adjusted p = \(pValue(t.holm)) >= \(r.request.thresholds.alpha)); its result:"
    }
}

extension DecisionReport {
    /// Names each configuration: NAME for a model with one run, NAME@depth for a model with several.
    static func nameConfigurations(_ c: inout [Comparison]) {
        for i in c.indices {
            guard let m = c[i].model else { continue }
            c[i].name = c.filter { $0.model == m }.count > 1 ? "\(m)@\(c[i].depth)" : m
        }
    }

    /// Cost for ordering configurations: measured p50 ms per query; unknown cost sorts last.
    static func costKey(_ x: Comparison) -> Double { x.cost?.p50 ?? .infinity }

    /// The best configuration, each other tested against it (paired randomisation on per-query
    /// nDCG@k, Holm across the m - 1 tests), and the cheapest with Holm p >= alpha (the best
    /// itself when none is). Cheapest: lowest p50; ties: higher nDCG@k, then input order.
    static func cheapestIndistinguishable(_ c: [Comparison], _ req: ReportOptions) -> ModelChoice {
        let best = c.indices.min { a, b in
            c[a].reranked[0] != c[b].reranked[0] ? c[a].reranked[0] > c[b].reranked[0] : costKey(c[a]) < costKey(c[b])
        }!
        let others = c.indices.filter { $0 != best }
        let raw = others.map { i -> (Double, Double, Double) in
            let d = zip(c[i].perQuery, c[best].perQuery).map { $0 - $1 }
            return (
                c[i].reranked[0] - c[best].reranked[0],
                Statistics.randomisationTest(differences: d, permutations: req.permutations, seed: req.seed),
                Statistics.pairedTTest(differences: d).p
            )
        }
        let adjusted = Statistics.holm(raw.map(\.1))
        let tests = others.indices.map { j in
            ModelChoice.Test(
                index: others[j], difference: raw[j].0, p: raw[j].1, pTTest: raw[j].2, holm: adjusted[j],
                indistinguishable: adjusted[j] >= req.thresholds.alpha)
        }
        let candidates = [best] + tests.filter(\.indistinguishable).map(\.index)
        let chosen = candidates.min { a, b in
            if costKey(c[a]) != costKey(c[b]) { return costKey(c[a]) < costKey(c[b]) }
            if c[a].reranked[0] != c[b].reranked[0] { return c[a].reranked[0] > c[b].reranked[0] }
            return a < b
        }!
        return ModelChoice(best: best, tests: tests, chosen: chosen)
    }
}
