import Foundation

/// RoBERTa and XLM-RoBERTa (`model_type` roberta, xlm-roberta; the same computation): BERT's
/// layers with positions counted from the padding index (padding_idx + 1 + t for a sequence
/// without padding tokens), a one-row token-type table; tensors under `""` or `roberta.`.
/// Head: `classifier.dense` + tanh + `classifier.out_proj` on the first token.
enum Roberta: PostNormFamily {
    static let prefixes = ["", "roberta."]

    static func options(_ config: ModelConfig) throws -> PostNormEncoder.Options {
        let pad = try config.int("pad_token_id", default: 1, allowZero: true)
        return try PostNormEncoder.Options.read(config, typeVocabDefault: 1, paddingIndex: pad, names: .bert)
    }

    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        try FirstTokenHead(config: config, weights: WeightReader(file: weights, prefix: ""), hidden: encoder.hiddenSize, squash: .tanh)
    }
}
