import Foundation

/// What the encoders need from a tokenizer, whatever its model (WordPiece, BPE, Unigram):
/// the folder's `tokenizer.json` pipeline, with its special-token template and truncation.
///
/// Implementations are immutable after loading, so one instance serves every thread.
public protocol TextTokenizer: Sendable {
    /// The number of ids the model's embedding table must cover (largest id + 1).
    var vocabularySize: Int { get }
    /// The padding id, for callers that pad batches.
    var padId: Int32 { get }
    /// Ids of `text` without special tokens and without truncation
    /// (HF `encode(text, add_special_tokens=False)`).
    func wordPieces(_ text: String) -> [Int32]
    /// One text with the post-processor's special tokens, at most `maxLength` ids.
    func encode(_ text: String, maxLength: Int) -> TokenizedText
    /// A text pair with the post-processor's special tokens and type ids, at most
    /// `maxLength` ids; truncation is HF `only_second`, falling back to `longest_first`.
    func encodePair(_ first: String, _ second: String, maxLength: Int) -> TokenizedText
}

/// Loads the tokenizer a model folder defines.
public enum Tokenizers {
    /// The tokenizer of `modelDirectory` (`tokenizer.json`, else `vocab.txt`); a component
    /// that is not implemented is refused with its name and the file.
    ///
    /// BERT's exact pipeline (BertNormalizer, BertPreTokenizer, WordPiece, BERT's template)
    /// gets ``BertTokenizer``, several times faster; anything else, or a BERT file with options
    /// BertTokenizer does not take (e.g. normalized added tokens), the general
    /// ``PipelineTokenizer``.
    public static func load(modelDirectory: String) throws -> any TextTokenizer {
        let path = modelDirectory + "/tokenizer.json"
        guard FileManager.default.fileExists(atPath: path) else { return try BertTokenizer(modelDirectory: modelDirectory) }
        let root = try TokenizerDefinition.readJSONObject(path: path)
        if isBertPipeline(root), let bert = try? BertTokenizer(modelDirectory: modelDirectory) { return bert }
        return try PipelineTokenizer(root: root, path: path)
    }

    /// Whether the stages are BERT's; BertTokenizer itself checks the template and options.
    static func isBertPipeline(_ root: [String: Any]) -> Bool {
        func type(_ key: String) -> String? { (root[key] as? [String: Any])?["type"] as? String }
        return type("normalizer") == "BertNormalizer" && type("pre_tokenizer") == "BertPreTokenizer"
            && type("model") == "WordPiece"
            && ["TemplateProcessing", "BertProcessing"].contains(type("post_processor") ?? "")
    }
}
