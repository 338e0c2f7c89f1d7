import Formats

/// The bi-encoder embeds documents for the build and queries for the search; its fingerprint
/// covers weights, tokenizer, modules, maximum length and prompts, and a text's vector does
/// not depend on its batch or threads.
extension BiEncoder: DocumentEmbedder {
    /// Embeds a batch of documents (row-major), each after the document prompt.
    public func embedDocuments(_ texts: [String]) throws -> [Float] {
        try embed(texts, batchSize: max(1, texts.count), as: .document)
    }

    /// Embeds a batch of queries (row-major), each after the query prompt.
    public func embedQueries(_ texts: [String]) throws -> [Float] {
        try embed(texts, batchSize: max(1, texts.count), as: .query)
    }
}
