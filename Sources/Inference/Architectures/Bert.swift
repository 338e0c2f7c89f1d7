import Foundation

/// BERT (`model_type` bert): absolute positions, token types, post-norm; tensors under `""`
/// (BertModel) or `bert.` (BertForSequenceClassification). Head: pooler + classifier.
enum Bert: PostNormFamily {
    static let prefixes = ["", "bert."]
    static let probe = "embeddings.word_embeddings.weight"

    static func options(_ config: ModelConfig) throws -> PostNormEncoder.Options {
        try PostNormEncoder.Options.read(config, typeVocabDefault: 2, paddingIndex: nil, names: .bert)
    }

    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        let prefix = try WeightReader.prefix(in: weights, candidates: prefixes, probe: probe)
        return try PoolerHead(
            config: config, weights: WeightReader(file: weights, prefix: ""), encoderPrefix: prefix,
            hidden: encoder.hiddenSize)
    }
}
