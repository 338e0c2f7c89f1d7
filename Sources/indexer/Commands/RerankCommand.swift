import Formats
import Foundation
import Inference
import Reranking

/// `indexer rerank`: rescore the top of a first-stage run with a cross-encoder.
struct RerankCommand: Command {
    static let name = "rerank"
    static let summary = "rerank the top K candidates of a run with a cross-encoder"
    static let synopsis = [
        "rerank --candidates RUN --queries FILE --docs INDEX_DIR|CORPUS --depth K --out RUN [--model DIR|hf:ORG/NAME[@REV]] "
            + "[--tail keep|drop] [--batch-size B] [--max-length N] [--interpolate W] [--timings FILE] [--tag NAME] "
            + "[--threads T] [--precision P] [--quiet]"
    ]
    static let about = """
        Per query, the first K candidates of RUN (first-stage order: score descending, then the rank
        field, then file order) are scored by the cross-encoder and sorted by its score (ties keep
        first-stage order); with an interpolation weight W (--interpolate, or the model's declared
        one), by (1 - W) z(cross-encoder) + W z(first stage), each standardised over the query's K
        scores. The tail below K keeps its first-stage order under them (keep, the
        default: tail scores are min(head) - 1 - i) or is dropped. Queries are written in RUN's
        order. The output is the same bytes for any batch size or thread count.
        """
    static let options: [OptionSpec] = [
        .option("--candidates", "RUN", "first-stage TREC run (any tool)", path: true),
        .option("--queries", "FILE", "queries (BEIR queries.jsonl or qid<TAB>text TSV)", path: true),
        .option("--docs", "PATH", "index folder (reads the shards' text) or corpus file (BEIR JSON lines / TSV)", path: true),
        .option("--depth", "K", "candidates reranked per query (1...1000000)"),
        .option("--out", "RUN", "reranked run (written atomically; - for stdout)", path: true),
        .option(
            "--model", "M",
            "cross-encoder folder, or hf:ORG/NAME[@REV] (downloaded into the Hub cache; HF_ENDPOINT, HF_HOME, "
                + "HF_HUB_OFFLINE, HF_TOKEN apply)", default: "models/indexer-reranker-minilm-l6", path: true),
        .option("--tail", "keep|drop", "what to do below K", default: "keep", choices: TailPolicy.allCases.map(\.rawValue)),
        .option("--batch-size", "B", "pairs per model call; does not change the output", default: "32"),
        .option(
            "--max-length", "N", "word pieces per pair, special tokens included",
            default: "the model's tokenizer_config.json model_max_length, else 512"),
        .option(
            "--interpolate", "W",
            "weight of the first stage's score in the head's order, 0...1; scale-free (per-query z-scores)",
            default: "the model's config.json indexer_interpolate (the default reranker: 0.2), else 0 (the cross-encoder alone)"),
        .option("--timings", "FILE", "JSON lines, one a query: pairs, tokens, ms (read by indexer report)", path: true),
        .option("--tag", "NAME", "run tag", default: "rerank"),
        .threadsOption("model threads"),
        .precisionOption("cross-encoder (docs/QUANTISATION.md)"),
        .quiet(),
        .logJSON,
    ]

    let options: RerankOptions

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else {
            throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'")
        }
        guard let depth = try a.int("--depth", in: RerankOptions.depthRange) else { throw IndexerError(.usage, "--depth K is required") }
        var o = RerankOptions(
            candidatesPath: try a.required("--candidates"), queriesPath: try a.required("--queries"),
            docsPath: try a.required("--docs"), depth: depth, outPath: try a.required("--out"))
        o.model = a.string("--model")
        o.tail = TailPolicy(rawValue: try a.choice("--tail", TailPolicy.allCases.map(\.rawValue), default: "keep")) ?? .keep
        o.batchSize = try a.int("--batch-size", default: RerankOptions.defaultBatchSize, in: RerankOptions.batchSizeRange)!
        o.maxLength = try a.int("--max-length", in: RerankOptions.maxLengthRange)
        o.interpolate = try a.double("--interpolate")
        o.timingsPath = a.string("--timings")
        o.tag = a.string("--tag") ?? "rerank"
        o.threads = try a.int("--threads", in: CPUBudget.threadRange)
        o.progress = !a.flag("--quiet")
        o.precision = try a.precision()
        try RerankJob.validate(o)
        options = o
    }

    func run() throws {
        let inputs = [("candidate run", options.candidatesPath), ("queries", options.queriesPath), ("documents", options.docsPath)]
        try OutputPath.refuseOverwriting(output: ("reranked run", options.outPath), inputs: inputs)
        if let t = options.timingsPath { try OutputPath.refuseOverwriting(output: ("timings", t), inputs: inputs) }
        if options.precision != .fp32 { Console.info("rerank: precision \(options.precision.kernelPath)") }
        let s = try RerankJob.run(options)
        let rate = s.scoringSeconds > 0 ? Double(s.pairs) / s.scoringSeconds : 0
        Console.info(
            String(
                format:
                    "reranked %d queries: %d pairs, %d word pieces in %.1f s (%.1f pairs/s); wrote %d lines to %@ (model %@, max length %d, interpolation %g)",
                s.queries, s.pairs, s.tokens, s.scoringSeconds, rate, s.lines, options.outPath, s.modelDirectory, s.maxLength, s.interpolate))
    }
}
