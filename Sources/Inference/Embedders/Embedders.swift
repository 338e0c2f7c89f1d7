import Formats

/// Makes the embedder a command asks for: the one factory build and search share.
public enum Embedders {
    /// The bi-encoder of `modelDirectory` on `threads` threads, unless the test-only
    /// environment variable `INDEXER_TEST_EMBEDDER=hash-DIM` selects ``HashEmbedder`` (for the
    /// subprocess tests; its vectors carry no meaning). Other `INDEXER_TEST_EMBEDDER` values
    /// are the caller's (the build's `replay:`); here they are refused.
    /// `modelDirectory` is a folder or `hf:ORG/NAME[@REV]` (``ModelResolver``); the prompts
    /// override the folder's own (nil: the folder's).
    public static func make(
        modelDirectory: String, threads: Int?, queryPrompt: String? = nil, documentPrompt: String? = nil,
        precision: Precision = .fp32, environment: [String: String]
    ) throws -> DocumentEmbedder {
        if let spec = environment["INDEXER_TEST_EMBEDDER"], !spec.isEmpty {
            guard spec.hasPrefix("hash-"), let d = Int(spec.dropFirst(5)), (1...4096).contains(d) else {
                throw IndexerError(.usage, "INDEXER_TEST_EMBEDDER='\(spec)' must be hash-DIM")
            }
            return HashEmbedder(dimension: d)
        }
        return try BiEncoder(
            modelDirectory: try ModelResolver(environment: environment).resolve(modelDirectory), threads: threads,
            queryPrompt: queryPrompt, documentPrompt: documentPrompt, precision: precision)
    }
}
