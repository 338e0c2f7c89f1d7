import Foundation

/// BERT (`model_type` bert): absolute positions, token types, post-norm; tensors under `""`
/// (BertModel) or `bert.` (BertForSequenceClassification). Head: pooler + classifier.
enum Bert: ArchitectureFamily {
    static let prefixes = ["", "bert."]
    static let probe = "embeddings.word_embeddings.weight"

    static func options(_ config: ModelConfig) throws -> PostNormEncoder.Options {
        try PostNormEncoder.Options.read(config, typeVocabDefault: 2, paddingIndex: nil, names: .bert)
    }

    static func validate(config: ModelConfig) throws { _ = try options(config) }

    static func encoder(config: ModelConfig, weights: SafeTensorsFile, precision: Precision) throws -> any EncoderArchitecture {
        let options = try options(config)
        let prefix = try WeightReader.prefix(in: weights, candidates: prefixes, probe: probe)
        return try PostNormEncoder(options: options, weights: WeightReader(file: weights, prefix: prefix, precision: precision))
    }

    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        let prefix = try WeightReader.prefix(in: weights, candidates: prefixes, probe: probe)
        return try PoolerHead(config: config, weights: WeightReader(file: weights, prefix: ""), encoderPrefix: prefix,
                              hidden: encoder.hiddenSize)
    }
}
