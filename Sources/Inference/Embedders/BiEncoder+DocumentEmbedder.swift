import Formats

/// The bi-encoder embeds documents for the build; its fingerprint covers weights, tokenizer,
/// pooling and maximum length, and a text's vector does not depend on its batch or threads.
extension BiEncoder: DocumentEmbedder {
    /// Embeds a batch of texts (row-major, L2-normalised).
    public func embedDocuments(_ texts: [String]) throws -> [Float] {
        try embed(texts, batchSize: max(1, texts.count))
    }
}
