import Formats
import Foundation

/// The BERT-shaped transformer that BERT, RoBERTa, XLM-RoBERTa, ELECTRA and MPNet share:
/// summed embeddings and a layer norm, then `layers` × (self-attention, feed-forward), each
/// with a residual connection and post-layer-norm. The families differ only in the options
/// below (their files under Architectures/ set them from config.json).
final class PostNormEncoder: EncoderArchitecture, @unchecked Sendable {
    /// What a family changes in the shared shape.
    struct Options {
        var hidden: Int, heads: Int, layers: Int, intermediate: Int, vocab: Int
        var maxPositions: Int
        /// 0: no token-type table (MPNet).
        var typeVocab: Int
        /// The embedding width; ≠ hidden adds `embeddings_project` (ELECTRA).
        var embeddingSize: Int
        var eps: Float
        var activation: Activation
        /// RoBERTa's and MPNet's rule: positions count from padding_idx + 1, a token equal to
        /// padding_idx takes position padding_idx. nil: positions 0, 1, 2, … (BERT).
        var paddingIndex: Int?
        var names: LayerNames
        /// MPNet's T5-style bucketed relative position bias, shared by all layers.
        var relativeBias: Bool
    }

    /// Tensor names inside `encoder.layer.N.`.
    struct LayerNames {
        var query: String, key: String, value: String, attentionOutput: String, attentionNorm: String
        var intermediate: String, output: String, outputNorm: String
        /// BERT, RoBERTa, XLM-R, ELECTRA.
        static let bert = LayerNames(
            query: "attention.self.query", key: "attention.self.key", value: "attention.self.value",
            attentionOutput: "attention.output.dense", attentionNorm: "attention.output.LayerNorm",
            intermediate: "intermediate.dense", output: "output.dense", outputNorm: "output.LayerNorm")
        /// MPNet.
        static let mpnet = LayerNames(
            query: "attention.attn.q", key: "attention.attn.k", value: "attention.attn.v",
            attentionOutput: "attention.attn.o", attentionNorm: "attention.LayerNorm",
            intermediate: "intermediate.dense", output: "output.dense", outputNorm: "output.LayerNorm")
    }

    struct Layer {
        /// Query, key and value stacked into one `3H × H` layer: one product.
        let qkv: Linear
        let attentionOutput: Linear
        let attentionNorm: LayerNorm
        let intermediate: Linear
        let output: Linear
        let outputNorm: LayerNorm
    }

    let options: Options
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let typeEmbeddings: FloatBuffer?
    let embeddingNorm: LayerNorm
    let embeddingProject: Linear?
    let layers: [Layer]
    /// MPNet: `relative_attention_bias` (buckets × heads) and the bucket of each relative
    /// distance j − i, indexed by (j − i) + maxTokens − 1.
    let relativeTable: FloatBuffer?
    let buckets: [Int]

    var hiddenSize: Int { options.hidden }
    var vocabSize: Int { options.vocab }
    var typeVocabSize: Int { options.typeVocab }
    let maxTokens: Int
    var workspaceShape: WorkspaceShape {
        WorkspaceShape(hidden: options.hidden, intermediate: options.intermediate, embedding: options.embeddingSize)
    }

    /// Loads the weights under `w.prefix` (e.g. `"roberta."`).
    init(options o: Options, weights w: WeightReader) throws {
        options = o
        let h = o.hidden, e = o.embeddingSize
        maxTokens = o.paddingIndex.map { o.maxPositions - $0 - 1 } ?? o.maxPositions
        guard maxTokens >= 2 else {
            throw IndexerError(.model, "max_position_embeddings \(o.maxPositions) leaves no room for a sequence", path: w.file.path)
        }
        wordEmbeddings = try w.tensor("embeddings.word_embeddings.weight", [o.vocab, e])
        positionEmbeddings = try w.tensor("embeddings.position_embeddings.weight", [o.maxPositions, e])
        typeEmbeddings = o.typeVocab > 0 ? try w.tensor("embeddings.token_type_embeddings.weight", [o.typeVocab, e]) : nil
        embeddingNorm = try w.norm("embeddings.LayerNorm", size: e, eps: o.eps)
        embeddingProject = e != h ? try w.linear("embeddings_project", out: h, inp: e) : nil
        var layers: [Layer] = []
        for l in 0..<o.layers {
            let p = "encoder.layer.\(l).", n = o.names
            layers.append(
                Layer(
                    qkv: try w.stackedQKV([p + n.query, p + n.key, p + n.value], hidden: h),
                    attentionOutput: try w.linear(p + n.attentionOutput, out: h, inp: h),
                    attentionNorm: try w.norm(p + n.attentionNorm, size: h, eps: o.eps),
                    intermediate: try w.linear(p + n.intermediate, out: o.intermediate, inp: h),
                    output: try w.linear(p + n.output, out: h, inp: o.intermediate),
                    outputNorm: try w.norm(p + n.outputNorm, size: h, eps: o.eps)))
        }
        self.layers = layers
        if o.relativeBias {
            let rows = w.file.tensors[w.prefix + "encoder.relative_attention_bias.weight"]?.shape.first ?? 0
            guard rows >= 32 else {
                throw IndexerError(.model, "encoder.relative_attention_bias needs at least 32 buckets, found \(rows)", path: w.file.path)
            }
            relativeTable = try w.tensor("encoder.relative_attention_bias.weight", [rows, o.heads])
            let span = maxTokens
            buckets = (0..<(2 * span - 1)).map { mpnetBucket(relative: $0 - (span - 1)) }
        } else {
            relativeTable = nil
            buckets = []
        }
    }

