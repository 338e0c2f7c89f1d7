import Formats
import Foundation

/// One model family: how its config.json, encoder weights and classification head are read.
/// Adding a family is a file conforming to this and one line in ``Architectures/table``.
protocol ArchitectureFamily {
    /// Reads every key the encoder needs from config.json, before any weights are opened, so
    /// that an unsupported setting is reported as such rather than as a weights problem.
    static func validate(config: ModelConfig) throws
    /// The encoder of a checkpoint (a base model or the encoder inside a classifier).
    /// The encoder, its weight products prepared at `precision` (``Linear/prepared(for:)``).
    static func encoder(config: ModelConfig, weights: SafeTensorsFile, precision: Precision) throws -> any EncoderArchitecture
    /// The sequence-classification head of a `…ForSequenceClassification` checkpoint.
    static func head(config: ModelConfig, weights: SafeTensorsFile, encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead
}

/// The registry of supported families, keyed by config.json's `model_type`.
enum Architectures {
    /// The one table: `model_type` → family.
    static let table: [String: any ArchitectureFamily.Type] = [
        "bert": Bert.self,
        "roberta": Roberta.self,
        "xlm-roberta": Roberta.self,
        "electra": Electra.self,
        "mpnet": MPNet.self,
        "modernbert": ModernBert.self,
    ]

    /// Families people ask for that are known and not built yet (refused by name).
    static let notYet: Set<String> = ["deberta-v2", "deberta"]

    /// The supported `model_type` values, sorted, for messages.
    static var supportedList: String { table.keys.sorted().joined(separator: ", ") }

    /// The family of `config`, or an error naming config.json, the model_type and the supported list.
    static func family(of config: ModelConfig) throws -> any ArchitectureFamily.Type {
        let type = config.modelType
        if let family = table[type] { return family }
        throw config.error("model_type '\(type)' is not supported\(notYet.contains(type) ? " yet" : "") (supported: \(supportedList))")
    }
}

extension PostNormEncoder.Options {
    /// The keys every BERT-shaped config shares; families adjust the rest.
    static func read(_ c: ModelConfig, typeVocabDefault: Int, paddingIndex: Int?, names: PostNormEncoder.LayerNames) throws -> Self {
        let hidden = try c.int("hidden_size"), heads = try c.int("num_attention_heads")
        _ = try c.headSize(hidden: hidden, heads: heads)
        let kind = try c.string("position_embedding_type", default: "absolute")
        guard kind == "absolute" else {
            throw c.error("position_embedding_type '\(kind)' is not supported (only 'absolute')")
        }
        return Self(
            hidden: hidden, heads: heads, layers: try c.int("num_hidden_layers"),
            intermediate: try c.int("intermediate_size"), vocab: try c.int("vocab_size"),
            maxPositions: try c.int("max_position_embeddings"),
            typeVocab: try c.int("type_vocab_size", default: typeVocabDefault, allowZero: true),
            embeddingSize: hidden, eps: try c.positiveFloat("layer_norm_eps", default: 1e-12),
            activation: try Activation(config: c, key: "hidden_act"), paddingIndex: paddingIndex,
            names: names, relativeBias: false)
    }
}
