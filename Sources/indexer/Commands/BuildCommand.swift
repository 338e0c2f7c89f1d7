import Formats
import Foundation
import Indexing
import Inference
import ShardStore

/// `indexer build`: embed a corpus into N compressed, checksummed shards (resumable).
struct BuildCommand: Command {
    static let name = "build"
    static let summary = "embed a corpus into a sharded, compressed index (resumable)"
    static let synopsis = [
        "build --corpus PATH --out INDEX_DIR --shards N [--shard-id I|env] [--model M] [--query-prompt P] [--document-prompt P] "
            + "[--vectors f32|f16|int8] [--codec zstd|lz4|none] [--level L] [--batch-size B] [--threads T] [--precision P] "
            + "[--lexical] [--quiet]"
    ]
    static let about = """
        Embeds every document (BEIR corpus.jsonl, plain or .gz: title + " " + text; or TSV
        id<TAB>text, .tsv or .tsv.gz) with the bi-encoder and writes INDEX_DIR/shard-I-of-N.shard
        files and, once all N exist, INDEX_DIR/manifest.json. A document goes to shard
        first-8-bytes-of-SHA-256(id) mod N (docs/FORMAT.md).
        """
    static let options: [OptionSpec] = [
        .option("--corpus", "PATH", "the corpus file", path: true),
        .option("--out", "INDEX_DIR", "the index folder (created if missing)", path: true),
        .option("--shards", "N", "shards in the index (1...9999)"),
        .option(
            "--shard-id", "I|env",
            "build only shard I (0...N-1); env: the shard is JOB_COMPLETION_INDEX (Kubernetes Indexed Job), else "
                + "SLURM_ARRAY_TASK_ID (Slurm array). Without it (those variables are then ignored), every unfinished "
                + "shard is built here in one pass over the corpus"),
        .modelOption("bi-encoder"),
        .option(
            "--query-prompt", "P",
            "replaces the model's query prompt (\"\" for none); search must use the same (the prompts are part of the model fingerprint)"),
        .option("--document-prompt", "P", "replaces the model's document prompt (\"\" for none)"),
        .option("--vectors", "ENC", "f32 (exact), f16, int8 (per-vector scale)", default: "f32", choices: ["f32", "f16", "int8"]),
        .option("--codec", "C", "zstd, lz4 (fastest reads), none", default: "zstd", choices: ["zstd", "lz4", "none"]),
        .option("--level", "L", "zstd level 1...19", default: "\(BlockCodec.defaultLevel)"),
        .option("--batch-size", "B", "texts a model call; does not change the output", default: "64"),
        .threadsOption("model threads"),
        .precisionOption("encoder (docs/QUANTISATION.md; in the fingerprint)"),
        .flag(
            "--lexical",
            "also write a BM25 inverted index into every shard (Anserini's English analysis of the embedded text; "
                + "docs/LEXICAL.md), for indexer search --retriever bm25|hybrid"),
        .quiet(),
        .logJSON,
    ]
    static let notes = """
        Re-running the same command resumes: finished shards are verified and skipped, the
        others rebuilt. A shard built with another model or settings is refused, never
        overwritten. Duplicate ids, malformed lines, invalid UTF-8 and missing ids or texts fail
        the build (exit 2) with file and line; empty documents are indexed with a warning.
        """

    let options: BuildOptions

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
        let n = try a.int("--shards", in: BuildOptions.shardRange) ?? { throw IndexerError(.usage, "missing --shards") }()
        var o = BuildOptions(corpusPath: try a.required("--corpus"), outDirectory: try a.required("--out"), shardCount: n)
        o.shardID = try BuildOptions.workerShard(a.string("--shard-id"), shardCount: n, environment: ProcessInfo.processInfo.environment)
        if let m = a.string("--model") { o.modelDirectory = m }
        o.queryPrompt = a.string("--query-prompt")
        o.documentPrompt = a.string("--document-prompt")
        o.encoding = VectorEncoding(name: try a.choice("--vectors", ["f32", "f16", "int8"], default: "f32"))!
        o.codec = BlockCodec(name: try a.choice("--codec", ["zstd", "lz4", "none"], default: "zstd"))!
        o.level = try a.int("--level", default: BlockCodec.defaultLevel, in: BuildOptions.levelRange)!
        o.batchSize = try a.int("--batch-size", default: BuildOptions.defaultBatchSize, in: BuildOptions.batchSizeRange)!
        o.threads = try a.int("--threads", in: CPUBudget.threadRange)
        o.quiet = a.flag("--quiet")
        o.precision = try a.precision()
        o.lexical = a.flag("--lexical")
        options = o
    }

    func run() throws {
        if options.precision != .fp32 { Console.info("build: precision \(options.precision.kernelPath)") }
        _ = try IndexBuild.run(options)
    }
}
