import Formats
import Foundation
import Indexing
import Inference
import Lexical
import Retrieval

/// `indexer search`: exact top-N dense retrieval of a query file over an index.
struct SearchCommand: Command {
    static let name = "search"
    static let summary = "exact top-N dense, BM25 or hybrid search of a query file over an index (TREC run)"
    static let synopsis = [
        "search --index INDEX_DIR --queries FILE --top-n N --out RUN [--qrels FILE] [--tag NAME] [--shard-id I|env] [--model M] "
            + "[--query-prompt P] [--document-prompt P] [--batch-size B] [--threads T] [--retriever dense|bm25|hybrid] "
            + "[--k1 K1] [--b B] [--fusion rrf|minmax] [--rrf-k K] [--fusion-depth D] [--component-runs PREFIX] [--precision P] "
            + "[--quiet] [--query-vectors FILE]",
        "search --index INDEX_DIR --queries FILE [--qrels FILE] [--model DIR] --write-query-vectors FILE",
    ]
    static let about = """
        Embeds every query once with the index's bi-encoder, scores it against every document
        of every shard by exact inner product, and writes the top N a query as a TREC run
        (qid Q0 docid rank score tag; ranks from 1; queries in file order). Ties: score
        descending, then document id ascending (UTF-8 bytes). The run is the same bytes for
        any thread count, batch size or shard count (docs/SEARCH.md).
        """
    static let options: [OptionSpec] = [
        .option("--index", "INDEX_DIR", "the index folder (indexer build)", path: true),
        .option("--queries", "FILE", "BEIR queries.jsonl or TSV qid<TAB>text (plain or .gz)", path: true),
        .option("--top-n", "N", "results a query (1...1000000)"),
        .option("--out", "RUN", "the run file written (- for stdout)", path: true),
        .option("--qrels", "FILE", "search only the queries judged in this qrels file (a BEIR split)", path: true),
        .option("--tag", "NAME", "run tag", default: "indexer-RETRIEVER"),
        .option(
            "--shard-id", "I|env",
            "search only shard I and write a partial run for indexer merge, with its sidecar RUN.partial.json (index, "
                + "shard, query digest); env: I is JOB_COMPLETION_INDEX, else SLURM_ARRAY_TASK_ID (without --shard-id "
                + "those variables are ignored)"),
        .modelOption("bi-encoder", more: "; it must be the model the index was built with"),
        .option("--query-prompt", "P", "query prompt override; it must be the build's (the fingerprint holds it)"),
        .option("--document-prompt", "P", "document prompt override; it must be the build's"),
        .option("--batch-size", "B", "queries a model call; does not change the output", default: "64"),
        .threadsOption(),
        .option(
            "--retriever", "R",
            "dense: the bi-encoder; bm25: the shards' lexical index (indexer build --lexical; no model needed); hybrid: "
                + "both, each cut at --fusion-depth, fused into one candidate list", default: "dense",
            choices: ["dense", "bm25", "hybrid"]),
        .option("--k1", "K1", "BM25 k1, 0...1000", default: "0.9, Anserini's"),
        .option("--b", "B", "BM25 b, 0...1", default: "0.4, Anserini's"),
        .option("--fusion", "F", "hybrid fusion: rrf or minmax (docs/SEARCH.md)", default: "rrf", choices: ["rrf", "minmax"]),
        .option("--rrf-k", "K", "the RRF constant, 0...1000000 (hybrid)", default: "\(Int(FusionMethod.defaultK))"),
        .option(
            "--fusion-depth", "D",
            "hybrid: results taken from each list before fusion, \(FusionMethod.depthRange.lowerBound)...\(FusionMethod.depthRange.upperBound)",
            default: "\(FusionMethod.defaultDepth)"),
        .option(
            "--component-runs", "PREFIX",
            "hybrid: also write the two fused lists, each cut at N, as PREFIX.bm25.run and PREFIX.dense.run (the "
                + "bytes of a bm25 and a dense search of N), so a report can show them beside the fused run", path: true),
        .option(
            "--write-query-vectors", "FILE",
            "embed the queries once into FILE (model and query digest in its header) and search nothing: no --top-n, "
                + "--out or --shard-id", path: true),
        .option(
            "--query-vectors", "FILE",
            "take the query vectors from FILE instead of embedding them; a file from another model, dimension or "
                + "query file is refused", path: true),
        .precisionOption("query encoder: the index's (it is in the fingerprint)"),
        .quiet("no progress or summary on stderr"),
        .logJSON,
    ]
    static let notes = """
        BM25 statistics (N, average length, df) are those of the whole index, also with
        --shard-id, so partial BM25 runs merge into the one-machine run (docs/LEXICAL.md).
        Hybrid searches every shard (fusion needs global ranks); distributed, run bm25 and dense
        partials, indexer merge each, then indexer fuse.

        Queries with empty text, or without result, are reported on stderr and get no lines.
        """

