import Formats
import Foundation

/// Which side of retrieval a text is on; it picks the prompt.
public enum TextRole: String, Sendable {
    /// A search query (sentence-transformers' `encode_query`).
    case query
    /// A corpus document (`encode_document`).
    case document
    /// Neither (plain `encode`): the default prompt, if the folder names one.
    case text
}

/// The prompts a bi-encoder prepends to texts, as sentence-transformers 6.3 chooses them from
/// `config_sentence_transformers.json`.
///
/// `encode_query` uses `prompts["query"]` and `encode_document` `prompts["document"]`; a
/// missing entry means no prompt. (sentence-transformers would also look for "passage" and
/// "corpus", but its own empty "document" placeholder always wins, so a folder that only has
/// `prompts["passage"]` encodes documents without a prompt there, and here.) Plain `encode`
/// uses `prompts[default_prompt_name]`.
public struct Prompts: Sendable, Equatable {
    /// Prepended to queries ("" for none).
    public var query: String
    /// Prepended to documents ("" for none).
    public var document: String
    /// Prepended to texts of neither side ("" for none).
    public var text: String

    /// No prompts.
    public static let none = Prompts(query: "", document: "")

    /// Creates a prompt set.
    public init(query: String, document: String, text: String = "") {
        self.query = query
        self.document = document
        self.text = text
    }

    /// The prompt for `role`.
    public func prompt(for role: TextRole) -> String {
        switch role {
        case .query: return query
        case .document: return document
        case .text: return text
        }
    }

    /// The prompts `directory/config_sentence_transformers.json` declares (none when absent).
    public static func declared(directory: String) throws -> Prompts {
        let path = directory + "/config_sentence_transformers.json"
        guard let data = FileManager.default.contents(atPath: path) else { return .none }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw IndexerError(.model, "not a valid JSON object", path: path)
        }
        var table: [String: String] = [:]
        if let raw = json["prompts"], !(raw is NSNull) {
            guard let dict = raw as? [String: Any] else {
                throw IndexerError(.model, "\"prompts\" must be an object of prompt name → text", path: path)
            }
            for (name, value) in dict {
                guard let text = value as? String else {
                    throw IndexerError(.model, "prompts.\(name) must be a string", path: path)
                }
                table[name] = text
            }
        }
        var fallback = ""
        if let name = json["default_prompt_name"] as? String {
            guard let text = table[name] else {
                throw IndexerError(.model, "default_prompt_name '\(name)' is not in \"prompts\"", path: path)
            }
            fallback = text
        }
        return Prompts(query: table["query"] ?? "", document: table["document"] ?? "", text: fallback)
    }

    /// These prompts with `query` and `document` replacing them where given.
    public func overridden(query: String?, document: String?) -> Prompts {
        Prompts(query: query ?? self.query, document: document ?? self.document, text: text)
    }
}
