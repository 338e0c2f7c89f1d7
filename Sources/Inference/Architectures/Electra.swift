import Foundation

/// ELECTRA's discriminator (`model_type` electra): BERT's layers over embeddings of width
/// `embedding_size`, projected to `hidden_size` by `embeddings_project` when they differ;
/// tensors under `""` or `electra.`. Head: `classifier.dense` + exact GELU + `classifier.out_proj`
/// on the first token (GELU whatever hidden_act says, as ElectraClassificationHead).
enum Electra: PostNormFamily {
    static let prefixes = ["", "electra."]

    static func options(_ config: ModelConfig) throws -> PostNormEncoder.Options {
        var options = try PostNormEncoder.Options.read(config, typeVocabDefault: 2, paddingIndex: nil, names: .bert)
        options.embeddingSize = try config.int("embedding_size", default: 128)
        return options
    }

    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        try FirstTokenHead(config: config, weights: WeightReader(file: weights, prefix: ""), hidden: encoder.hiddenSize, squash: .gelu)
    }
}
