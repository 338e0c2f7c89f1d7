import Formats
import Foundation

/// ModernBERT (`model_type` modernbert): token embeddings and a norm, then pre-norm layers
/// (layer 0 without an attention norm) with rotary position embeddings, GeGLU feed-forward
/// (`mlp.Wi` split into input and gate: Wo(act(input) · gate)), alternating global and
/// sliding-window local attention (|i − j| ≤ local_attention / 2), and `final_norm`. Biases
/// and norm shifts exist only when attention_bias / mlp_bias / norm_bias say so. Tensors
/// under `""` or `model.`. Head: ``ModernBertHead``.
final class ModernBert: ArchitectureFamily, EncoderArchitecture, @unchecked Sendable {
    static let prefixes = ["", "model."]

    struct Layer {
        let attentionNorm: LayerNorm?
        let qkv: Linear, attentionOutput: Linear, mlpNorm: LayerNorm
        let wi: Linear, wo: Linear
        /// Half window of a local layer; nil for a global one.
        let window: Int?
        /// cos and sin of the layer's rotary table, `maxTokens × headSize`.
        let cos: FloatBuffer, sin: FloatBuffer
    }

    let hiddenSize: Int, vocabSize: Int, maxTokens: Int, heads: Int, intermediate: Int
    var typeVocabSize: Int { 0 }
    var workspaceShape: WorkspaceShape { WorkspaceShape(hidden: hiddenSize, intermediate: 2 * intermediate, embedding: hiddenSize) }
    let activation: Activation, attentionBias: Bool, mlpBias: Bool, normBias: Bool, eps: Float
    let embeddings: FloatBuffer, embeddingNorm: LayerNorm, finalNorm: LayerNorm
    let layers: [Layer]

    static func validate(config c: ModelConfig) throws {
        let hidden = try c.int("hidden_size"), layers = try c.int("num_hidden_layers")
        _ = try c.headSize(hidden: hidden, heads: try c.int("num_attention_heads"))
        for key in ["intermediate_size", "vocab_size", "max_position_embeddings"] { _ = try c.int(key) }
        _ = try Activation(config: c, key: "hidden_activation")
        _ = try layerTypes(c, count: layers)
        _ = try ropeThetas(c)
    }

