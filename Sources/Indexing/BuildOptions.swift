import Formats
import Inference
import ShardStore

/// The settings of one `indexer build` run.
public struct BuildOptions: Sendable {
    /// The limits and defaults `indexer build` and a job's `index` keys share (one home).
    public static let shardRange = 1...9999
    public static let levelRange = 1...19
    public static let batchSizeRange = 1...65536
    public static let defaultBatchSize = 64

    /// The corpus: BEIR `corpus.jsonl` (plain or gzipped) or TSV `id<TAB>text` (`.tsv`, `.tsv.gz`).
    public var corpusPath: String
    /// The index folder.
    public var outDirectory: String
    /// Shards in the index (N).
    public var shardCount: Int
    /// The one shard this worker builds, or nil to build every unfinished shard.
    public var shardID: Int?
    /// The bi-encoder: a model folder or `hf:ORG/NAME[@REV]`.
    public var modelDirectory: String = "models/all-MiniLM-L6-v2"
    /// Replaces the model's query prompt when set ("" for none); part of the model fingerprint.
    public var queryPrompt: String?
    /// Replaces the model's document prompt when set ("" for none); part of the model fingerprint.
    public var documentPrompt: String?
    /// How vectors are stored.
    public var encoding: VectorEncoding = .f32
    /// How blocks are compressed.
    public var codec: BlockCodec = .zstd
    /// The codec level.
    public var level: Int = BlockCodec.defaultLevel
    /// Texts a model call (does not change the output).
    public var batchSize: Int = BuildOptions.defaultBatchSize
    /// Threads for the model (nil: all cores; does not change the output).
    public var threads: Int?
    /// The encoder's weight-product precision (part of the model fingerprint).
    public var precision: Precision = .fp32
    /// Vectors a vector block.
    public var vectorRowsPerBlock: Int = ShardFormat.defaultVectorRowsPerBlock
    /// Raw bytes an id or text block.
    public var textBlockBytes: Int = ShardFormat.defaultTextBlockBytes
    /// No progress output.
    public var quiet = false
    /// Also write a lexical (BM25) index into every shard (`--lexical`): Anserini's English
    /// analysis of the same text that is embedded. Part of the shard settings, so a resumed
    /// build with a different choice is refused.
    public var lexical = false

    /// Options with defaults for everything but the corpus, the folder and the shard count.
    public init(corpusPath: String, outDirectory: String, shardCount: Int, shardID: Int? = nil) {
        self.corpusPath = corpusPath
        self.outDirectory = outDirectory
        self.shardCount = shardCount
        self.shardID = shardID
    }

    /// The shard a worker builds or searches, from `--shard-id VALUE`: nil without it (every
    /// shard), the number given, or with `env` the scheduler's `JOB_COMPLETION_INDEX` (a
    /// Kubernetes Indexed Job), else `SLURM_ARRAY_TASK_ID`.
    ///
    /// The scheduler's variables are read only on `--shard-id env`; a value must lie in
    /// `0..<shardCount` when the count is known (so a Slurm array is `--array=0-(N-1)`).
    public static func workerShard(_ value: String?, shardCount: Int?, environment: [String: String]) throws -> Int? {
        guard let value else { return nil }
        var source = "--shard-id"
        var text = value
        if value == "env" {
            let names = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"]
            guard let name = names.first(where: { !(environment[$0] ?? "").isEmpty }) else {
                throw IndexerError(
                    .usage,
                    "--shard-id env: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set (run it as a Kubernetes Indexed Job or a Slurm array task, or give the shard number)"
                )
            }
            source = name
            text = environment[name]!
        }
        guard let v = Int(text), v >= 0, v <= 9998 else {
            throw IndexerError(.usage, "\(source)='\(text)' is not a shard number (0...9998, or env)")
        }
        if let n = shardCount, !(0..<n).contains(v) {
            throw IndexerError(.usage, "\(source)=\(v) is not a shard of \(n) (shards are numbered 0...\(n - 1))")
        }
        return v
    }
}

/// What a build did.
public struct BuildSummary: Sendable {
    /// Shards written by this run.
    public var built: [Int]
    /// Shards found finished and verified, so skipped.
    public var skipped: [Int]
    /// Documents written by this run.
    public var documents: Int
    /// Whether `manifest.json` exists (every shard is there) after this run.
    public var manifestWritten: Bool
}
