import Formats
import Foundation
import Tokenization

/// A cross-encoder reranker: a Hugging Face `…ForSequenceClassification` checkpoint of any
/// supported family (see ``Architectures``) with one or two labels.
///
/// Scores `[CLS] query [SEP] document [SEP]` (as the tokenizer pairs them; the document is
/// truncated, never the query beyond what the length allows). The score is the raw logit
/// with one label, logit[1] − logit[0] with two (see ``SequenceClassificationHead``).
/// Scores are bitwise the same for any batch and thread count (see ``EncoderArchitecture``).
public final class CrossEncoder: @unchecked Sendable {
    /// The model folder.
    public let modelDirectory: String
    /// Word pieces per pair, special tokens included.
    public let maxLength: Int
    /// Worker threads.
    public var threads: Int { pool.threads }
    /// The precision of the encoder's weight products (part of the fingerprint).
    public let precision: Precision

    let tokenizer: any TextTokenizer
    let pool: EncoderPool
    let directory: ModelDirectory
    private let head: any SequenceClassificationHead
    private let fingerprintLock = NSLock()
    private var fingerprintValue: String?

    /// Loads a model folder (config.json, model.safetensors with the encoder and the family's
    /// classification head, tokenizer files), each file read once. `maxLength` nil: what the
    /// folder declares (``declaredMaxLength(modelDirectory:)``).
    public init(modelDirectory: String, maxLength: Int? = 512, threads: Int? = nil, precision: Precision = .fp32) throws {
        self.modelDirectory = modelDirectory
        self.precision = precision
        directory = try ModelDirectory(path: modelDirectory)
        let encoder = try directory.encoder(precision: precision)
        head = try directory.classificationHead(for: encoder)
        let maxLength =
            try maxLength
            ?? CrossEncoderDeclarations.maxLength(config: directory.config.json, tokenizerConfig: try directory.jsonObject("tokenizer_config.json"))
        guard maxLength >= 3, maxLength <= encoder.maxTokens else {
            throw IndexerError(.usage, "max length must be in 3...\(encoder.maxTokens) for this model, not \(maxLength)")
        }
        self.maxLength = maxLength
        tokenizer = try Tokenizers.load(modelDirectory: modelDirectory)
        pool = try EncoderPool(encoder: encoder, threads: threads, maxTokens: maxLength)
    }

    /// sha256 hex over (weights sha256, config.json, tokenizer files, max length, precision unless fp32).
    public var fingerprint: String {
        fingerprintLock.lock()
        defer { fingerprintLock.unlock() }
        if let fingerprintValue { return fingerprintValue }
        let hex = directory.fingerprint(kind: "crossencoder", extraFiles: [], settings: "max-length \(maxLength)\nlogit raw\n" + precision.fingerprintSetting)
        fingerprintValue = hex
        return hex
    }

    /// Word pieces of each pair after truncation, special tokens included.
    public func tokenCount(_ pairs: [(query: String, document: String)]) -> [Int] {
        pairs.map { encodePair(query: $0.query, document: $0.document).ids.count }
    }

    /// The pair as the model reads it: `[CLS] query [SEP] document [SEP]` from the folder's
    /// tokenizer, truncated to ``maxLength`` (the document first). Thread-safe.
    public func encodePair(query: String, document: String) -> TokenizedText {
        tokenizer.encodePair(query, document, maxLength: maxLength)
    }

    /// One raw logit per pair, in input order. `batchSize` is accepted for API stability;
    /// pairs are scheduled one by one (longest first) and results do not depend on it.
    public func score(_ pairs: [(query: String, document: String)], batchSize: Int = 32) throws -> [Float] {
        guard batchSize >= 1 else { throw IndexerError(.usage, "batch size must be at least 1, not \(batchSize)") }
        let tokenized = Parallel.map(count: pairs.count, workers: pool.threads) { i in
            TokenizedTextView(encodePair(query: pairs[i].query, document: pairs[i].document))
        }
        return try score(tokenized: tokenized)
    }

    /// Logits for already tokenised pairs (ids and type ids, special tokens included).
    public func score(tokenIds: [[Int32]], typeIds: [[Int32]]) throws -> [Float] {
        guard tokenIds.count == typeIds.count, zip(tokenIds, typeIds).allSatisfy({ $0.count == $1.count }) else {
            throw IndexerError(.internal, "ids and type ids differ in shape")
        }
        return try score(tokenized: zip(tokenIds, typeIds).map { TokenizedTextView(ids: $0, typeIds: $1) })
    }

    func score(tokenized: [TokenizedTextView]) throws -> [Float] {
        var out = [Float](repeating: 0, count: tokenized.count)
        try out.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            try pool.encode(tokenized, modelPath: modelDirectory) { i, hidden, n, ws in
                base[i] = head.score(hidden, n: n, workspace: ws)
            }
        }
        return out
    }
}