    static func encoder(config: ModelConfig, weights: SafeTensorsFile, precision: Precision) throws -> any EncoderArchitecture {
        try ModernBert(config: config, weights: weights, precision: precision)
    }

    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        let e = encoder as! ModernBert
        return try ModernBertHead(
            config: config, weights: WeightReader(file: weights, prefix: ""), hidden: e.hiddenSize,
            eps: e.eps, normBias: e.normBias)
    }

    // Reads the whole config first, then the weights: one straight list of keys and tensors.
    init(config c: ModelConfig, weights file: SafeTensorsFile, precision: Precision = .fp32) throws {
        hiddenSize = try c.int("hidden_size"); heads = try c.int("num_attention_heads")
        let d = try c.headSize(hidden: hiddenSize, heads: heads)
        guard d % 2 == 0 else { throw c.error("rotary embeddings need an even head size, not \(d)") }
        intermediate = try c.int("intermediate_size"); vocabSize = try c.int("vocab_size")
        maxTokens = try c.int("max_position_embeddings")
        let layerCount = try c.int("num_hidden_layers")
        activation = try Activation(config: c, key: "hidden_activation")
        eps = try c.positiveFloat("norm_eps", default: 1e-5)
        attentionBias = try c.bool("attention_bias", default: false)
        mlpBias = try c.bool("mlp_bias", default: false)
        normBias = try c.bool("norm_bias", default: false)
        let halfWindow = try c.int("local_attention", default: 128) / 2
        let types = try Self.layerTypes(c, count: layerCount)
        let thetas = try Self.ropeThetas(c)
        let w = WeightReader(
            file: file, prefix: try WeightReader.prefix(in: file, candidates: Self.prefixes, probe: "embeddings.tok_embeddings.weight"),
            precision: precision)
        let h = hiddenSize
        embeddings = try w.tensor("embeddings.tok_embeddings.weight", [vocabSize, h])
        embeddingNorm = try w.norm("embeddings.norm", size: h, eps: eps, bias: normBias)
        finalNorm = try w.norm("final_norm", size: h, eps: eps, bias: normBias)
        var tables: [Bool: (FloatBuffer, FloatBuffer)] = [:]
        for local in [false, true] { tables[local] = Self.rotary(theta: local ? thetas.local : thetas.global, d: d, positions: maxTokens) }
        var layers: [Layer] = []
        for l in 0..<layerCount {
            let p = "layers.\(l).", local = types[l]
            layers.append(
                Layer(
                    attentionNorm: l == 0 ? nil : try w.norm(p + "attn_norm", size: h, eps: eps, bias: normBias),
                    qkv: try w.linear(p + "attn.Wqkv", out: 3 * h, inp: h, bias: attentionBias),
                    attentionOutput: try w.linear(p + "attn.Wo", out: h, inp: h, bias: attentionBias),
                    mlpNorm: try w.norm(p + "mlp_norm", size: h, eps: eps, bias: normBias),
                    wi: try w.linear(p + "mlp.Wi", out: 2 * intermediate, inp: h, bias: mlpBias),
                    wo: try w.linear(p + "mlp.Wo", out: h, inp: intermediate, bias: mlpBias),
                    window: local ? halfWindow : nil, cos: tables[local]!.0, sin: tables[local]!.1))
        }
        self.layers = layers
    }

    /// true for a sliding-window layer: `layer_types` (transformers 5) or, in older configs,
    /// every layer but each `global_attn_every_n_layers`-th (default 3).
    private static func layerTypes(_ c: ModelConfig, count: Int) throws -> [Bool] {
        if let listed = c.json["layer_types"] as? [String] {
            guard listed.count == count, listed.allSatisfy({ $0 == "full_attention" || $0 == "sliding_attention" }) else {
                throw c.error("'layer_types' must list \(count) of full_attention / sliding_attention")
            }
            return listed.map { $0 == "sliding_attention" }
        }
        let every = try c.int("global_attn_every_n_layers", default: 3)
        return (0..<count).map { $0 % every != 0 }
    }

    /// The rotary bases: `rope_parameters` (transformers 5) or global_rope_theta / local_rope_theta.
    private static func ropeThetas(_ c: ModelConfig) throws -> (global: Double, local: Double) {
        func theta(_ kind: String, _ legacyKey: String, _ fallback: Double) throws -> Double {
            if let params = (c.json["rope_parameters"] as? [String: Any])?[kind] as? [String: Any] {
                let type = params["rope_type"] as? String ?? "default"
                guard type == "default" else { throw c.error("rope_parameters.\(kind).rope_type '\(type)' is not supported (only 'default')") }
                if let t = params["rope_theta"] as? NSNumber { return t.doubleValue }
            }
            if let t = c.json[legacyKey] as? NSNumber { return t.doubleValue }
            if let t = c.json[legacyKey], !(t is NSNull) { throw c.error("'\(legacyKey)' must be a number") }
            return fallback
        }
        return (try theta("full_attention", "global_rope_theta", 160_000), try theta("sliding_attention", "local_rope_theta", 10_000))
    }

    /// cos and sin of position · inv_freq in float (inv_freq = 1 / θ^(2i/d)), halves repeated, as torch.
    private static func rotary(theta: Double, d: Int, positions: Int) -> (FloatBuffer, FloatBuffer) {
        let cos = FloatBuffer(count: positions * d), sin = FloatBuffer(count: positions * d)
        let inv = (0..<(d / 2)).map { 1 / powf(Float(theta), Float(2 * $0) / Float(d)) }
        for t in 0..<positions {
            for i in 0..<(d / 2) {
                let f = Float(t) * inv[i]
                cos.pointer[t * d + i] = cosf(f); cos.pointer[t * d + i + d / 2] = cosf(f)
                sin.pointer[t * d + i] = sinf(f); sin.pointer[t * d + i + d / 2] = sinf(f)
            }
        }
        return (cos, sin)
    }

    /// See ``EncoderArchitecture/forward(ids:typeIds:workspace:)``; type ids are ignored.
    func forward(ids: [Int32], typeIds: [Int32], workspace ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        let n = ids.count, h = hiddenSize
        precondition(n <= ws.maxTokens && n <= maxTokens, "sequence longer than the workspace")
        let x = ws.hidden.pointer, normed = ws.normed.pointer
        for t in 0..<n { (x + t * h).update(from: embeddings.pointer + Int(ids[t]) * h, count: h) }
        embeddingNorm.apply(x, rows: n, adding: nil, bias: nil)
        for layer in layers {
            // x += Wo(attention(attn_norm(x)))
            var input = UnsafeMutablePointer(x)
            if let norm = layer.attentionNorm { normed.update(from: x, count: n * h); norm.apply(normed, rows: n, adding: nil, bias: nil); input = normed }
            layer.qkv.apply(input, rows: n, into: ws.qkv.pointer, addBias: attentionBias)
            rotate(ws.qkv.pointer, n: n, layer: layer)
            selfAttention(
                qkv: ws.qkv.pointer, n: n, hidden: h, heads: heads, scores: ws.scores.pointer,
                context: ws.context.pointer, window: layer.window)
            layer.attentionOutput.apply(ws.context.pointer, rows: n, into: ws.sublayer.pointer, addBias: attentionBias)
            for i in 0..<(n * h) { x[i] += ws.sublayer.pointer[i] }
            // x += Wo(act(input) · gate), [input | gate] = Wi(mlp_norm(x))
            normed.update(from: x, count: n * h)
            layer.mlpNorm.apply(normed, rows: n, adding: nil, bias: nil)
            layer.wi.apply(normed, rows: n, into: ws.intermediate.pointer, addBias: mlpBias)
            gatedActivation(ws.intermediate.pointer, rows: n)
            layer.wo.apply(ws.intermediate.pointer, rows: n, into: ws.sublayer.pointer, addBias: mlpBias)
            for i in 0..<(n * h) { x[i] += ws.sublayer.pointer[i] }
        }
        finalNorm.apply(x, rows: n, adding: nil, bias: nil)
        return x
    }

    /// Rotary embedding of Q and K in place: v·cos + rotate_half(v)·sin per head.
    private func rotate(_ qkv: UnsafeMutablePointer<Float>, n: Int, layer: Layer) {
        let h = hiddenSize, d = h / heads, half = d / 2
        var tmp = [Float](repeating: 0, count: d)
        for t in 0..<n {
            let c = layer.cos.pointer + t * d, s = layer.sin.pointer + t * d
            for part in 0..<2 {
                for head in 0..<heads {
                    let v = qkv + t * 3 * h + part * h + head * d
                    for i in 0..<half { tmp[i] = -v[i + half]; tmp[i + half] = v[i] }
                    for i in 0..<d { v[i] = v[i] * c[i] + tmp[i] * s[i] }
                }
            }
        }
    }

    /// Rows of `[input | gate]` (2I wide) → act(input) · gate (I wide), compacted in place:
    /// row r is written at r·I, never past what rows ≥ r still have to read.
    private func gatedActivation(_ y: UnsafeMutablePointer<Float>, rows: Int) {
        let i = intermediate
        for r in 0..<rows {
            let src = y + r * 2 * i
            activation.apply(src, rows: 1, n: i, bias: nil)
            let dst = y + r * i
            for j in 0..<i { dst[j] = src[j] * src[i + j] }
        }
    }
}
