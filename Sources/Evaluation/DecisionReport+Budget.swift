import Foundation

extension DecisionReport {
    /// The smallest depth whose nDCG@k gain is at least `keepGain` times the best depth's gain
    /// (nil when no depth gains). Depths are unique, so there is no tie.
    static func cheapestDepth(_ c: [Comparison], keepGain: Double) -> Int? {
        guard let best = c.map(\.ndcgGain).max(), best > 0 else { return nil }
        let order = c.indices.sorted { c[$0].depth < c[$1].depth }
        return order.first { c[$0].ndcgGain >= keepGain * best - 1e-12 }
    }

    /// The fit of p95 ms against depth over the depths that have timings (nil without any).
    var costModel: CostModel? { CostModel(points: comparisons.compactMap { x in x.cost.map { (x.depth, $0.p95) } }) }

    /// p95 ms per query at a comparison's depth: measured, else estimated from the fit.
    static func p95(_ x: Comparison, _ model: CostModel?) -> (ms: Double, estimated: Bool)? {
        if let c = x.cost { return (c.p95, false) }
        return model.map { ($0.estimate(x.depth), true) }
    }

    /// "pays but does not fit" when a budget is set and the chosen depth's p95 (measured, else
    /// estimated) exceeds it; nil when it fits or there is no budget or no timings. The suggested depth is the one with the
    /// largest gain among those whose p95 (measured, or estimated) fits; ties: the smaller depth.
    static func budgetVerdict(_ c: [Comparison], chosen: Int, t: VerdictThresholds) -> Verdict? {
        let model = CostModel(points: c.compactMap { x in x.cost.map { (x.depth, $0.p95) } })
        guard let budget = t.latencyBudgetMs, let cost = p95(c[chosen], model), cost.ms > budget else { return nil }
        let gain = c[chosen].ndcgGain
        let head = String(
            format: "at depth %d the p95 rerank cost is %.1f ms per query%@, over the %@ ms budget",
            c[chosen].depth, cost.ms, cost.estimated ? " (estimated from the linear fit)" : "", budgetText(budget))
        var best: (i: Int, ms: Double, estimated: Bool)?
        for i in c.indices where c[i].ndcgGain > 0 {
            guard let p = p95(c[i], model), p.ms <= budget else { continue }
            if let b = best, c[b.i].ndcgGain > c[i].ndcgGain || (c[b.i].ndcgGain == c[i].ndcgGain && c[b.i].depth < c[i].depth) { continue }
            best = (i, p.ms, p.estimated)
        }
        if let b = best {
            let keep = gain > 0 ? c[b.i].ndcgGain / gain * 100 : 0
            let how = b.estimated ? "estimated from the linear fit of p95 against depth" : "measured"
            return Verdict(
                label: .doesNotFit,
                reason: String(
                    format: "%@; depth %d fits (p95 %.1f ms, %@) and keeps %.0f%% of the gain (%@ of %@ nDCG).",
                    head, c[b.i].depth, b.ms, how, keep, signed(c[b.i].ndcgGain), signed(gain)))
        }
        if let m = model, m.deepestWithin(budget) >= 1 {
            let d = m.deepestWithin(budget)
            return Verdict(
                label: .doesNotFit,
                reason: String(
                    format:
                        "%@; no depth in the report fits; the linear fit of p95 against depth (%.3f + %.4f ms per candidate) puts depth %d at %.1f ms (estimate; its gain was not measured).",
                    head, m.intercept, m.slope, d, m.estimate(d)))
        }
        return Verdict(label: .doesNotFit, reason: head + "; no depth fits the budget.")
    }
}

func budgetText(_ b: Double) -> String { b == b.rounded() ? String(format: "%.0f", b) : String(format: "%g", b) }
