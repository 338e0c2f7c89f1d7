import Formats
import Foundation

/// What a cross-encoder folder declares about its own use, read from the files the loaded model
/// already parsed (config.json once, tokenizer_config.json once).
enum CrossEncoderDeclarations {
    /// The pair length the folder is meant for: `tokenizer_config.json`'s `model_max_length`
    /// (what transformers and sentence-transformers truncate to), capped by config.json's
    /// `max_position_embeddings`; 512 (so capped) when it is absent or is the "no limit"
    /// placeholder. A model trained on short pairs is thus scored as it was trained.
    static func maxLength(config: [String: Any], tokenizerConfig: [String: Any]?) -> Int {
        let positions = (config["max_position_embeddings"] as? NSNumber)?.intValue ?? 512
        var length = 512
        if let declared = (tokenizerConfig?["model_max_length"] as? NSNumber)?.doubleValue, declared >= 3, declared <= 1_000_000 {
            length = Int(declared)
        }
        return min(length, positions)
    }

    /// The interpolation weight the folder recommends: config.json's `indexer_interpolate`
    /// (other tools ignore the key), 0 when absent; a value outside 0...1 is a model error.
    static func interpolation(config: [String: Any], path: String) throws -> Double {
        guard let value = config["indexer_interpolate"] else { return 0 }
        guard let n = value as? NSNumber, (0...1).contains(n.doubleValue) else {
            throw IndexerError(.model, "indexer_interpolate must be a number between 0 and 1, not \(value)", path: path + "/config.json")
        }
        return n.doubleValue
    }
}

extension CrossEncoder {
    /// The pair length `modelDirectory` declares (``CrossEncoderDeclarations/maxLength(config:tokenizerConfig:)``),
    /// without loading the weights.
    public static func declaredMaxLength(modelDirectory dir: String) throws -> Int {
        CrossEncoderDeclarations.maxLength(
            config: try SentenceTransformerModules.jsonObject(dir + "/config.json") ?? [:],
            tokenizerConfig: try SentenceTransformerModules.jsonObject(dir + "/tokenizer_config.json"))
    }

    /// The interpolation weight `modelDirectory` declares, without loading the weights.
    public static func declaredInterpolation(modelDirectory dir: String) throws -> Double {
        try CrossEncoderDeclarations.interpolation(config: try SentenceTransformerModules.jsonObject(dir + "/config.json") ?? [:], path: dir)
    }

    /// The interpolation weight this loaded model's folder declares (its config.json, already parsed).
    public func declaredInterpolation() throws -> Double {
        try CrossEncoderDeclarations.interpolation(config: directory.config.json, path: modelDirectory)
    }
}
