import Formats
import Foundation
import ShardStore

/// The library entry point of `indexer build`.
public enum IndexBuild {
    /// Chooses the embedder, then builds: the one call the command makes.
    ///
    /// The embedder is the bi-encoder in `options.modelDirectory`, unless the test-only
    /// environment variable `INDEXER_TEST_EMBEDDER=hash-DIM` selects ``HashEmbedder`` (used by
    /// the subprocess tests and storage benchmarks; it carries no meaning).
    public static func run(_ options: BuildOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BuildSummary {
        let embedder = try makeEmbedder(options, environment: environment)
        return try IndexBuilder(options: options, embedder: embedder, environment: environment).run()
    }

    /// The embedder `run` uses.
    public static func makeEmbedder(_ options: BuildOptions, environment: [String: String]) throws -> DocumentEmbedder {
        if let spec = environment["INDEXER_TEST_EMBEDDER"], !spec.isEmpty {
            guard spec.hasPrefix("hash-"), let d = Int(spec.dropFirst(5)), (1...4096).contains(d) else {
                throw IndexerError(.usage, "INDEXER_TEST_EMBEDDER='\(spec)' must be hash-DIM")
            }
            return HashEmbedder(dimension: d)
        }
        return try modelEmbedder(options)
    }
}
