import Formats
import Foundation

/// The thresholds the verdict uses; all are written into the report.
public struct VerdictThresholds: Sendable, Equatable {
    /// Significance level for the paired randomisation test.
    public var alpha: Double = 0.05
    /// Smallest nDCG@k change that counts as a real gain (or loss).
    public var minimumGain: Double = 0.01
    /// If a perfect reordering of the top N would add less than this to nDCG@k, the first stage
    /// is already precise.
    public var preciseHeadroom: Double = 0.02
    /// If at least this share of queries (with a relevant document) has none in the top N,
    /// recall is the problem.
    public var recallProblemShare: Double = 0.25
    /// In a sweep, the recommended depth is the smallest whose nDCG@k is within this of the best.
    public var sweepTolerance: Double = 0.005
    /// Per-query p95 rerank cost the run must fit (ms); nil = no budget.
    public var latencyBudgetMs: Double?
    /// The cheapest depth of a sweep is the smallest that keeps at least this share of the best gain.
    public var keepGain: Double = 0.9

    /// The default thresholds.
    public init() {}
}

/// What `indexer report` was asked to do.
public struct ReportOptions: Sendable {
    /// The qrels file.
    public var qrelsPath: String
    /// The first-stage run (the candidates the reranker saw).
    public var firstStagePath: String
    /// Reranked runs: one, or one per sweep depth (same order as ``sweep``).
    public var rerankedPaths: [String]
    /// Timings files: none, or one per reranked run.
    public var timingsPaths: [String]
    /// The cutoff for precision at the top (nDCG@k, P@k, MRR@k).
    public var k: Int = 10
    /// The rerank depth N when there is no sweep; nil = the most pairs a query had scored in the
    /// timings file, else the largest per-query list in the reranked run.
    public var depth: Int?
    /// Depths of a sweep, one per reranked run.
    public var sweep: [Int]?
    /// Output folder.
    public var outDir: String
    /// Sign flips of the randomisation test.
    public var permutations: Int = 10_000
    /// Seed of the randomisation test.
    public var seed: UInt64 = 20_240_601
    /// Verdict thresholds.
    public var thresholds = VerdictThresholds()
    /// Query selection and relevance level.
    public var rules = EvaluationRules()
    /// Free text about the inputs, shown under the verdict (how the runs were made, caveats).
    public var note: String?
    /// One configuration name per reranked run (`--reranked NAME=RUN`); nil = one reranker
    /// (a single run or a depth sweep). A name given twice is one model at two depths.
    public var names: [String]?
    /// Cheaper alternatives without a reranker (`--baseline NAME=RUN`): BM25, dense, hybrid.
    public var baselines: [NamedRun] = []
    /// The query file, for the query texts of the per-query drill-down (nil = ids only).
    public var queriesPath: String?
    /// Looks up document texts for the drill-down (from an index or a corpus); nil = ids only.
    public var documentTexts: (@Sendable (Set<String>) throws -> [String: String])?
    /// Queries listed in the drill-down on each side (lost most, won most); 0 = none.
    public var drillDown: Int = 5

    /// A request with default settings.
    public init(qrelsPath: String, firstStagePath: String, rerankedPaths: [String], timingsPaths: [String] = [], outDir: String) {
        self.qrelsPath = qrelsPath
        self.firstStagePath = firstStagePath
        self.rerankedPaths = rerankedPaths
        self.timingsPaths = timingsPaths
        self.outDir = outDir
    }
}

/// A run with the name the report shows for it.
public struct NamedRun: Sendable, Equatable {
    /// The name (`bm25`, `dense`, `hybrid`, a model's name).
    public var name: String
    /// The run file.
    public var path: String

    /// A named run.
    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// The figures of the report (everything the Markdown, JSON, CSV and SVG show).
public struct DecisionReport: Sendable {
    /// Recall headroom of the first stage at depth N.
    public struct Headroom: Sendable {
        public var depth: Int
        /// Mean Recall@N of the first stage (trec_eval recall.N).
        public var recallAtDepth: Double
        /// Mean Recall@k of the first stage.
        public var recallAtK: Double
        /// Queries with at least one relevant judged document.
        public var queriesWithRelevant: Int
        /// ... with a relevant document in the first stage's top k.
        public var alreadyInTopK: Int
        /// ... with relevant documents only between rank k+1 and N: what a reranker can fix.
        public var fixable: Int
        /// ... with no relevant document in the top N: a recall problem no reranker fixes.
        public var unreachable: Int
        /// Mean nDCG@k of the best possible reordering of the first stage's top N.
        public var oracleNDCG: Double

