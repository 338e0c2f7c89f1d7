import Foundation
import Formats
import Tokenization

/// A cross-encoder reranker: Hugging Face `BertForSequenceClassification` with one label.
///
/// Scores `[CLS] query [SEP] document [SEP]` (token types 0 then 1; the document is
/// truncated, never the query beyond what the length allows) as the raw classifier logit:
/// classifier(tanh(pooler(hidden[CLS]))). Scores are bitwise the same for any batch and
/// thread count (see ``BertEncoder``).
public final class CrossEncoder: @unchecked Sendable {
    /// The model folder.
    public let modelDirectory: String
    /// Word pieces per pair, special tokens included.
    public let maxLength: Int
    /// Worker threads.
    public var threads: Int { pool.threads }
    /// The precision of the encoder's weight products (part of the fingerprint).
    public var precision: Precision { pool.encoder.precision }

    let tokenizer: any TextTokenizer
    let pool: EncoderPool
    private let directory: ModelDirectory
    private let pooler: Linear
    private let classifier: Linear
    private let fingerprintLock = NSLock()
    private var fingerprintValue: String?

    /// Loads a model folder (config.json, model.safetensors with `bert.`-prefixed encoder
    /// tensors, `bert.pooler.dense`, `classifier` with one output, tokenizer files).
    public init(modelDirectory: String, maxLength: Int = 512, threads: Int? = nil, precision: Precision = .fp32) throws {
        self.modelDirectory = modelDirectory
        directory = try ModelDirectory(path: modelDirectory)
        let config = directory.config
        let prefix = try directory.bertPrefix()
        let encoder = try BertEncoder(config: config, file: directory.weights, prefix: prefix, precision: precision)
        let h = config.hiddenSize
        let w = directory.weights
        guard let classifierInfo = w.tensors["classifier.weight"] else {
            throw IndexerError(.model, "no classifier.weight: not a sequence-classification model", path: w.path)
        }
        guard classifierInfo.shape == [1, h] else {
            throw IndexerError(.model, "classifier.weight has shape \(classifierInfo.shape); a reranker needs one label, [1, \(h)]", path: w.path)
        }
        pooler = Linear(weight: FloatBuffer(try w.floats(prefix + "pooler.dense.weight", shape: [h, h])),
                        bias: FloatBuffer(try w.floats(prefix + "pooler.dense.bias", shape: [h])), inFeatures: h, outFeatures: h)
        classifier = Linear(weight: FloatBuffer(try w.floats("classifier.weight", shape: [1, h])),
                            bias: FloatBuffer(try w.floats("classifier.bias", shape: [1])), inFeatures: h, outFeatures: 1)
        guard maxLength >= 3, maxLength <= config.maxPositions else {
            throw IndexerError(.usage, "max length must be in 3...\(config.maxPositions) for this model, not \(maxLength)")
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
        let h = pool.encoder.config.hiddenSize
        let order = tokenized.indices.sorted { (tokenized[$0].ids.count, $1) > (tokenized[$1].ids.count, $0) }
        try out.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            try pool.forEach(order) { i, ws in
                let t = tokenized[i]
                let hidden = pool.encoder.forward(ids: t.ids, typeIds: t.typeIds, workspace: ws)
                // Pooler on [CLS]: tanh(W·x + b), then the one-output classifier.
                let pooled = ws.sublayer.pointer
                pooler.apply(hidden, rows: 1, into: pooled, addBias: true)
                for j in 0..<h { pooled[j] = tanhf(pooled[j]) }
                let logit = ws.context.pointer
                classifier.apply(pooled, rows: 1, into: logit, addBias: true)
                base[i] = logit[0]
            }
        }
        return out
    }
}
