import Formats
import Foundation
import Tokenization

/// A sentence-transformers bi-encoder: transformer (any supported encoder family), pooling, then the folder's Dense and
/// Normalize modules, with its prompts: text → vector.
///
/// Reads a sentence-transformers folder (``SentenceTransformerModules``): modules.json,
/// config.json, model.safetensors (F32, F16 or BF16), the tokenizer files,
/// sentence_bert_config.json (max length), the pooling config, Dense modules, and
/// config_sentence_transformers.json (prompts). Vectors are L2-normalised only when the folder
/// has a Normalize module. A text's vector is bitwise the same whatever batch it is in and
/// whatever the thread count (see ``EncoderArchitecture``).
public final class BiEncoder: @unchecked Sendable {
    /// The model folder.
    public let modelDirectory: String
    /// The vector width (the pooled width, or the last Dense module's output width).
    public let dimension: Int
    /// Word pieces per text, [CLS] and [SEP] included; longer texts are truncated.
    public let maxLength: Int
    /// The Pooling module (mean when the folder declares none).
    public let pooling: PoolingConfig
    /// The modules after pooling (Dense, Normalize), in order.
    public let modules: SentenceTransformerModules
    /// The prompts prepended to queries and documents (the folder's, or the overrides).
    public let prompts: Prompts
    /// Worker threads.
    public var threads: Int { pool.threads }
    /// The precision of the encoder's weight products (part of the fingerprint).
    public let precision: Precision

    let tokenizer: any TextTokenizer
    let pool: EncoderPool
    private let countLock = NSLock()
    private var lastCount = 0
    /// Word pieces encoded by the last ``embed(_:batchSize:as:)`` call (for throughput reports).
    public var lastTokenCount: Int { countLock.lock(); defer { countLock.unlock() }; return lastCount }
    private let directory: ModelDirectory
    private let hiddenSize: Int
    private let fingerprintLock = NSLock()
    private var fingerprintValue: String?

    /// Loads a model folder. `maxLength` defaults to sentence_bert_config.json's
    /// max_seq_length (else tokenizer_config.json's model_max_length, else the model's maximum
    /// positions); `threads` to the core count; `queryPrompt` and `documentPrompt` replace the
    /// folder's prompts when given ("" for none); `precision` is that of the weight products.
    public init(
        modelDirectory: String, maxLength: Int? = nil, threads: Int? = nil,
        queryPrompt: String? = nil, documentPrompt: String? = nil, precision: Precision = .fp32
    ) throws {
        self.modelDirectory = modelDirectory
        self.precision = precision
        modules = try SentenceTransformerModules.load(directory: modelDirectory)
        let encoderFolder = modules.transformerPath.isEmpty ? modelDirectory : modelDirectory + "/" + modules.transformerPath
        directory = try ModelDirectory(path: encoderFolder)
        let encoder = try directory.encoder(precision: precision)
        hiddenSize = encoder.hiddenSize
        pooling = modules.pooling
        dimension = try BiEncoder.outputWidth(modules, hiddenSize: hiddenSize, path: modelDirectory)
        let length = try maxLength ?? modules.maxSequenceLength ?? BiEncoder.tokenizerMaxLength(encoderFolder, positions: encoder.maxTokens)
        guard length >= 2, length <= encoder.maxTokens else {
            throw IndexerError(.usage, "max length must be in 2...\(encoder.maxTokens) for this model, not \(length)")
        }
        self.maxLength = length
        prompts = try Prompts.declared(directory: modelDirectory).overridden(query: queryPrompt, document: documentPrompt)
        tokenizer = try Tokenizers.load(modelDirectory: encoderFolder)
        pool = try EncoderPool(encoder: encoder, threads: threads, maxTokens: length)
    }

    /// The width after pooling and each Dense module, checked against the declared widths.
    static func outputWidth(_ modules: SentenceTransformerModules, hiddenSize: Int, path: String) throws -> Int {
        if let width = modules.pooling.declaredWidth, width != hiddenSize {
            throw IndexerError(
                .model, "pooling width \(width) differs from hidden_size \(hiddenSize)",
                path: path + "/" + (modules.poolingPath.map { $0 + "/" } ?? "") + "config.json")
        }
        var width = modules.pooling.modes.count * hiddenSize
        for case .dense(let layer) in modules.steps {
            guard layer.inFeatures == width else {
                throw IndexerError(.model, "a Dense module takes \(layer.inFeatures) inputs but receives \(width)", path: path)
            }
            width = layer.outFeatures
        }
        return width
    }

    /// tokenizer_config.json's model_max_length capped by the positions (what
    /// sentence-transformers truncates to when sentence_bert_config.json gives no length).
    static func tokenizerMaxLength(_ folder: String, positions: Int) throws -> Int {
        let path = folder + "/tokenizer_config.json"
        guard let json = try SentenceTransformerModules.jsonObject(path),
            let declared = (json["model_max_length"] as? NSNumber)?.doubleValue, declared >= 2, declared <= 1_000_000
        else {
            return positions
        }
        return min(Int(declared), positions)
    }

