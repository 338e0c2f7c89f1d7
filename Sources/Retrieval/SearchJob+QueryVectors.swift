import Formats
import Foundation
import ShardStore

extension SearchJob {
    /// `indexer search --write-query-vectors FILE`: embeds the (judged, non-empty) queries once
    /// with the index's model and writes them for the partial searches (``QueryVectors``).
    public static func writeQueryVectors(
        _ options: SearchOptions, to path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Int {
        let manifest = try Manifest.load(directory: options.indexDirectory)
        let searched = try selectQueries(options).filter { !$0.text.allSatisfy(\.isWhitespace) }
        let vectors = try embedQueries(options, manifest: manifest, searched: searched, environment: environment)
        let digest = try PartialSidecar.queryDigest(queries: options.queriesPath, qrels: options.qrelsPath)
        try QueryVectors(
            model: manifest.modelFingerprint, dimension: manifest.dimension, queries: digest,
            ids: searched.map(\.id), vectors: vectors
        ).write(to: path)
        return searched.count
    }

    /// The query vectors of a dense search: read from `--query-vectors` (checked against the
    /// index's model and this search's queries), else embedded here.
    static func queryVectors(
        _ options: SearchOptions, manifest: Manifest, searched: [Query],
        environment: [String: String]
    ) throws -> [Float] {
        guard let path = options.queryVectorsPath else {
            return try embedQueries(options, manifest: manifest, searched: searched, environment: environment)
        }
        let q = try QueryVectors.read(path: path)
        try q.check(
            model: manifest.modelFingerprint, dimension: manifest.dimension,
            queries: try PartialSidecar.queryDigest(queries: options.queriesPath, qrels: options.qrelsPath),
            ids: searched.map(\.id), path: path)
        return q.vectors
    }

    /// Embeds `searched` in batches with the index's bi-encoder.
    static func embedQueries(
        _ options: SearchOptions, manifest: Manifest, searched: [Query],
        environment: [String: String]
    ) throws -> [Float] {
        let embedder = try makeQueryEmbedder(options, environment: environment)
        guard embedder.fingerprint == manifest.modelFingerprint else {
            throw IndexerError(
                .mismatch,
                "the index was built with model '\(manifest.modelFingerprint)', the queries would be embedded with '\(embedder.fingerprint)'; search with the index's model (--model), prompts (--query-prompt, --document-prompt) and precision (--precision)",
                path: options.indexDirectory)
        }
        guard embedder.dimension == manifest.dimension else {
            throw IndexerError(
                .mismatch, "the model gives \(embedder.dimension) components, the index holds \(manifest.dimension)", path: options.indexDirectory)
        }
        var vectors: [Float] = []
        vectors.reserveCapacity(searched.count * manifest.dimension)
        let progress = Formats.Progress("embed queries", total: searched.count, unit: "queries", quiet: options.quiet)
        for start in stride(from: 0, to: searched.count, by: options.batchSize) {
            let batch = searched[start..<min(searched.count, start + options.batchSize)].map(\.text)
            let v = try embedder.embedQueries(batch)
            guard v.count == batch.count * manifest.dimension else {
                throw IndexerError(.internal, "the embedder returned \(v.count) floats for \(batch.count) queries")
            }
            vectors.append(contentsOf: v)
            progress.advance(by: batch.count)
        }
        progress.finish()
        return vectors
    }
}
