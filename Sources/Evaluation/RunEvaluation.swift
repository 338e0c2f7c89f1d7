import Formats

/// How queries are chosen and what counts as relevant; trec_eval's defaults unless changed.
public struct EvaluationRules: Sendable, Equatable {
    /// Grades >= this are relevant for P, recall, MRR and AP (trec_eval `-l`, default 1).
    public var relevanceLevel: Int
    /// Judged queries missing from the run count as zero and the mean is over all judged
    /// queries (trec_eval `-c`); by default they are skipped.
    public var allJudged: Bool

    /// trec_eval's defaults: level 1, missing queries skipped.
    public init(relevanceLevel: Int = 1, allJudged: Bool = false) {
        self.relevanceLevel = relevanceLevel
        self.allJudged = allJudged
    }
}

/// The figures of one run: per query and averaged.
public struct RunEvaluation: Sendable {
    /// One evaluated query.
    public struct QueryResult: Sendable {
        /// The query id.
        public var qid: String
        /// One value per metric, in the order of ``RunEvaluation/metrics``.
        public var values: [Double]
        /// True when the query is judged but absent from the run (counted as zero, `--all-judged`).
        public var missing: Bool
    }

    /// The run's path.
    public var runPath: String
    /// The measures, in output order.
    public var metrics: [Metric]
    /// The rules used.
    public var rules: EvaluationRules
    /// Evaluated queries in the order of the qrels file.
    public var queries: [QueryResult]
    /// Mean of each metric over ``queries`` (0 when there is none).
    public var means: [Double]
    /// Number of queries in the qrels.
    public var judgedQueryCount: Int
    /// Judged queries absent from the run (skipped, or zero with `allJudged`).
    public var missingJudged: [String]
    /// Run queries without judgments (ignored, as trec_eval does).
    public var unjudgedRunQueries: [String]

    /// The mean of `metric`, if it was computed.
    public func mean(_ metric: Metric) -> Double? {
        metrics.firstIndex(of: metric).map { means[$0] }
    }

    /// Per-query values of `metric` keyed by query id.
    public func perQuery(_ metric: Metric) -> [String: Double] {
        guard let k = metrics.firstIndex(of: metric) else { return [:] }
        var out: [String: Double] = [:]
        for q in queries { out[q.qid] = q.values[k] }
        return out
    }
}

/// trec_eval-exact evaluation of runs against qrels.
public enum Evaluator {
    /// Evaluates `run` against `qrels` with trec_eval's rules (see ``JudgedRanking``).
    ///
    /// Queries in the run but not in the qrels are ignored; judged queries absent from the run
    /// are skipped, or count as zero with ``EvaluationRules/allJudged``. The mean is over the
    /// evaluated queries, accumulated in qrels order (the order does not change the value
    /// beyond the last bit; trec_eval sums in query-id order).
    public static func evaluate(run: TrecRun, qrels: Qrels, metrics: [Metric], rules: EvaluationRules = EvaluationRules()) -> RunEvaluation {
        var results: [RunEvaluation.QueryResult] = []
        var missing: [String] = []
        for qid in qrels.queryIDs {
            let judgments = qrels[qid]
            if let entries = run.entries(for: qid) {
                let ranking = JudgedRanking(entries: entries, judgments: judgments, relevanceLevel: rules.relevanceLevel)
                results.append(.init(qid: qid, values: metrics.map { ranking.value($0) }, missing: false))
            } else {
                missing.append(qid)
                if rules.allJudged {
                    results.append(.init(qid: qid, values: metrics.map { _ in 0 }, missing: true))
                }
            }
        }
        var means = [Double](repeating: 0, count: metrics.count)
        if !results.isEmpty {
            for r in results { for k in 0..<metrics.count { means[k] += r.values[k] } }
            for k in 0..<metrics.count { means[k] /= Double(results.count) }
        }
        let unjudged = run.queries.map(\.qid).filter { qrels.judgments[$0] == nil }
        return RunEvaluation(
            runPath: run.path, metrics: metrics, rules: rules, queries: results, means: means,
            judgedQueryCount: qrels.queryIDs.count, missingJudged: missing, unjudgedRunQueries: unjudged)
    }
}