    /// See ``EncoderArchitecture/forward(ids:typeIds:workspace:)``.
    func forward(ids: [Int32], typeIds: [Int32], workspace ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        let n = ids.count, h = options.hidden
        precondition(n <= ws.maxTokens && n <= maxTokens, "sequence longer than the workspace")
        let x = ws.hidden.pointer
        embed(ids: ids, typeIds: typeIds, into: embeddingProject == nil ? x : ws.normed.pointer)
        if let project = embeddingProject { project.apply(ws.normed.pointer, rows: n, into: x, addBias: true) }
        let bias: ((Int, UnsafeMutablePointer<Float>) -> Void)? = relativeTable.map { table in
            { head, scores in self.addRelativeBias(table, head: head, n: n, scores: scores) }
        }
        for layer in layers {
            layer.qkv.apply(x, rows: n, into: ws.qkv.pointer, addBias: true)
            selfAttention(
                qkv: ws.qkv.pointer, n: n, hidden: h, heads: options.heads,
                scores: ws.scores.pointer, context: ws.context.pointer, addBias: bias)
            layer.attentionOutput.apply(ws.context.pointer, rows: n, into: ws.sublayer.pointer, addBias: false)
            layer.attentionNorm.apply(x, rows: n, adding: ws.sublayer.pointer, bias: layer.attentionOutput.bias.pointer)
            layer.intermediate.apply(x, rows: n, into: ws.intermediate.pointer, addBias: false)
            options.activation.apply(
                ws.intermediate.pointer, rows: n, n: options.intermediate,
                bias: layer.intermediate.bias.pointer)
            layer.output.apply(ws.intermediate.pointer, rows: n, into: ws.sublayer.pointer, addBias: false)
            layer.outputNorm.apply(x, rows: n, adding: ws.sublayer.pointer, bias: layer.output.bias.pointer)
        }
        return x
    }

    /// (word + token type) + position, as BertEmbeddings adds them, then the layer norm.
    private func embed(ids: [Int32], typeIds: [Int32], into out: UnsafeMutablePointer<Float>) {
        let e = options.embeddingSize
        var position = options.paddingIndex ?? -1
        for t in 0..<ids.count {
            let row = out + t * e
            let w = wordEmbeddings.pointer + Int(ids[t]) * e
            let p: Int
            if let pad = options.paddingIndex {
                if Int(ids[t]) != pad { position += 1 }
                p = Int(ids[t]) == pad ? pad : position
            } else {
                p = t
            }
            let pe = positionEmbeddings.pointer + p * e
            if let types = typeEmbeddings {
                let ty = types.pointer + (options.typeVocab > 1 && t < typeIds.count ? Int(typeIds[t]) : 0) * e
                for j in 0..<e { row[j] = (w[j] + ty[j]) + pe[j] }
            } else {
                for j in 0..<e { row[j] = w[j] + pe[j] }
            }
        }
        embeddingNorm.apply(out, rows: ids.count, adding: nil, bias: nil)
    }

    private func addRelativeBias(_ table: FloatBuffer, head: Int, n: Int, scores: UnsafeMutablePointer<Float>) {
        let heads = options.heads, origin = maxTokens - 1
        for i in 0..<n {
            let row = scores + i * n
            for j in 0..<n { row[j] += table.pointer[buckets[j - i + origin] * heads + head] }
        }
    }
}

/// MPNet's bucket for memory position − context position (transformers'
/// `relative_position_bucket` with 32 buckets and max distance 128, in float as torch).
func mpnetBucket(relative: Int) -> Int {
    let half = 16, maxExact = 8
    var n = -relative
    var bucket = n < 0 ? half : 0
    n = abs(n)
    if n < maxExact { return bucket + n }
    let scaled = logf(Float(n) / Float(maxExact)) / Float(log(128.0 / 8.0)) * Float(half - maxExact)
    bucket += min(maxExact + Int(scaled), half - 1)
    return bucket
}

/// A family whose encoder is ``PostNormEncoder`` (BERT, RoBERTa/XLM-R, ELECTRA, MPNet): it gives
/// its options and tensor prefixes; validation and loading are shared.
protocol PostNormFamily: ArchitectureFamily {
    /// Prefixes the encoder tensors may carry (`""` for a base model).
    static var prefixes: [String] { get }
    /// The encoder's options from config.json.
    static func options(_ config: ModelConfig) throws -> PostNormEncoder.Options
}

extension PostNormFamily {
    static func validate(config: ModelConfig) throws { _ = try options(config) }

    static func encoder(config: ModelConfig, weights: SafeTensorsFile, precision: Precision) throws -> any EncoderArchitecture {
        let options = try options(config)
        let prefix = try WeightReader.prefix(in: weights, candidates: prefixes, probe: "embeddings.word_embeddings.weight")
        return try PostNormEncoder(options: options, weights: WeightReader(file: weights, prefix: prefix, precision: precision))
    }
}