        func share(_ n: Int) -> Double { queriesWithRelevant > 0 ? Double(n) / Double(queriesWithRelevant) : 0 }
        public var fixableShare: Double { share(fixable) }
        public var unreachableShare: Double { share(unreachable) }
        public var alreadyShare: Double { share(alreadyInTopK) }
    }

    /// Reranking cost from a timings file.
    public struct Cost: Sendable {
        public var path: String
        public var queries: Int
        public var p50: Double
        public var p95: Double
        public var meanMilliseconds: Double
        public var totalPairs: Int
        public var pairsPerQuery: Double
        public var tokensPerQuery: Double
        /// Evaluated queries without a timing record.
        public var missing: Int
    }

    /// One reranked run against the first stage.
    public struct Comparison: Sendable {
        /// The configuration's name: `NAME` or `NAME@depth` (named runs), else `depth N`.
        public var name: String
        public var rerankedPath: String
        public var depth: Int
        /// Means over the evaluated queries, in the order of ``DecisionReport/topMetrics``.
        public var firstStage: [Double]
        public var reranked: [Double]
        public var wins: Int
        public var ties: Int
        public var losses: Int
        /// Paired randomisation test p-value on per-query nDCG@k.
        public var pRandomisation: Double
        public var tStatistic: Double
        public var pTTest: Double
        public var headroom: Headroom
        public var cost: Cost?
        /// Evaluated queries absent from the reranked run (counted as 0).
        public var missingInReranked: Int
        /// nDCG@k of every evaluated query (the order of the qrels), for the paired tests.
        public var perQuery: [Double]
        /// The configuration's model name (`--reranked NAME=RUN`), nil for an unnamed run.
        public var model: String?

        public var ndcgGain: Double { reranked[0] - firstStage[0] }
    }

    /// The verdict: a label, a one-line reason.
    public struct Verdict: Sendable {
        public enum Label: String, Sendable {
            case pays = "reranking pays"
            case hurts = "reranking hurts"
            case precise = "the first stage is already precise"
            case recall = "recall is the problem"
            case notSignificant = "gain not significant"
            case doesNotFit = "pays but does not fit"
            case baselineBetter = "the baseline is better"
            case baselineAsGood = "no better than the baseline"
        }
        public var label: Label
        public var reason: String
    }

    public var request: ReportOptions
    /// nDCG@k, P@k, MRR@k, Recall@k.
    public var topMetrics: [Metric]
    public var judgedQueries: Int
    public var evaluatedQueries: Int
    public var unjudgedFirstStageQueries: Int
    /// One per reranked run (sweep order).
    public var comparisons: [Comparison]
    /// Index into ``comparisons`` of the one the verdict is about.
    public var chosen: Int
    /// Index into ``comparisons`` of the smallest depth keeping ``VerdictThresholds/keepGain`` of the best gain.
    public var cheapest: Int?
    public var verdict: Verdict
    /// With several named configurations: the best one, the paired tests against it and the
    /// cheapest configuration indistinguishable from it (the verdict's).
    public var choice: ModelChoice?
    /// The baselines, each against the verdict's configuration.
    public var baselines: [Baseline] = []
    /// Index into ``baselines`` of the best one (highest nDCG@k), which rule 7 compares.
    public var bestBaseline: Int?
    /// The queries the verdict's configuration lost and won most on.
    public var drillDown: DrillDown?
    /// The evaluated query ids, in the order of the qrels.
    public var queryIDs: [String] = []
    /// nDCG@k of the first stage for every evaluated query.
    public var firstStagePerQuery: [Double] = []

