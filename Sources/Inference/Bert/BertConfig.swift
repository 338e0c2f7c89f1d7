import Foundation
import Formats

/// The shape of a BERT encoder, read from a Hugging Face `config.json`.
public struct BertConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var heads: Int
    public var layers: Int
    public var intermediateSize: Int
    public var layerNormEps: Float
    public var vocabSize: Int
    public var maxPositions: Int
    public var typeVocabSize: Int

    /// The width of one attention head.
    public var headSize: Int { hiddenSize / heads }

    /// Reads and checks `config.json` (the encoder supports absolute positions and exact GELU).
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IndexerError(.model, "cannot read the model config", path: path)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw IndexerError(.model, "model config is not valid JSON", path: path, cause: error.localizedDescription)
        }
        guard let json = object as? [String: Any] else { throw IndexerError(.model, "model config is not a JSON object", path: path) }
        func int(_ key: String, default fallback: Int? = nil) throws -> Int {
            if let n = json[key] as? NSNumber, n.doubleValue == n.doubleValue.rounded(), n.intValue > 0 { return n.intValue }
            if json[key] == nil, let fallback { return fallback }
            throw IndexerError(.model, "model config needs a positive integer '\(key)'", path: path)
        }
        hiddenSize = try int("hidden_size")
        heads = try int("num_attention_heads")
        layers = try int("num_hidden_layers")
        intermediateSize = try int("intermediate_size")
        vocabSize = try int("vocab_size")
        maxPositions = try int("max_position_embeddings")
        typeVocabSize = try int("type_vocab_size", default: 2)
        if let eps = json["layer_norm_eps"] {
            guard let e = eps as? NSNumber, e.doubleValue > 0 else {
                throw IndexerError(.model, "model config 'layer_norm_eps' must be a positive number", path: path)
            }
            layerNormEps = e.floatValue
        } else {
            layerNormEps = 1e-12
        }
        guard hiddenSize % heads == 0 else {
            throw IndexerError(.model, "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(heads)", path: path)
        }
        let act = json["hidden_act"] as? String ?? "gelu"
        guard act == "gelu" else {
            throw IndexerError(.model, "hidden_act '\(act)' is not supported (only exact 'gelu')", path: path)
        }
        if let kind = json["position_embedding_type"] as? String, kind != "absolute" {
            throw IndexerError(.model, "position_embedding_type '\(kind)' is not supported (only 'absolute')", path: path)
        }
        if let type = json["model_type"] as? String, type != "bert" {
            throw IndexerError(.model, "model_type '\(type)' is not supported (only 'bert')", path: path)
        }
    }
}