    let options: SearchOptions
    /// `--write-query-vectors FILE`: embed the queries into FILE and search nothing.
    let writeVectors: String?

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
        writeVectors = a.string("--write-query-vectors")
        if writeVectors != nil {
            for name in ["--top-n", "--out", "--shard-id", "--query-vectors", "--retriever"] where a.string(name) != nil {
                throw IndexerError(.usage, "--write-query-vectors only embeds the queries; \(name) belongs to the searches that read them")
            }
        }
        let n = writeVectors != nil ? 1 : try a.int("--top-n", in: SearchOptions.topNRange) ?? { throw IndexerError(.usage, "missing --top-n") }()
        var o = SearchOptions(
            indexDirectory: try a.required("--index"), queriesPath: try a.required("--queries"),
            topN: n, outPath: writeVectors != nil ? "" : try a.required("--out"))
        o.queryVectorsPath = a.string("--query-vectors")
        o.qrelsPath = a.string("--qrels")
        if let t = a.string("--tag") {
            guard !t.isEmpty, !t.contains(where: { $0.isWhitespace }) else { throw IndexerError(.usage, "--tag must be one word, not '\(t)'") }
            o.tag = t
        }
        o.shardID = try BuildOptions.workerShard(a.string("--shard-id"), shardCount: nil, environment: ProcessInfo.processInfo.environment)
        if let m = a.string("--model") { o.modelDirectory = m }
        o.queryPrompt = a.string("--query-prompt")
        o.documentPrompt = a.string("--document-prompt")
        o.batchSize = try a.int("--batch-size", default: SearchOptions.defaultBatchSize, in: SearchOptions.batchSizeRange)!
        o.threads = try a.int("--threads", in: CPUBudget.threadRange)
        o.quiet = a.flag("--quiet")
        o.precision = try a.precision()
        o.retriever = Retriever(rawValue: try a.choice("--retriever", ["dense", "bm25", "hybrid"], default: "dense"))!
        if a.string("--tag") == nil { o.tag = "indexer-" + o.retriever.rawValue }
        func positive(_ name: String, default d: Float, max: Float) throws -> Float {
            guard let s = a.string(name) else { return d }
            guard let v = Float(s), v.isFinite, v >= 0, v <= max else {
                throw IndexerError(.usage, "\(name) takes a number in 0...\(max), not '\(s)'")
            }
            return v
        }
        o.bm25 = BM25Parameters(k1: try positive("--k1", default: 0.9, max: 1000), b: try positive("--b", default: 0.4, max: 1))
        let fusion = try a.choice("--fusion", ["rrf", "minmax"], default: "rrf")
        let k = try a.int("--rrf-k", default: Int(FusionMethod.defaultK), in: SearchOptions.rrfKRange)!
        o.fusion = fusion == "rrf" ? .rrf(k: Double(k)) : .minMax
        o.fusionDepth = try a.int("--fusion-depth", default: FusionMethod.defaultDepth, in: FusionMethod.depthRange)!
        o.componentRunsPrefix = a.string("--component-runs")
        if o.retriever != .hybrid {
            for name in ["--fusion", "--rrf-k", "--fusion-depth", "--component-runs"] where a.string(name) != nil {
                throw IndexerError(.usage, "\(name) applies to --retriever hybrid only")
            }
        }
        if o.retriever == .bm25, o.queryVectorsPath != nil {
            throw IndexerError(.usage, "--query-vectors applies to --retriever dense or hybrid only")
        }
        if o.retriever == .dense {
            for name in ["--k1", "--b"] where a.string(name) != nil {
                throw IndexerError(.usage, "\(name) applies to --retriever bm25 or hybrid only")
            }
        }
        options = o
    }

    func run() throws {
        if let path = writeVectors {
            try OutputPath.refuseOverwriting(
                output: ("query vectors", path),
                inputs: [("queries", options.queriesPath)] + (options.qrelsPath.map { [("qrels", $0)] } ?? []))
            let n = try SearchJob.writeQueryVectors(options, to: path)
            if !options.quiet { Console.info("wrote \(n) query vectors to \(path)") }
            return
        }
        try OutputPath.refuseOverwriting(
            output: ("run", options.outPath),
            inputs: [("queries", options.queriesPath)] + (options.qrelsPath.map { [("qrels", $0)] } ?? []))
        if options.precision != .fp32 { Console.info("search: precision \(options.precision.kernelPath)") }
        _ = try SearchJob.run(options)
    }
}
