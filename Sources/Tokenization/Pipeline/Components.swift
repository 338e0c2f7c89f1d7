import Formats
import Foundation

/// One `tokenizer.json` normalizer: text in, normalised text out (HF `Normalizer`; only ids
/// matter here, so no alignments are kept).
protocol Normalizer: Sendable {
    func normalize(_ text: String) -> String
}

/// A piece of text between added tokens or produced by a pre-tokenizer.
struct Piece: Sendable {
    var text: String
    /// Whether the piece begins at offset 0 of the original text (HF `offsets_original().0 == 0`,
    /// which Metaspace's `prepend_scheme: first` tests).
    var atStart: Bool
}

/// One pre-tokenizer: splits each piece further (HF `PreTokenizer`). Empty pieces are dropped
/// by the pipeline, as HF's `PreTokenizedString::split` does.
protocol PreTokenizer: Sendable {
    func preTokenize(_ pieces: [Piece]) -> [Piece]
}

/// One model: a pre-tokenised word to ids (HF `Model`).
protocol TokenModel: Sendable {
    /// The id of a vocabulary entry, for special tokens the post-processor names.
    func id(of token: String) -> Int32?
    /// The largest id of the vocabulary.
    var largestId: Int { get }
    func tokenize(_ word: String, into out: inout [Int32])
}

/// One post-processor (HF `PostProcessor::process_encodings`): the encodings of one text or a
/// pair in, usually one merged encoding out.
protocol PostProcessor: Sendable {
    /// How many special tokens it adds (HF `added_tokens(is_pair)`), which truncation reserves.
    func addedCount(pair: Bool) -> Int
    func process(_ encodings: [TokenizedText]) -> [TokenizedText]
}

/// The JSON object of one component, with its place in the file for error messages.
struct ComponentConfig {
    let json: [String: Any]
    /// Where the component is, e.g. `normalizer.normalizers[1]`.
    let location: String
    /// The tokenizer.json path.
    let path: String

    var type: String { json["type"] as? String ?? "?" }

    /// An error naming the component, its type and the file.
    func fail(_ message: String) -> IndexerError {
        IndexerError(.model, "\(location) \(type): \(message)", path: path)
    }

    func bool(_ key: String, _ fallback: Bool) throws -> Bool {
        guard let value = json[key], !(value is NSNull) else { return fallback }
        guard let b = value as? Bool else { throw fail("\"\(key)\" must be true or false") }
        return b
    }

    func string(_ key: String) throws -> String {
        guard let s = json[key] as? String else { throw fail("\"\(key)\" must be a string") }
        return s
    }

    func optionalString(_ key: String) -> String? { json[key] as? String }

    func int(_ key: String) -> Int? { ComponentConfig.int(json[key]) }

    static func int(_ any: Any?) -> Int? {
        if let n = any as? NSNumber, !(any is Bool) { return n.intValue }
        return any as? Int
    }

    /// The sub-components in `key` (Sequence members), each with its location.
    func children(_ key: String) throws -> [ComponentConfig] {
        guard let list = json[key] as? [Any] else { throw fail("\"\(key)\" must be a list") }
        return try list.enumerated().map { i, element in
            guard let object = element as? [String: Any] else { throw fail("\(key)[\(i)] must be an object") }
            return ComponentConfig(json: object, location: "\(location).\(key)[\(i)]", path: path)
        }
    }

    /// Builds the component `table` registers under this config's `type`, or refuses it.
    func build<T>(_ table: [String: (ComponentConfig) throws -> T]) throws -> T {
        guard let make = table[type] else {
            throw fail("component type \"\(type)\" is not implemented (supported: \(table.keys.sorted().joined(separator: ", ")))")
        }
        return try make(self)
    }
}

/// A `pattern` of Replace or Split: `{"String": ...}` or `{"Regex": ...}`.
enum TextPattern {
    case string(String)
    case regex(String)

    init(_ config: ComponentConfig) throws {
        guard let object = config.json["pattern"] as? [String: Any] else { throw config.fail("\"pattern\" must be an object") }
        if let s = object["String"] as? String {
            self = .string(s)
        } else if let r = object["Regex"] as? String {
            self = .regex(r)
        } else {
            throw config.fail("\"pattern\" must hold String or Regex")
        }
    }
}
