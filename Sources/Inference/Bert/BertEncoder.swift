import CBLAS
import Foundation
import Formats

/// A BERT encoder in fp32: embeddings, then `layers` × (self-attention, feed-forward), each
/// with a residual connection and post-layer-norm, as Hugging Face's `BertModel`.
///
/// One sequence at a time, on the calling thread, with OpenBLAS single-threaded. That is
/// what makes embeddings bitwise reproducible: OpenBLAS's sgemm rounds a row differently
/// depending on where the row falls in its register tiles and on the number of rows
/// (measured: a row computed alone and the same row inside a larger product differ in the
/// last bits), so packing the tokens of several texts into one matrix would make a text's
/// vector depend on its batch neighbours. Computing each sequence on its own gives every
/// text exactly the same sequence of operations wherever and with whatever it is batched;
/// parallelism comes from running different sequences on different threads.
final class BertEncoder: @unchecked Sendable {
    let config: BertConfig
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let typeEmbeddings: FloatBuffer
    let embeddingNorm: LayerNorm
    let layers: [Layer]

    struct Layer {
        /// Query, key and value projections stacked into one `3H × H` layer: one sgemm.
        let qkv: Linear
        let attentionOutput: Linear
        let attentionNorm: LayerNorm
        let intermediate: Linear
        let output: Linear
        let outputNorm: LayerNorm
    }

    /// The precision of the weight products (see ``Linear/prepared(for:)``).
    let precision: Precision

