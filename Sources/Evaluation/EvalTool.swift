import Formats
import Foundation

/// What `indexer eval` was asked to do.
public struct EvalOptions: Sendable {
    /// The qrels file.
    public var qrelsPath: String
    /// The run files, one table row each.
    public var runPaths: [String]
    /// The measures, in column order.
    public var metrics: [Metric]
    /// Print one row per query as well.
    public var perQuery: Bool
    /// JSON instead of a table.
    public var json: Bool
    /// Query selection and relevance rules.
    public var rules: EvaluationRules

    /// A request with trec_eval's default rules.
    public init(
        qrelsPath: String, runPaths: [String], metrics: [Metric] = Metric.defaults, perQuery: Bool = false,
        json: Bool = false, rules: EvaluationRules = EvaluationRules()
    ) {
        self.qrelsPath = qrelsPath
        self.runPaths = runPaths
        self.metrics = metrics
        self.perQuery = perQuery
        self.json = json
        self.rules = rules
    }
}

/// `indexer eval`: reads qrels and runs, evaluates, renders a table or JSON.
public enum EvalTool {
    /// Evaluates every run of `request`; returns the text for standard output. Notes about
    /// skipped or ignored queries go to standard error.
    public static func run(_ request: EvalOptions) throws -> String {
        let results = try evaluate(request)
        return request.json ? json(results, request: request) + "\n" : table(results, request: request)
    }

    /// Reads the qrels and every run of `request` and evaluates each: the one evaluation that
    /// `indexer eval` and a job's eval step share. With `notes`, skipped or ignored queries are
    /// said on standard error.
    public static func evaluate(_ request: EvalOptions, notes: Bool = true) throws -> [RunEvaluation] {
        let qrels = try Qrels.read(path: request.qrelsPath)
        guard !qrels.queryIDs.isEmpty else {
            throw IndexerError.badInput("the qrels file holds no judgments", path: request.qrelsPath)
        }
        var results: [RunEvaluation] = []
        for path in request.runPaths {
            let run = try TrecRun.read(path: path)
            let r = Evaluator.evaluate(run: run, qrels: qrels, metrics: request.metrics, rules: request.rules)
            if notes && !r.unjudgedRunQueries.isEmpty {
                Console.info("\(path): \(r.unjudgedRunQueries.count) run queries have no judgments and are ignored")
            }
            if notes && !r.missingJudged.isEmpty {
                let what = request.rules.allJudged ? "count as 0 (--all-judged)" : "are skipped (--all-judged counts them as 0)"
                Console.info("\(path): \(r.missingJudged.count) of \(r.judgedQueryCount) judged queries are not in the run and \(what)")
            }
            results.append(r)
        }
        return results
    }

    static func table(_ results: [RunEvaluation], request: EvalOptions) -> String {
        let names = uniqueNames(results.map(\.runPath))
        var header = ["run"]
        if request.perQuery { header.append("query") }
        header.append("queries")
        header += request.metrics.map(\.name)
        var rows: [[String]] = []
        for (r, name) in zip(results, names) {
            if request.perQuery {
                for q in r.queries {
                    rows.append([name, q.qid, q.missing ? "missing" : ""] + q.values.map(fixed4))
                }
                rows.append([name, "all", String(r.queries.count)] + r.means.map(fixed4))
            } else {
                rows.append([name, String(r.queries.count)] + r.means.map(fixed4))
            }
        }
        let textColumns = request.perQuery ? 2 : 1
        return TextTable.render(header: header, rows: rows, leftAligned: textColumns)
    }

    static func json(_ results: [RunEvaluation], request: EvalOptions) -> String {
        let runs: [JSONValue] = results.map { r in
            var pairs: [(String, JSONValue)] = [
                ("run", .string(r.runPath)),
                ("evaluatedQueries", .int(r.queries.count)),
                ("judgedQueries", .int(r.judgedQueryCount)),
                ("missingJudgedQueries", .int(r.missingJudged.count)),
                ("unjudgedRunQueries", .int(r.unjudgedRunQueries.count)),
                ("means", .object(zip(r.metrics, r.means).map { ($0.name, .number($1)) })),
            ]
            if request.perQuery {
                pairs.append(
                    (
                        "perQuery",
                        .array(
                            r.queries.map { q in
                                var p: [(String, JSONValue)] = [("qid", .string(q.qid))]
                                if q.missing { p.append(("missing", .bool(true))) }
                                p += zip(r.metrics, q.values).map { ($0.name, .number($1)) }
                                return .object(p)
                            })
                    ))
            }
            return .object(pairs)
        }
        return JSONValue.object([
            ("qrels", .string(request.qrelsPath)),
            ("relevanceLevel", .int(request.rules.relevanceLevel)),
            ("allJudged", .bool(request.rules.allJudged)),
            ("metrics", .array(request.metrics.map { .string($0.name) })),
            ("trecEvalNames", .array(request.metrics.map { .string($0.trecEvalName) })),
            ("runs", .array(runs)),
        ]).rendered()
    }

    /// File names when they are distinct, full paths otherwise.
    static func uniqueNames(_ paths: [String]) -> [String] {
        let base = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
        return Set(base).count == base.count ? base : paths
    }
}
