import Formats
import Inference
import ShardStore

/// The settings of one `indexer build` run.
public struct BuildOptions: Sendable {
    /// The corpus: BEIR `corpus.jsonl` (plain or gzipped) or TSV `id<TAB>text` (`.tsv`, `.tsv.gz`).
    public var corpusPath: String
    /// The index folder.
    public var outDirectory: String
    /// Shards in the index (N).
    public var shardCount: Int
    /// The one shard this worker builds, or nil to build every unfinished shard.
    public var shardID: Int?
    /// The bi-encoder model folder.
    public var modelDirectory: String = "models/all-MiniLM-L6-v2"
    /// How vectors are stored.
    public var encoding: VectorEncoding = .f32
    /// How blocks are compressed.
    public var codec: BlockCodec = .zstd
    /// The codec level.
    public var level: Int = BlockCodec.defaultLevel
    /// Texts a model call (does not change the output).
    public var batchSize: Int = 64
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

    /// The shard a worker builds: `--shard-id`, else `JOB_COMPLETION_INDEX` (a Kubernetes
    /// Indexed Job), else `SLURM_ARRAY_TASK_ID`; nil when none is set (build them all).
    ///
    /// The value is used as is and must lie in `0..<shardCount` (so a Slurm array is
    /// `--array=0-(N-1)`).
    public static func workerShard(explicit: Int?, shardCount: Int, environment: [String: String]) throws -> Int? {
        var source = "--shard-id"
        var value = explicit
        if value == nil {
            for name in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"] {
                guard let s = environment[name], !s.isEmpty else { continue }
                guard let v = Int(s) else { throw IndexerError(.usage, "\(name)='\(s)' is not a shard number") }
                source = name
                value = v
                break
            }
        }
        guard let v = value else { return nil }
        guard (0..<shardCount).contains(v) else {
            throw IndexerError(.usage, "\(source)=\(v) is not a shard of \(shardCount) (shards are numbered 0...\(shardCount - 1))")
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
