import Formats
import Foundation
import Inference
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
        var o = options
        o.threads = CPUBudget.resolve(options.threads, for: "build", quiet: options.quiet)
        let embedder = try makeEmbedder(o, environment: environment)
        return try IndexBuilder(options: o, embedder: embedder, environment: environment).run()
    }

    /// The embedder `run` uses: ``ReplayEmbedder`` for `INDEXER_TEST_EMBEDDER=replay:INDEX_DIR`,
    /// else what ``Inference/Embedders/make(modelDirectory:threads:environment:)`` gives.
    public static func makeEmbedder(_ options: BuildOptions, environment: [String: String]) throws -> DocumentEmbedder {
        if let spec = environment["INDEXER_TEST_EMBEDDER"], spec.hasPrefix("replay:") {
            return try ReplayEmbedder(indexDirectory: String(spec.dropFirst(7)))
        }
        return try Embedders.make(
            modelDirectory: options.modelDirectory, threads: options.threads,
            queryPrompt: options.queryPrompt, documentPrompt: options.documentPrompt,
            precision: options.precision, environment: environment)
    }
}
