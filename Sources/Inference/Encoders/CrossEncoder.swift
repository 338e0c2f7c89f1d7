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
    private let directory: ModelDirectory
    private let head: any SequenceClassificationHead
    private let fingerprintLock = NSLock()
    private var fingerprintValue: String?

    /// Loads a model folder (config.json, model.safetensors with the encoder and the family's
    /// classification head, tokenizer files).
    public init(modelDirectory: String, maxLength: Int = 512, threads: Int? = nil, precision: Precision = .fp32) throws {
        self.modelDirectory = modelDirectory
        self.precision = precision
        directory = try ModelDirectory(path: modelDirectory)
        let encoder = try directory.encoder(precision: precision)
        head = try directory.classificationHead(for: encoder)
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
        pairs.map { tokenizer.encodePair($0.query, $0.document, maxLength: maxLength).ids.count }
    }

    /// One raw logit per pair, in input order. `batchSize` is accepted for API stability;
    /// pairs are scheduled one by one (longest first) and results do not depend on it.
    public func score(_ pairs: [(query: String, document: String)], batchSize: Int = 32) throws -> [Float] {
        guard batchSize >= 1 else { throw IndexerError(.usage, "batch size must be at least 1, not \(batchSize)") }
        var tokenized = [TokenizedText?](repeating: nil, count: pairs.count)
        tokenized.withUnsafeMutableBufferPointer { slots in
            let chunks = max(1, min(pool.threads, pairs.count))
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var i = c
                while i < pairs.count {
                    slots[i] = tokenizer.encodePair(pairs[i].query, pairs[i].document, maxLength: maxLength)
                    i += chunks
                }
            }
        }
        return try score(tokenized: tokenized.map { TokenizedTextView(ids: $0!.ids, typeIds: $0!.typeIds) })
    }

    /// Logits for already tokenised pairs (ids and type ids, special tokens included).
    public func score(tokenIds: [[Int32]], typeIds: [[Int32]]) throws -> [Float] {
        guard tokenIds.count == typeIds.count, zip(tokenIds, typeIds).allSatisfy({ $0.count == $1.count }) else {
            throw IndexerError(.internal, "ids and type ids differ in shape")
        }
        return try score(tokenized: zip(tokenIds, typeIds).map { TokenizedTextView(ids: $0, typeIds: $1) })
    }

    func score(tokenized: [TokenizedTextView]) throws -> [Float] {
        for t in tokenized { try pool.validate(t, modelPath: modelDirectory) }
        var out = [Float](repeating: 0, count: tokenized.count)
        let order = tokenized.indices.sorted { (tokenized[$0].ids.count, $1) > (tokenized[$1].ids.count, $0) }
        try out.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            try pool.forEach(order) { i, ws in
                let t = tokenized[i]
                let hidden = pool.encoder.forward(ids: t.ids, typeIds: t.typeIds, workspace: ws)
                base[i] = head.score(hidden, n: t.ids.count, workspace: ws)
            }
        }
        return out
    }
}
