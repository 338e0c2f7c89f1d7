import Formats
import Foundation
import ShardStore

/// The library entry point of `indexer build`.
public enum IndexBuild {
    /// Chooses the embedder, then builds: the one call the command makes.
    ///
    /// The embedder is the bi-encoder in `options.modelDirectory`, unless the test-only
    /// environment variable `INDEXER_TEST_EMBEDDER` selects `hash-DIM` (``HashEmbedder``, for the
    /// subprocess tests; its vectors carry no meaning) or `replay:INDEX_DIR` (``ReplayEmbedder``,
    /// the vectors of an f32 index, for storage benchmarks).
    public static func run(_ options: BuildOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BuildSummary {
        let embedder = try makeEmbedder(options, environment: environment)
        return try IndexBuilder(options: options, embedder: embedder, environment: environment).run()
    }

    /// The embedder `run` uses.
    public static func makeEmbedder(_ options: BuildOptions, environment: [String: String]) throws -> DocumentEmbedder {
        if let spec = environment["INDEXER_TEST_EMBEDDER"], !spec.isEmpty {
            if spec.hasPrefix("replay:") { return try ReplayEmbedder(indexDirectory: String(spec.dropFirst(7))) }
            guard spec.hasPrefix("hash-"), let d = Int(spec.dropFirst(5)), (1...4096).contains(d) else {
                throw IndexerError(.usage, "INDEXER_TEST_EMBEDDER='\(spec)' must be hash-DIM or replay:INDEX_DIR")
            }
            return HashEmbedder(dimension: d)
        }
        return try modelEmbedder(options, environment: environment)
    }
}