    /// Loads the encoder weights under `prefix` (`""` or `"bert."`) from `file`, with the
    /// weight products prepared at `precision`.
    init(config: BertConfig, file: SafeTensorsFile, prefix: String, precision: Precision = .fp32) throws {
        self.config = config
        self.precision = precision
        let h = config.hiddenSize, i = config.intermediateSize
        func tensor(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
            FloatBuffer(try file.floats(prefix + name, shape: shape))
        }
        func norm(_ name: String) throws -> LayerNorm {
            LayerNorm(gamma: try tensor(name + ".weight", [h]), beta: try tensor(name + ".bias", [h]), eps: config.layerNormEps)
        }
        func linear(_ name: String, _ out: Int, _ inp: Int) throws -> Linear {
            Linear(weight: try tensor(name + ".weight", [out, inp]), bias: try tensor(name + ".bias", [out]),
                   inFeatures: inp, outFeatures: out)
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabSize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, h])
        typeEmbeddings = try tensor("embeddings.token_type_embeddings.weight", [config.typeVocabSize, h])
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [Layer] = []
        for l in 0..<config.layers {
            let p = "encoder.layer.\(l)."
            let q = try linear(p + "attention.self.query", h, h)
            let k = try linear(p + "attention.self.key", h, h)
            let v = try linear(p + "attention.self.value", h, h)
            let qkvWeight = FloatBuffer(count: 3 * h * h), qkvBias = FloatBuffer(count: 3 * h)
            for (j, part) in [q, k, v].enumerated() {
                (qkvWeight.pointer + j * h * h).update(from: part.weight.pointer, count: h * h)
                (qkvBias.pointer + j * h).update(from: part.bias.pointer, count: h)
            }
            layers.append(Layer(
                qkv: Linear(weight: qkvWeight, bias: qkvBias, inFeatures: h, outFeatures: 3 * h),
                attentionOutput: try linear(p + "attention.output.dense", h, h),
                attentionNorm: try norm(p + "attention.output.LayerNorm"),
                intermediate: try linear(p + "intermediate.dense", i, h),
                output: try linear(p + "output.dense", h, i),
                outputNorm: try norm(p + "output.LayerNorm")))
        }
        self.layers = layers.map { $0.prepared(for: precision) }
    }

    /// Scratch memory for one sequence of up to `maxTokens` tokens; one per worker thread.
    final class Workspace {
        let maxTokens: Int
        let hidden: FloatBuffer, qkv: FloatBuffer, context: FloatBuffer, sublayer: FloatBuffer
        let intermediate: FloatBuffer, scores: FloatBuffer

        init(config: BertConfig, maxTokens: Int) {
            self.maxTokens = maxTokens
            let h = config.hiddenSize
            hidden = FloatBuffer(count: maxTokens * h)
            qkv = FloatBuffer(count: maxTokens * 3 * h)
            context = FloatBuffer(count: maxTokens * h)
            sublayer = FloatBuffer(count: maxTokens * h)
            intermediate = FloatBuffer(count: maxTokens * config.intermediateSize)
            scores = FloatBuffer(count: maxTokens * maxTokens)
        }
    }

    /// Runs the encoder over one sequence; returns the last hidden states, `L × hidden`,
    /// in `workspace.hidden` (valid until the workspace is reused).
    ///
    /// Every token attends to every token: a lone sequence has no padding to mask.
    /// Ids must be in the vocabulary and the length within `maxPositions`; callers check.
    func forward(ids: [Int32], typeIds: [Int32], workspace ws: Workspace) -> UnsafeMutablePointer<Float> {
        let n = ids.count, h = config.hiddenSize
        precondition(n <= ws.maxTokens && n <= config.maxPositions, "sequence longer than the workspace")
        let x = ws.hidden.pointer
        // Embeddings: (word + token type) + position, as BertEmbeddings adds them.
        for t in 0..<n {
            let row = x + t * h
            let w = wordEmbeddings.pointer + Int(ids[t]) * h
            let ty = typeEmbeddings.pointer + Int(t < typeIds.count ? typeIds[t] : 0) * h
            let p = positionEmbeddings.pointer + t * h
            for j in 0..<h { row[j] = (w[j] + ty[j]) + p[j] }
        }
        embeddingNorm.apply(x, rows: n, adding: nil, bias: nil)
        for layer in layers {
            attention(layer, n: n, ws: ws)
            layer.attentionOutput.apply(ws.context.pointer, rows: n, into: ws.sublayer.pointer, addBias: false)
            layer.attentionNorm.apply(x, rows: n, adding: ws.sublayer.pointer, bias: layer.attentionOutput.bias.pointer)
            layer.intermediate.apply(x, rows: n, into: ws.intermediate.pointer, addBias: false)
            biasGelu(ws.intermediate.pointer, rows: n, n: config.intermediateSize, bias: layer.intermediate.bias.pointer)
            layer.output.apply(ws.intermediate.pointer, rows: n, into: ws.sublayer.pointer, addBias: false)
            layer.outputNorm.apply(x, rows: n, adding: ws.sublayer.pointer, bias: layer.output.bias.pointer)
        }
        return x
    }

    /// Multi-head self-attention of the sequence in `ws.hidden` into `ws.context`.
    private func attention(_ layer: Layer, n: Int, ws: Workspace) {
        let h = config.hiddenSize, d = config.headSize
        let qkv = ws.qkv.pointer, scores = ws.scores.pointer, ctx = ws.context.pointer
        layer.qkv.apply(ws.hidden.pointer, rows: n, into: qkv, addBias: true)
        let scale = 1 / Float(d).squareRoot()
        let ld = Int32(3 * h)
        for head in 0..<config.heads {
            let q = qkv + head * d, k = qkv + h + head * d, v = qkv + 2 * h + head * d
            // scores = (Q·Kᵀ)/√d, then softmax over keys, then context = P·V.
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(d),
                        scale, q, ld, k, ld, 0, scores, Int32(n))
            softmaxRows(scores, rows: n, n: n, ld: n)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(n),
                        1, scores, Int32(n), v, ld, 0, ctx + head * d, Int32(h))
        }
    }
}

extension BertEncoder.Layer {
    /// The layer with its four weight products at `precision`.
    func prepared(for precision: Precision) -> Self {
        Self(qkv: qkv.prepared(for: precision), attentionOutput: attentionOutput.prepared(for: precision),
             attentionNorm: attentionNorm, intermediate: intermediate.prepared(for: precision),
             output: output.prepared(for: precision), outputNorm: outputNorm)
    }
}
