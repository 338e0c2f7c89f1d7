import Formats
import Foundation
import Indexing
import Inference
import ShardStore

/// `indexer build`: embed a corpus into N compressed, checksummed shards (resumable).
struct BuildCommand: Command {
    static let name = "build"
    static let summary = "embed a corpus into a sharded, compressed index (resumable)"
    static let usage = """
        usage: indexer build --corpus PATH --out INDEX_DIR --shards N [--shard-id I|env] [--model M]
                             [--query-prompt P] [--document-prompt P]
                             [--vectors f32|f16|int8] [--codec zstd|lz4|none] [--level L]
                             [--batch-size B] [--threads T] [--precision P] [--lexical] [--quiet]

        Embeds every document (BEIR corpus.jsonl, plain or .gz: title + " " + text; or TSV
        id<TAB>text, .tsv or .tsv.gz) with the bi-encoder and writes INDEX_DIR/shard-I-of-N.shard
        files and, once all N exist, INDEX_DIR/manifest.json. A document goes to shard
        first-8-bytes-of-SHA-256(id) mod N (docs/FORMAT.md).

          --corpus PATH       the corpus file
          --out INDEX_DIR     the index folder (created if missing)
          --shards N          shards in the index (1...9999)
          --shard-id I|env    build only shard I (0...N-1); env: the shard is JOB_COMPLETION_INDEX
                              (Kubernetes Indexed Job), else SLURM_ARRAY_TASK_ID (Slurm array).
                              Without it (those variables are then ignored), every unfinished
                              shard is built here in one pass over the corpus.
          --model M           bi-encoder folder or hf:ORG/NAME[@REV] (default
                              models/all-MiniLM-L6-v2; docs/MODELS.md)
          --query-prompt P    replaces the model's query prompt ("" for none); search must use
                              the same (the prompts are part of the model fingerprint)
          --document-prompt P replaces the model's document prompt ("" for none)
          --vectors ENC       f32 (default, exact), f16, int8 (per-vector scale)
          --codec C           zstd (default), lz4 (fastest reads), none
          --level L           zstd level 1...19 (default 3)
          --batch-size B      texts a model call (default 64; does not change the output)
          --threads T         model threads (default: all cores; does not change the output)
          --precision P       fp32 (default), bf16 or int8 encoder (docs/QUANTISATION.md; in the fingerprint)
          --lexical           also write a BM25 inverted index into every shard (Anserini's
                              English analysis of the embedded text; docs/LEXICAL.md), for
                              indexer search --retriever bm25|hybrid
          --quiet             no progress on stderr

        Re-running the same command resumes: finished shards are verified and skipped, the
        others rebuilt. A shard built with another model or settings is refused, never
        overwritten. Duplicate ids, malformed lines, invalid UTF-8 and missing ids or texts fail
        the build (exit 2) with file and line; empty documents are indexed with a warning.
        """

    let options: BuildOptions

    init(arguments: [String]) throws {
        let a = try Arguments(
            arguments,
            options: [
                "--corpus", "--out", "--shards", "--shard-id", "--model", "--vectors",
                "--query-prompt", "--document-prompt", "--codec", "--level", "--batch-size", "--threads", "--precision",
            ], flags: ["--quiet", "--lexical"])
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
        let n = try a.int("--shards", in: 1...9999) ?? { throw IndexerError(.usage, "missing --shards") }()
        var o = BuildOptions(corpusPath: try a.required("--corpus"), outDirectory: try a.required("--out"), shardCount: n)
        o.shardID = try BuildOptions.workerShard(a.string("--shard-id"), shardCount: n, environment: ProcessInfo.processInfo.environment)
        if let m = a.string("--model") { o.modelDirectory = m }
        o.queryPrompt = a.string("--query-prompt")
        o.documentPrompt = a.string("--document-prompt")
        o.encoding = VectorEncoding(name: try a.choice("--vectors", ["f32", "f16", "int8"], default: "f32"))!
        o.codec = BlockCodec(name: try a.choice("--codec", ["zstd", "lz4", "none"], default: "zstd"))!
        o.level = try a.int("--level", default: BlockCodec.defaultLevel, in: 1...19)!
        o.batchSize = try a.int("--batch-size", default: 64, in: 1...65536)!
        o.threads = try a.int("--threads", in: 1...1024)
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
