import Formats
import Foundation

/// A sequence-classification head over an encoder's last hidden states: one score per sequence.
///
/// One label: the score is the raw logit. Two labels: logit[1] − logit[0] (the log-odds of
/// label 1, which orders pairs as softmax(logits)[1] does). More labels are refused.
protocol SequenceClassificationHead: Sendable {
    /// The score of one sequence from its `n × hidden` states; may use the workspace's
    /// `sublayer`, `normed` and `context` buffers.
    func score(_ hidden: UnsafeMutablePointer<Float>, n: Int, workspace: EncoderWorkspace) -> Float
}

/// The final projection of a head and how its one or two logits become one score.
struct LabelProjection: @unchecked Sendable {
    let classifier: Linear

    /// Reads `name` (`labels × hidden`) after checking config.json declares 1 or 2 labels.
    init(config: ModelConfig, weights w: WeightReader, name: String, hidden h: Int) throws {
        guard w.has(name + ".weight") else {
            throw IndexerError(.model, "no \(w.prefix + name).weight: not a sequence-classification model", path: w.file.path)
        }
        let labels = try config.labelCount()
        guard labels == 1 || labels == 2 else {
            throw config.error("the classifier has \(labels) labels (id2label); a reranker needs 1 (the raw logit) or 2 (logit[1] − logit[0])")
        }
        let shape = w.file.tensors[w.prefix + name + ".weight"]!.shape
        guard shape == [labels, h] else {
            throw IndexerError(
                .model, "\(w.prefix + name).weight has shape \(shape); config.json declares \(labels) label(s), so [\(labels), \(h)]", path: w.file.path)
        }
        classifier = try w.linear(name, out: labels, inp: h)
    }

    /// The score of the pooled vector `x`, computed in `scratch` (≥ 2 floats).
    func score(_ x: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Float {
        classifier.apply(x, rows: 1, into: scratch, addBias: true)
        return classifier.outFeatures == 1 ? scratch[0] : scratch[1] - scratch[0]
    }
}

/// BERT's head: tanh(pooler.dense(hidden[CLS])), then `classifier`.
struct PoolerHead: SequenceClassificationHead, @unchecked Sendable {
    let pooler: Linear
    let labels: LabelProjection

    init(config: ModelConfig, weights w: WeightReader, encoderPrefix: String, hidden h: Int) throws {
        labels = try LabelProjection(config: config, weights: w, name: "classifier", hidden: h)
        pooler = try WeightReader(file: w.file, prefix: encoderPrefix).linear("pooler.dense", out: h, inp: h)
    }

    func score(_ hidden: UnsafeMutablePointer<Float>, n: Int, workspace ws: EncoderWorkspace) -> Float {
        let pooled = ws.sublayer.pointer
        pooler.apply(hidden, rows: 1, into: pooled, addBias: true)
        for j in 0..<pooler.outFeatures { pooled[j] = tanhf(pooled[j]) }
        return labels.score(pooled, scratch: ws.context.pointer)
    }
}

/// RoBERTa's, XLM-R's, ELECTRA's and MPNet's head: `classifier.dense` on the first token, an
/// activation (tanh; ELECTRA: exact GELU), then `classifier.out_proj`.
struct FirstTokenHead: SequenceClassificationHead, @unchecked Sendable {
    enum Squash { case tanh, gelu }
    let dense: Linear
    let squash: Squash
    let labels: LabelProjection

    init(config: ModelConfig, weights w: WeightReader, hidden h: Int, squash: Squash) throws {
        labels = try LabelProjection(config: config, weights: w, name: "classifier.out_proj", hidden: h)
        dense = try w.linear("classifier.dense", out: h, inp: h)
        self.squash = squash
    }

    func score(_ hidden: UnsafeMutablePointer<Float>, n: Int, workspace ws: EncoderWorkspace) -> Float {
        let x = ws.sublayer.pointer, h = dense.outFeatures
        dense.apply(hidden, rows: 1, into: x, addBias: true)
        switch squash {
        case .tanh: for j in 0..<h { x[j] = tanhf(x[j]) }
        case .gelu: Activation.gelu.apply(x, rows: 1, n: h, bias: nil)
        }
        return labels.score(x, scratch: ws.context.pointer)
    }
}

/// ModernBERT's head: `classifier_pooling` (the first token or the mean of all), then
/// norm(act(head.dense(·))), then `classifier`.
struct ModernBertHead: SequenceClassificationHead, @unchecked Sendable {
    let dense: Linear
    let activation: Activation
    let norm: LayerNorm
    let meanPooling: Bool
    let labels: LabelProjection

    init(config: ModelConfig, weights w: WeightReader, hidden h: Int, eps: Float, normBias: Bool) throws {
        let pooling = try config.string("classifier_pooling", default: "cls")
        guard pooling == "cls" || pooling == "mean" else {
            throw config.error("classifier_pooling '\(pooling)' is not supported (supported: cls, mean)")
        }
        meanPooling = pooling == "mean"
        activation = try Activation(config: config, key: "classifier_activation")
        labels = try LabelProjection(config: config, weights: w, name: "classifier", hidden: h)
        dense = try w.linear("head.dense", out: h, inp: h, bias: try config.bool("classifier_bias", default: false))
        norm = try w.norm("head.norm", size: h, eps: eps, bias: normBias)
    }

    func score(_ hidden: UnsafeMutablePointer<Float>, n: Int, workspace ws: EncoderWorkspace) -> Float {
        let h = dense.inFeatures
        var pooled = UnsafePointer(hidden)
        if meanPooling {
            let sum = ws.normed.pointer
            for j in 0..<h { sum[j] = 0 }
            for t in 0..<n { for j in 0..<h { sum[j] += hidden[t * h + j] } }
            for j in 0..<h { sum[j] /= Float(n) }
            pooled = UnsafePointer(sum)
        }
        let x = ws.sublayer.pointer
        dense.apply(pooled, rows: 1, into: x, addBias: true)
        activation.apply(x, rows: 1, n: h, bias: nil)
        norm.apply(x, rows: 1, adding: nil, bias: nil)
        return labels.score(x, scratch: ws.context.pointer)
    }
}