    /// Reads the inputs and computes every figure.
    public static func make(_ req: ReportOptions) throws -> DecisionReport {
        let qrels = try Qrels.read(path: req.qrelsPath)
        guard !qrels.queryIDs.isEmpty else { throw IndexerError.badInput("the qrels file holds no judgments", path: req.qrelsPath) }
        let first = try TrecRun.read(path: req.firstStagePath)
        let k = req.k
        let top: [Metric] = [.ndcg(cut: k), .precision(cut: k), .mrr(cut: k), .recall(cut: k)]
        let queries = qrels.queryIDs.filter { req.rules.allJudged || first.entries(for: $0) != nil }
        guard !queries.isEmpty else {
            throw IndexerError.badInput("no judged query of \(req.qrelsPath) is in the first-stage run", path: req.firstStagePath)
        }
        let unjudged = first.queries.filter { qrels.judgments[$0.qid] == nil }.count
        let level = req.rules.relevanceLevel
        let firstRankings = queries.map { JudgedRanking(entries: first.entries(for: $0) ?? [], judgments: qrels[$0], relevanceLevel: level) }
        let firstValues = top.map { m in firstRankings.map { $0.value(m) } }
        let scored = Scored(qrels: qrels, queries: queries, metrics: top, level: level)

        var comparisons: [Comparison] = []
        var runs: [TrecRun] = []
        for (i, path) in req.rerankedPaths.enumerated() {
            let (comparison, run) = try compare(
                i, path: path, req, scored: scored, queries: queries, firstRankings: firstRankings, firstValues: firstValues)
            comparisons.append(comparison)
            runs.append(run)
        }
        Self.nameConfigurations(&comparisons)
        let choice = req.names != nil && comparisons.count > 1 ? Self.cheapestIndistinguishable(comparisons, req) : nil
        let chosen = choice?.chosen ?? Self.recommended(comparisons, tolerance: req.thresholds.sweepTolerance)
        var report = DecisionReport(
            request: req, topMetrics: top, judgedQueries: qrels.queryIDs.count, evaluatedQueries: queries.count,
            unjudgedFirstStageQueries: unjudged, comparisons: comparisons, chosen: chosen,
            cheapest: req.names == nil ? Self.cheapestDepth(comparisons, keepGain: req.thresholds.keepGain) : nil,
            verdict: Self.verdict(comparisons[chosen], k: k, t: req.thresholds, permutations: req.permutations),
            choice: choice, queryIDs: queries, firstStagePerQuery: firstValues[0])
        if report.verdict.label == .pays {
            // The budget rule looks at the depths of the verdict's model only.
            let same = comparisons.indices.filter { comparisons[$0].model == comparisons[chosen].model }
            if let fit = Self.budgetVerdict(same.map { comparisons[$0] }, chosen: same.firstIndex(of: chosen)!, t: req.thresholds) {
                report.verdict = fit
            }
        }
        if let choice { report.verdict.reason = choice.sentence(comparisons, report) + " " + report.verdict.reason }
        try report.addBaselines(scored)
        report.drillDown = try DrillDown.make(report, first: first, reranked: runs[chosen], qrels: qrels)
        return report
    }

    /// The reranked run `i` (at `path`) against the first stage: figures, significance, headroom, cost.
    static func compare(
        _ i: Int, path: String, _ req: ReportOptions, scored: Scored, queries: [String],
        firstRankings: [JudgedRanking], firstValues: [[Double]]
    ) throws -> (Comparison, TrecRun) {
        let rr = try TrecRun.read(path: path)
        // Without a stated depth: the most pairs a query had scored (timings), else the
        // longest list (a run written with --tail drop holds exactly the reranked head).
        let timedDepth = i < req.timingsPaths.count ? try RerankTimings.read(path: req.timingsPaths[i]).map(\.pairs).max() : nil
        let depth = req.sweep?[i] ?? req.depth ?? timedDepth ?? rr.queries.map(\.entries.count).max() ?? 0
        guard depth > 0 else { throw IndexerError.badInput("the reranked run is empty", path: path) }
        let (values, missing) = scored.values(rr)
        let diffs = zip(values[0], firstValues[0]).map { $0 - $1 }
        let eps = 1e-12
        let wins = diffs.filter { $0 > eps }.count, losses = diffs.filter { $0 < -eps }.count
        let t = Statistics.pairedTTest(differences: diffs)
        let cost = i < req.timingsPaths.count ? try Self.cost(path: req.timingsPaths[i], queries: queries) : nil
        let comparison = Comparison(
            name: "depth \(depth)", rerankedPath: path, depth: depth,
            firstStage: firstValues.map(mean), reranked: values.map(mean),
            wins: wins, ties: diffs.count - wins - losses, losses: losses,
            pRandomisation: Statistics.randomisationTest(differences: diffs, permutations: req.permutations, seed: req.seed),
            tStatistic: t.t, pTTest: t.p, headroom: Self.headroom(firstRankings, depth: depth, k: req.k), cost: cost,
            missingInReranked: missing, perQuery: values[0], model: req.names?[i])
        return (comparison, rr)
    }

    static func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }

    static func headroom(_ rankings: [JudgedRanking], depth: Int, k: Int) -> Headroom {
        var withRel = 0, already = 0, fixable = 0, unreachable = 0
        var oracle: [Double] = []
        for r in rankings {
            let topN = Array(r.grades.prefix(depth))
            // Best reordering of the candidates: relevant grades first, highest first.
            let best = topN.sorted { ($0 ?? Int.min) > ($1 ?? Int.min) }
            oracle.append(
                JudgedRanking(
                    grades: best, relevantCount: r.relevantCount, idealGains: r.idealGains,
                    relevanceLevel: r.relevanceLevel
                ).ndcg(cut: k))
            guard r.relevantCount > 0 else { continue }
            withRel += 1
            if let first = r.firstRelevantRank, first <= depth {
                if first <= k { already += 1 } else { fixable += 1 }
            } else {
                unreachable += 1
            }
        }
        return Headroom(
            depth: depth, recallAtDepth: mean(rankings.map { $0.recall(cut: depth) }),
            recallAtK: mean(rankings.map { $0.recall(cut: k) }), queriesWithRelevant: withRel,
            alreadyInTopK: already, fixable: fixable, unreachable: unreachable, oracleNDCG: mean(oracle))
    }

    static func cost(path: String, queries: [String]) throws -> Cost {
        let timings = try RerankTimings.read(path: path)
        guard !timings.isEmpty else { throw IndexerError.badInput("the timings file is empty", path: path) }
        let wanted = Set(queries)
        let used = timings.filter { wanted.contains($0.qid) }
        let base = used.isEmpty ? timings : used
        let ms = base.map(\.milliseconds)
        let pairs = base.reduce(0) { $0 + $1.pairs }
        let tokens = base.reduce(0) { $0 + $1.tokens }
        let have = Set(timings.map(\.qid))
        return Cost(
            path: path, queries: base.count, p50: Statistics.percentile(ms, 50) ?? 0, p95: Statistics.percentile(ms, 95) ?? 0,
            meanMilliseconds: mean(ms), totalPairs: pairs, pairsPerQuery: Double(pairs) / Double(base.count),
            tokensPerQuery: Double(tokens) / Double(base.count), missing: queries.filter { !have.contains($0) }.count)
    }

    /// The smallest depth whose nDCG@k is within `tolerance` of the best (the only one without a sweep).
    static func recommended(_ c: [Comparison], tolerance: Double) -> Int {
        let best = c.map { $0.reranked[0] }.max() ?? 0
        let order = c.indices.sorted { c[$0].depth < c[$1].depth }
        return order.first { c[$0].reranked[0] >= best - tolerance } ?? 0
    }

    static func verdict(_ c: Comparison, k: Int, t: VerdictThresholds, permutations: Int) -> Verdict {
        let gain = c.ndcgGain
        let p = c.pRandomisation
        let h = c.headroom
        let before = fixed4(c.firstStage[0]), after = fixed4(c.reranked[0])
        let change =
            "nDCG@\(k) \(before) -> \(after) (\(signed(gain)), \(randomisationText(p, permutations: permutations)), \(c.wins) wins / \(c.ties) ties / \(c.losses) losses)"
        let cost = c.cost.map { String(format: " at %.0f ms per query (p50)", $0.p50) } ?? ""
        if gain >= t.minimumGain && p < t.alpha {
            return Verdict(label: .pays, reason: "\(change)\(cost); gain >= \(t.minimumGain) and p < \(t.alpha).")
        }
        if gain <= -t.minimumGain && p < t.alpha {
            return Verdict(label: .hurts, reason: "\(change); the reranked run is significantly worse.")
        }
        let headroom = h.oracleNDCG - c.firstStage[0]
        if headroom < t.preciseHeadroom {
            return Verdict(
                label: .precise,
                reason: String(
                    format: "a perfect reordering of the top %d would raise nDCG@%d by only %@ (< %@); %@.", h.depth, k, signed(headroom),
                    "\(t.preciseHeadroom)", change))
        }
        if h.unreachableShare >= t.recallProblemShare {
            return Verdict(
                label: .recall,
                reason: String(
                    format: "%.0f%% of queries with a relevant document have none in the first stage's top %d (>= %.0f%%): no reranker fixes that; %@.",
                    h.unreachableShare * 100, h.depth, t.recallProblemShare * 100, change))
        }
        let why = p >= t.alpha ? "p >= \(t.alpha)" : "the change is below the \(t.minimumGain) minimum"
        return Verdict(label: .notSignificant, reason: "\(change); \(why).")
    }
}

func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + String(format: "%.4f", v) }

/// "p = 0.0123", or "p < 0.0001" style when no permutation was as extreme as the observation.
func randomisationText(_ p: Double, permutations: Int) -> String {
    if p <= 1.0 / Double(permutations + 1) + 1e-15 { return "p < \(pValue(1.0 / Double(permutations)))" }
    return "p = \(pValue(p))"
}

func pValue(_ p: Double) -> String { p < 0.0001 ? String(format: "%.1e", p) : String(format: "%.4f", p) }
