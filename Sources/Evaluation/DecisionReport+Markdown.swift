import Foundation

extension DecisionReport {
    /// The report for people.
    public func markdown() -> String {
        let sweepShown = comparisons.count > 1 && request.names == nil
        var s = "# Reranking decision report\n\n"
        s += "**Verdict: \(verdict.label.rawValue).** \(verdict.reason)\n\n"
        if let note = request.note, !note.isEmpty {
            s += "> **About these inputs.** " + note.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n> ") + "\n\n"
        }
        s += markdownInputs()
        s += markdownHeadroom()
        s += markdownPrecision()
        s += markdownCost()
        if sweepShown { s += markdownSweep() }
        s += extraSections(from: sweepShown ? 5 : 4)
        s += markdownRules()
        return s
    }

    /// The inputs table and which queries are evaluated.
    func markdownInputs() -> String {
        let c = main
        var s = "## Inputs\n\n| input | file |\n|---|---|\n"
        s += "| judgments (qrels) | `\(request.qrelsPath)` (\(judgedQueries) judged queries) |\n"
        s += "| first stage (candidates) | `\(request.firstStagePath)` |\n"
        for x in comparisons {
            s += "| reranked, \(x.model == nil ? "" : x.name + ", ")depth \(x.depth) | `\(x.rerankedPath)` |\n"
            if let cost = x.cost { s += "| timings, \(x.model == nil ? "" : x.name + ", ")depth \(x.depth) | `\(cost.path)` |\n" }
        }
        for b in request.baselines { s += "| baseline \(b.name) | `\(b.path)` |\n" }
        s += "\n\(evaluatedQueries) queries are evaluated: the judged queries present in the first-stage run"
        s +=
            request.rules.allJudged
            ? " plus judged queries it misses, counted as 0 (--all-judged).\n" : " (trec_eval's rule; judged queries it misses are skipped).\n"
        if unjudgedFirstStageQueries > 0 { s += "\(unjudgedFirstStageQueries) first-stage queries have no judgments and are ignored.\n" }
        if c.missingInReranked > 0 { s += "\(c.missingInReranked) evaluated queries are missing from the reranked run and count as 0 there.\n" }
        if choice != nil {
            s += "\nThe sections below are about \(c.name) (depth \(c.depth)), the verdict's configuration (section 4).\n"
        } else if comparisons.count > 1 {
            s += "\nThe sections below are about depth \(c.depth), the recommended depth of the sweep (section 4).\n"
        }
        return s
    }

    /// Section 1: what a reranker can and cannot fix.
    func markdownHeadroom() -> String {
        let k = request.k
        let c = main
        let h = c.headroom
        var s = "\n## 1. Recall headroom: what a reranker can and cannot fix\n\n"
        s += "A reranker only reorders the first stage's top \(h.depth). Recall@\(h.depth) of the first stage is **\(fixed4(h.recallAtDepth))** "
        s += "(Recall@\(k) \(fixed4(h.recallAtK))). Of the \(h.queriesWithRelevant) queries with at least one relevant judged document:\n\n"
        s += "| where the first relevant document is in the first stage | queries | share |\n|---|---:|---:|\n"
        s += "| in the top \(k) already | \(h.alreadyInTopK) | \(percent(h.alreadyShare)) |\n"
        s += "| between rank \(k + 1) and \(h.depth): **a reranker can fix these** | \(h.fixable) | \(percent(h.fixableShare)) |\n"
        s += "| not in the top \(h.depth): **a recall problem no reranker fixes** | \(h.unreachable) | \(percent(h.unreachableShare)) |\n\n"
        s += "A perfect reranker (the top \(h.depth) reordered by the judgments) would reach nDCG@\(k) **\(fixed4(h.oracleNDCG))**; "
        s += "the first stage has \(fixed4(c.firstStage[0])), so the headroom is \(signed(h.oracleNDCG - c.firstStage[0])).\n"
        return s
    }

    /// Section 2: the top metrics before and after, and the significance tests.
    func markdownPrecision() -> String {
        let k = request.k
        let c = main
        var s = "\n## 2. Precision at the top, before and after\n\n"
        s += "| metric (trec_eval name) | first stage | reranked | change |\n|---|---:|---:|---:|\n"
        for (i, m) in topMetrics.enumerated() {
            s += "| \(m.name) (\(m.trecEvalName)) | \(fixed4(c.firstStage[i])) | \(fixed4(c.reranked[i])) | \(signed(c.reranked[i] - c.firstStage[i])) |\n"
        }
        s +=
            "\nPer query, on nDCG@\(k): the reranked run **wins on \(c.wins)**, ties on \(c.ties) and **loses on \(c.losses)** of \(evaluatedQueries) queries.\n\n"
        s +=
            "Is the change real? Paired randomisation test on the per-query nDCG@\(k) differences (two-sided, \(request.permutations) random sign flips, seed \(request.seed), so the p-value is reproducible): "
        s +=
            "**\(randomisationText(c.pRandomisation, permutations: request.permutations))**. Paired t-test as a cross-check: t = \(String(format: "%.3f", c.tStatistic)), p = \(pValue(c.pTTest)).\n"
        return s
    }