    /// sha256 hex over (model.safetensors sha256, config.json, pooling config, tokenizer
    /// files, max length, Dense modules, normalisation, prompts, precision unless fp32): identifies what made a
    /// vector, so an index built with one prompt is never searched with another. The weights
    /// digest is computed on first use and remembered for the process.
    public var fingerprint: String {
        fingerprintLock.lock()
        defer { fingerprintLock.unlock() }
        if let fingerprintValue { return fingerprintValue }
        let up = modules.transformerPath.isEmpty ? "" : String(repeating: "../", count: modules.transformerPath.split(separator: "/").count)
        var files = [up + (modules.poolingPath.map { $0.isEmpty ? "config.json" : $0 + "/config.json" } ?? "1_Pooling/config.json")]
        var settings = "pooling \(pooling.fingerprintText)\nmax-length \(maxLength)\n"
        for step in modules.steps {
            switch step {
            case .dense(let d):
                settings += "dense \(d.inFeatures)x\(d.outFeatures) \(d.activation)\n"
                files += d.files.map { up + d.path + "/" + $0 }
            case .normalize: settings += "normalise l2\n"
            }
        }
        if !modules.normalises { settings += "normalise none\n" }
        // Absent prompts add nothing, so folders without prompts keep their fingerprints.
        if !prompts.query.isEmpty { settings += "query-prompt \(prompts.query.debugDescription)\n" }
        if !prompts.document.isEmpty { settings += "document-prompt \(prompts.document.debugDescription)\n" }
        if !prompts.text.isEmpty { settings += "text-prompt \(prompts.text.debugDescription)\n" }
        settings += precision.fingerprintSetting
        let hex = directory.fingerprint(kind: "biencoder", extraFiles: files, settings: settings)
        fingerprintValue = hex
        return hex
    }

    /// Word pieces of each text after truncation, [CLS] and [SEP] included (with the
    /// prompt of `role`).
    public func tokenCounts(_ texts: [String], as role: TextRole = .document) -> [Int] {
        let prompt = prompts.prompt(for: role)
        return texts.map { tokenizer.encode(prompt + $0, maxLength: maxLength).ids.count }
    }

    /// texts.count × dimension floats, row-major, in input order; each text is prefixed with
    /// the prompt of `role`.
    ///
    /// `batchSize` is accepted for API stability: work is scheduled per text (longest first)
    /// over the threads, and results do not depend on it.
    public func embed(
        _ texts: [String], batchSize: Int = 32, as role: TextRole = .document, progress: Formats.Progress? = nil
    ) throws -> [Float] {
        guard batchSize >= 1 else { throw IndexerError(.usage, "batch size must be at least 1, not \(batchSize)") }
        let prompt = prompts.prompt(for: role)
        let tokenized = Parallel.map(count: texts.count, workers: pool.threads) { i in
            TokenizedTextView(tokenizer.encode(prompt + texts[i], maxLength: maxLength))
        }
        return try embed(
            tokenized: tokenized,
            skip: pooling.includePrompt ? 0 : promptTokenCount(prompt), progress: progress)
    }

    /// The tokens sentence-transformers leaves out of pooling when the Pooling module has
    /// `include_prompt: false`: the prompt's ids with the leading special tokens, without a
    /// trailing one.
    func promptTokenCount(_ prompt: String) -> Int {
        guard !prompt.isEmpty else { return 0 }
        let ids = tokenizer.encode(prompt, maxLength: Int.max / 2).ids
        let pieces = tokenizer.wordPieces(prompt)
        let trailingSpecial = ids.count > pieces.count && ids.last != pieces.last
        return ids.count - (trailingSpecial ? 1 : 0)
    }

    /// Vectors for already tokenised sequences (ids with [CLS]/[SEP]); for tests and callers
    /// that tokenise themselves. The first `skip` tokens of each are left out of pooling.
    func embed(tokenized: [TokenizedTextView], skip: Int = 0, progress: Formats.Progress? = nil) throws -> [Float] {
        let d = dimension
        var out = [Float](repeating: 0, count: tokenized.count * d)
        countLock.lock()
        lastCount = tokenized.reduce(0) { $0 + $1.ids.count }
        countLock.unlock()
        try out.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            try pool.encode(tokenized, modelPath: modelDirectory) { i, hidden, n, _ in
                finish(hidden, n: n, skip: skip, into: base + i * d)
                // Counted per text as it is encoded: a chunk of thousands takes minutes.
                progress?.advance(by: 1)
            }
        }
        return out
    }

    /// Pools `n` hidden rows and applies the modules after pooling, writing `dimension` floats.
    private func finish(_ hidden: UnsafePointer<Float>, n: Int, skip: Int, into out: UnsafeMutablePointer<Float>) {
        let h = hiddenSize
        var width = pooling.modes.count * h
        var current = [Float](repeating: 0, count: width)
        current.withUnsafeMutableBufferPointer { c in
            for (k, mode) in pooling.modes.enumerated() { mode.pool(hidden, n: n, h: h, skip: skip, into: c.baseAddress! + k * h) }
        }
        for step in modules.steps {
            switch step {
            case .dense(let layer):
                var next = [Float](repeating: 0, count: layer.outFeatures)
                current.withUnsafeBufferPointer { x in next.withUnsafeMutableBufferPointer { layer.apply(x.baseAddress!, into: $0.baseAddress!) } }
                current = next
                width = layer.outFeatures
            case .normalize:
                current.withUnsafeMutableBufferPointer { Pooling.normalise($0.baseAddress!, count: width) }
            }
        }
        current.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: width) }
    }

    /// Public entry for token ids (e.g. golden tests against a reference tokenizer); no
    /// prompt is added and every token is pooled.
    public func embed(tokenIds: [[Int32]]) throws -> [Float] {
        try embed(tokenized: tokenIds.map { TokenizedTextView(ids: $0, typeIds: [Int32](repeating: 0, count: $0.count)) })
    }
}
