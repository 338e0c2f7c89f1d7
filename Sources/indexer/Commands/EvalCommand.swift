import Evaluation
import Formats
import Foundation

/// `indexer eval`: trec_eval's figures for one or more runs.
struct EvalCommand: Command {
    static let name = "eval"
    static let summary = "evaluate TREC runs against qrels, exactly as trec_eval does"
    static let synopsis = ["eval --qrels FILE [--metrics LIST] [--per-query] [--json] [--all-judged] [--relevance-level N] RUN..."]
    static let about = """
        Prints one row per run (a table, or JSON with --json) with trec_eval's figures:
          ndcg@K  = ndcg_cut.K      recall@K = recall.K     p@K = P.K
          map     = map             map@K    = map_cut.K    ndcg = ndcg
          mrr@K   = recip_rank of the ranking cut at K      mrr  = recip_rank (uncut)
        Documents are re-sorted by score (ties by document id, descending, as trec_eval does; the
        rank field is ignored). Grades >= --relevance-level (default 1) are relevant; nDCG gains are
        the grades. Queries in a run but not in the qrels are ignored; judged queries missing from a
        run are skipped (the mean is over the evaluated queries) unless --all-judged counts them as 0
        (trec_eval -c).
        """
    static let options: [OptionSpec] = [
        .option("--qrels", "FILE", "TREC qrels (qid iter docid rel) or BEIR TSV (query-id corpus-id score)", path: true),
        .option("--metrics", "LIST", "comma-separated", default: "ndcg@10,recall@100,mrr@10,map,p@10"),
        .flag("--per-query", "also one row per query (then 'all' for the mean)"),
        .flag("--json", "JSON on standard output instead of a table"),
        .flag("--all-judged", "judged queries missing from a run count as 0 (trec_eval -c)"),
        .option("--relevance-level", "N", "lowest relevant grade (trec_eval -l)", default: "1"),
    ]
    static let operands = Operands.paths

    let request: EvalOptions

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard !a.positionals.isEmpty else { throw IndexerError(.usage, "give at least one RUN file") }
        let metrics = try a.string("--metrics").map(Metric.parseList) ?? Metric.defaults
        let level = try a.int("--relevance-level", default: 1, in: 0...1_000_000) ?? 1
        request = EvalOptions(
            qrelsPath: try a.required("--qrels"), runPaths: a.positionals, metrics: metrics,
            perQuery: a.flag("--per-query"), json: a.flag("--json"),
            rules: EvaluationRules(relevanceLevel: level, allJudged: a.flag("--all-judged")))
    }

    func run() throws {
        let text = try EvalTool.run(request)
        try StandardOutput.write(text)
    }
}