    /// Section 3: the measured reranking cost.
    func markdownCost() -> String {
        let c = main
        var s = "\n## 3. Cost\n\n"
        if let cost = c.cost {
            s += "| reranking cost per query | value |\n|---|---:|\n"
            s += "| time, median (p50) | \(String(format: "%.1f", cost.p50)) ms |\n"
            s += "| time, 95th percentile (p95) | \(String(format: "%.1f", cost.p95)) ms |\n"
            s += "| time, mean | \(String(format: "%.1f", cost.meanMilliseconds)) ms |\n"
            s += "| (query, document) pairs scored | \(String(format: "%.1f", cost.pairsPerQuery)) (\(cost.totalPairs) in all) |\n"
            s += "| word pieces through the cross-encoder | \(String(format: "%.0f", cost.tokensPerQuery)) |\n\n"
            s += "From \(cost.queries) timing records (`\(cost.path)`); percentiles are nearest-rank."
            if cost.missing > 0 { s += " \(cost.missing) evaluated queries have no timing record." }
            s += "\n"
        } else {
            s += "No timings file was given (`--timings`): the cost is unknown.\n"
        }
        return s
    }

    /// Section 4 (a depth sweep only): each depth's gain, significance and cost.
    func markdownSweep() -> String {
        let k = request.k
        let c = main
        let t = request.thresholds
        var s = "\n## 4. Depth sweep\n\n"
        s +=
            "| depth | nDCG@\(k) | change | randomisation p | wins / ties / losses | Recall@depth (first stage) | perfect-reranker nDCG@\(k) | p50 ms | p95 ms | pairs/query |\n"
        s += "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n"
        for x in comparisons.sorted(by: { $0.depth < $1.depth }) {
            let p50 = x.cost.map { String(format: "%.1f", $0.p50) } ?? "-"
            let p95 = x.cost.map { String(format: "%.1f", $0.p95) } ?? "-"
            let pairs = x.cost.map { String(format: "%.1f", $0.pairsPerQuery) } ?? "-"
            let mark = x.depth == c.depth ? " **(recommended)**" : ""
            s +=
                "| \(x.depth)\(mark) | \(fixed4(x.reranked[0])) | \(signed(x.ndcgGain)) | \(randomisationText(x.pRandomisation, permutations: request.permutations).replacingOccurrences(of: "p = ", with: "").replacingOccurrences(of: "p ", with: "")) | \(x.wins) / \(x.ties) / \(x.losses) | \(fixed4(x.headroom.recallAtDepth)) | \(fixed4(x.headroom.oracleNDCG)) | \(p50) | \(p95) | \(pairs) |\n"
        }
        s +=
            "\nFirst stage alone: nDCG@\(k) \(fixed4(c.firstStage[0])). Recommended depth: the smallest whose nDCG@\(k) is within \(t.sweepTolerance) of the best depth's.\n\n"
        if let i = cheapest {
            let x = comparisons[i], best = comparisons.map(\.ndcgGain).max() ?? 0
            let cost =
                Self.p95(x, costModel).map {
                    String(format: "p95 %.1f ms per query%@", $0.ms, $0.estimated ? ", estimated from the linear fit of p95 against depth" : "")
                } ?? "cost unknown"
            s +=
                "Cheapest depth: **\(x.depth)**, the smallest that keeps at least \(percent(t.keepGain)) of the best gain (\(signed(x.ndcgGain)) of \(signed(best)), \(cost)).\n\n"
        }
        s += "![nDCG@\(k) and latency against rerank depth](sweep.svg)\n\nThe same data: [sweep.csv](sweep.csv).\n"
        return s
    }

    /// How the verdict is decided, rule by rule, and trec_eval's conventions.
    func markdownRules() -> String {
        let k = request.k
        let c = main
        let t = request.thresholds
        var s = "\n## How the verdict is decided\n\n"
        s += "In this order, on nDCG@\(k) at depth \(c.depth):\n\n"
        s += "1. **reranking pays** if the gain is >= \(t.minimumGain) and the randomisation p < \(t.alpha);\n"
        s += "2. **reranking hurts** if the change is <= -\(t.minimumGain) and p < \(t.alpha);\n"
        s += "3. otherwise **the first stage is already precise** if a perfect reordering of the top \(c.depth) would add < \(t.preciseHeadroom);\n"
        s +=
            "4. otherwise **recall is the problem** if >= \(percent(t.recallProblemShare)) of the queries with a relevant document have none in the top \(c.depth);\n"
        s += "5. otherwise **gain not significant**;\n"
        if let b = t.latencyBudgetMs {
            s += "6. a run that pays (rule 1) whose p95 rerank cost per query is over the \(budgetText(b)) ms budget is **pays but does not fit**; "
            s +=
                "it names the depth with the largest gain whose p95 fits (measured, or estimated from the linear fit of p95 against depth; ties: the smaller depth) and the share of the gain it keeps.\n"
        } else {
            s +=
                "6. with a latency budget (`--latency-budget-ms`), a run that pays but whose p95 cost is over it would be **pays but does not fit**; no budget was given.\n"
        }
        s += extraRules() + "\n"
        s += "All figures follow trec_eval's rules (docs/EVALUATION.md): documents re-sorted by score with ties broken by document id (descending), "
        s +=
            "grades >= \(request.rules.relevanceLevel) relevant, nDCG gains = grades, MRR@\(k) = reciprocal rank of the first relevant document within the top \(k).\n"
        return s
    }
}

private func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
