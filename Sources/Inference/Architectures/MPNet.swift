import Foundation

/// MPNet (`model_type` mpnet): positions counted from padding index 1 (fixed, as MPNetEmbeddings),
/// no token types, a bucketed relative position bias (`encoder.relative_attention_bias`, 32
/// buckets, max distance 128) added to every layer's attention scores; tensors under `""`
/// or `mpnet.`. Head: `classifier.dense` + tanh + `classifier.out_proj` on the first token.
enum MPNet: PostNormFamily {
    static let prefixes = ["", "mpnet."]

    static func options(_ config: ModelConfig) throws -> PostNormEncoder.Options {
        var options = try PostNormEncoder.Options.read(config, typeVocabDefault: 0, paddingIndex: 1, names: .mpnet)
        options.typeVocab = 0
        options.relativeBias = true
        return options
    }

    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        try FirstTokenHead(config: config, weights: WeightReader(file: weights, prefix: ""), hidden: encoder.hiddenSize, squash: .tanh)
    }
}
