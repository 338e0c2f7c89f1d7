import Foundation
import Formats
import Tokenization

/// A sentence-transformers bi-encoder (BERT, pooling, L2 normalisation): text → unit vector.
///
/// Reads a sentence-transformers folder: config.json, model.safetensors (F32, F16 or BF16),
/// the tokenizer files, sentence_bert_config.json (max length) and 1_Pooling/config.json.
/// A text's vector is bitwise the same whatever batch it is in and whatever the thread count
/// (see ``BertEncoder``).
public final class BiEncoder: @unchecked Sendable {
    /// The model folder.
    public let modelDirectory: String
    /// The vector width (the encoder's hidden size).
    public let dimension: Int
    /// Word pieces per text, [CLS] and [SEP] included; longer texts are truncated.
    public let maxLength: Int
    /// The pooling mode from 1_Pooling/config.json (mean when the file is absent).
    public let pooling: Pooling
    /// Worker threads.
    public var threads: Int { pool.threads }
    /// The precision of the encoder's weight products (part of the fingerprint).
    public var precision: Precision { pool.encoder.precision }

    let tokenizer: any TextTokenizer
    let pool: EncoderPool
    private let countLock = NSLock()
    private var lastCount = 0
    /// Word pieces encoded by the last ``embed(_:batchSize:)`` call (for throughput reports).
    public var lastTokenCount: Int { countLock.lock(); defer { countLock.unlock() }; return lastCount }
    private let directory: ModelDirectory
    private let fingerprintLock = NSLock()
    private var fingerprintValue: String?

    /// Loads a model folder. `maxLength` defaults to sentence_bert_config.json's
    /// max_seq_length (else the model's maximum positions); `threads` to the core count.
    public init(modelDirectory: String, maxLength: Int? = nil, threads: Int? = nil, precision: Precision = .fp32) throws {
        self.modelDirectory = modelDirectory
        directory = try ModelDirectory(path: modelDirectory)
        let config = directory.config
        let encoder = try BertEncoder(config: config, file: directory.weights, prefix: try directory.bertPrefix(), precision: precision)
        dimension = config.hiddenSize
        var length = config.maxPositions
        if let st = try directory.jsonObject("sentence_bert_config.json"), let m = (st["max_seq_length"] as? NSNumber)?.intValue {
            length = m
        }
        if let maxLength { length = maxLength }
        guard length >= 2, length <= config.maxPositions else {
            throw IndexerError(.usage, "max length must be in 2...\(config.maxPositions) for this model, not \(length)")
        }
        self.maxLength = length
        if let p = try directory.jsonObject("1_Pooling/config.json") {
            pooling = try Pooling(json: p, path: modelDirectory + "/1_Pooling/config.json")
            if let width = (p["word_embedding_dimension"] as? NSNumber)?.intValue, width != dimension {
                throw IndexerError(.model, "pooling width \(width) differs from hidden_size \(dimension)", path: modelDirectory + "/1_Pooling/config.json")
            }
        } else {
            pooling = .mean
        }
        tokenizer = try Tokenizers.load(modelDirectory: modelDirectory)
        pool = try EncoderPool(encoder: encoder, threads: threads, maxTokens: length)
    }

    /// sha256 hex over (model.safetensors sha256, config.json, pooling config, tokenizer
    /// files, max length, normalisation, precision unless fp32): identifies what made a vector. The weights digest
    /// is computed on first use and remembered for the process.
    public var fingerprint: String {
        fingerprintLock.lock()
        defer { fingerprintLock.unlock() }
        if let fingerprintValue { return fingerprintValue }
        let hex = directory.fingerprint(kind: "biencoder", extraFiles: ["1_Pooling/config.json"],
                                        settings: "pooling \(pooling.rawValue)\nmax-length \(maxLength)\nnormalise l2\n" + precision.fingerprintSetting)
        fingerprintValue = hex
        return hex
    }

    /// Word pieces of each text after truncation, [CLS] and [SEP] included.
    public func tokenCounts(_ texts: [String]) -> [Int] {
        texts.map { tokenizer.encode($0, maxLength: maxLength).ids.count }
    }

    /// texts.count × dimension floats, row-major, L2-normalised, in input order.
    ///
    /// `batchSize` is accepted for API stability: work is scheduled per text (longest first)
    /// over the threads, and results do not depend on it.
    public func embed(_ texts: [String], batchSize: Int = 32) throws -> [Float] {
        guard batchSize >= 1 else { throw IndexerError(.usage, "batch size must be at least 1, not \(batchSize)") }
        var tokenized = [TokenizedText?](repeating: nil, count: texts.count)
        tokenized.withUnsafeMutableBufferPointer { slots in
            let chunks = max(1, min(pool.threads, texts.count))
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var i = c
                while i < texts.count {
                    slots[i] = tokenizer.encode(texts[i], maxLength: maxLength)
                    i += chunks
                }
            }
        }
        return try embed(tokenized: tokenized.map { TokenizedTextView(ids: $0!.ids, typeIds: $0!.typeIds) })
    }

    /// Vectors for already tokenised sequences (ids with [CLS]/[SEP]); for tests and callers
    /// that tokenise themselves.
    func embed(tokenized: [TokenizedTextView]) throws -> [Float] {
        let h = dimension
        for t in tokenized { try pool.validate(t, modelPath: modelDirectory) }
        var out = [Float](repeating: 0, count: tokenized.count * h)
        countLock.lock()
        lastCount = tokenized.reduce(0) { $0 + $1.ids.count }
        countLock.unlock()
        let order = tokenized.indices.sorted { (tokenized[$0].ids.count, $1) > (tokenized[$1].ids.count, $0) }
        try out.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            try pool.forEach(order) { i, ws in
                let t = tokenized[i]
                let hidden = pool.encoder.forward(ids: t.ids, typeIds: t.typeIds, workspace: ws)
                pooling.poolAndNormalise(hidden, n: t.ids.count, h: h, into: base + i * h)
            }
        }
        return out
    }

    /// Public entry for token ids (e.g. golden tests against a reference tokenizer).
    public func embed(tokenIds: [[Int32]]) throws -> [Float] {
        try embed(tokenized: tokenIds.map { TokenizedTextView(ids: $0, typeIds: [Int32](repeating: 0, count: $0.count)) })
    }
}
