import Formats
import Foundation

/// A Hugging Face `config.json`, read once; typed accessors throw errors naming the file and key.
struct ModelConfig: @unchecked Sendable {
    /// The path of config.json (every error names it).
    let path: String
    /// The parsed top-level object.
    let json: [String: Any]

    /// Reads and parses `path`.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IndexerError(.model, "cannot read the model config", path: path)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw IndexerError(.model, "model config is not valid JSON", path: path, cause: error.localizedDescription)
        }
        guard let json = object as? [String: Any] else { throw IndexerError(.model, "model config is not a JSON object", path: path) }
        self.init(path: path, json: json)
    }

    /// A config from an object already parsed (tests).
    init(path: String, json: [String: Any]) {
        self.path = path
        self.json = json
    }

    /// `model_type`, or "bert" when absent (old BERT checkpoints omit it).
    var modelType: String { json["model_type"] as? String ?? "bert" }

    /// An error about `key` naming config.json.
    func error(_ message: String) -> IndexerError { IndexerError(.model, message, path: path) }

    /// A positive integer (or `fallback` when the key is absent or null).
    func int(_ key: String, default fallback: Int? = nil, allowZero: Bool = false) throws -> Int {
        if let n = json[key] as? NSNumber, n.doubleValue == n.doubleValue.rounded(),
            n.intValue > 0 || (allowZero && n.intValue == 0)
        {
            return n.intValue
        }
        if json[key] == nil || json[key] is NSNull, let fallback { return fallback }
        throw error("'\(key)' must be a \(allowZero ? "non-negative" : "positive") integer")
    }

    /// A positive number (or `fallback` when absent).
    func positiveFloat(_ key: String, default fallback: Float) throws -> Float {
        guard let value = json[key], !(value is NSNull) else { return fallback }
        guard let n = value as? NSNumber, n.doubleValue > 0 else { throw error("'\(key)' must be a positive number") }
        return n.floatValue
    }

    /// A boolean (or `fallback` when absent).
    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = json[key], !(value is NSNull) else { return fallback }
        guard let b = value as? Bool else { throw error("'\(key)' must be true or false") }
        return b
    }

    /// A string (or `fallback` when absent).
    func string(_ key: String, default fallback: String) throws -> String {
        guard let value = json[key], !(value is NSNull) else { return fallback }
        guard let s = value as? String else { throw error("'\(key)' must be a string") }
        return s
    }

    /// The number of labels a classification checkpoint declares: `id2label`'s size, else
    /// `num_labels`, else 2 (transformers' default).
    func labelCount() throws -> Int {
        if let labels = json["id2label"] as? [String: Any] { return labels.count }
        return try int("num_labels", default: 2)
    }

    /// Checks `hidden_size` against the head count and returns the head width.
    func headSize(hidden: Int, heads: Int) throws -> Int {
        guard hidden % heads == 0 else {
            throw error("'hidden_size' \(hidden) is not a multiple of 'num_attention_heads' \(heads)")
        }
        return hidden / heads
    }
}
