import Formats
import Foundation
import Inference

/// Everything `indexer rerank` needs, validated by the command.
public struct RerankOptions: Sendable {
    /// The limits and defaults `indexer rerank` and a job's `rerank` keys share (one home);
    /// the model caps the length further when it loads.
    public static let depthRange = 1...1_000_000
    public static let batchSizeRange = 1...65536
    public static let defaultBatchSize = 32
    public static let maxLengthRange = 3...100_000

    /// The first-stage run (TREC format, any tool).
    public var candidatesPath: String
    /// The query file (BEIR JSON lines or TSV).
    public var queriesPath: String
    /// An index folder or a corpus file holding the documents' text.
    public var docsPath: String
    /// A model folder, `hf:ORG/NAME[@REV]`, or nil for the committed default reranker.
    public var model: String?
    /// Candidates scored per query (the first `depth` by first-stage order).
    public var depth: Int
    /// What happens below the depth.
    public var tail: TailPolicy = .keep
    /// Pairs per scorer call.
    public var batchSize: Int = RerankOptions.defaultBatchSize
    /// Word pieces per pair, special tokens included; nil: what the model folder declares
    /// (``RerankModel/declaredMaxLength(modelDirectory:)``).
    public var maxLength: Int?
    /// Weight of the first stage's score in the head's order (``ScoreInterpolation``); nil:
    /// what the model folder declares (``RerankModel/declaredInterpolation(modelDirectory:)``,
    /// 0 when it declares nothing); 0: the cross-encoder alone.
    public var interpolate: Double?
    /// Where to write per-query timings (JSON lines), if anywhere.
    public var timingsPath: String?
    /// The run tag (sixth column).
    public var tag: String = "rerank"
    /// The output run.
    public var outPath: String
    /// Worker threads (nil: every core).
    public var threads: Int?
    /// The cross-encoder's weight-product precision (part of the model fingerprint).
    public var precision: Precision = .fp32
    /// Print progress on stderr.
    public var progress: Bool = true

    /// Options with the required values; the rest take their defaults.
    public init(candidatesPath: String, queriesPath: String, docsPath: String, depth: Int, outPath: String) {
        self.candidatesPath = candidatesPath
        self.queriesPath = queriesPath
        self.docsPath = docsPath
        self.depth = depth
        self.outPath = outPath
    }
}

/// What a rerank job did.
public struct RerankSummary: Sendable {
    /// Queries written.
    public var queries: Int
    /// Pairs scored.
    public var pairs: Int
    /// Word pieces scored.
    public var tokens: Int
    /// Lines written.
    public var lines: Int
    /// Seconds spent tokenising and scoring.
    public var scoringSeconds: Double
    /// The model folder used and its fingerprint.
    public var modelDirectory: String
    /// The scorer's fingerprint.
    public var modelFingerprint: String
    /// Word pieces per pair the model was run with (0 when the scorer is not a model).
    public var maxLength: Int = 0
    /// The interpolation weight used (0: the cross-encoder alone).
    public var interpolate: Double = 0
}
