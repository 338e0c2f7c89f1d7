import Formats
import Inference
import ShardStore

/// Hands out the vectors an existing float32 index already holds, looked up by text.
///
/// For storage benchmarks (`scripts/bench-build`): one real embedding pass, then every other
/// encoding and codec is built from the same vectors without running the model again. The
/// fingerprint is the source index's, which is honest because f32 vectors are stored exactly.
/// Selected by the test-only environment variable `INDEXER_TEST_EMBEDDER=replay:INDEX_DIR`.
public final class ReplayEmbedder: DocumentEmbedder {
    /// Components a vector.
    public let dimension: Int
    /// The source index's model fingerprint.
    public let fingerprint: String
    private var vectors: [String: [Float]] = [:]
    private let source: String

    /// Loads every (text, vector) of the f32 index in `directory`.
    public init(indexDirectory directory: String) throws {
        source = directory
        let m = try Manifest.load(directory: directory)
        guard m.encoding == "f32" else {
            throw IndexerError(.usage, "replay needs an f32 index, not \(m.encoding)", path: directory)
        }
        dimension = m.dimension
        fingerprint = m.modelFingerprint
        for s in m.shards {
            let r = try ShardReader(path: directory + "/" + s.file)
            for b in 0..<r.vectorBlockCount {
                let v = try r.vectors(block: b)
                for (k, row) in r.rows(ofVectorBlock: b).enumerated() {
                    vectors[try r.text(row: row)] = Array(v[(k * dimension)..<((k + 1) * dimension)])
                }
            }
        }
    }

    /// The stored vector of each text; a text the source index lacks is an error.
    public func embedDocuments(_ texts: [String]) throws -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(texts.count * dimension)
        for t in texts {
            guard let v = vectors[t] else {
                throw IndexerError(.usage, "replay index does not hold the text '\(t.prefix(40))...'", path: source)
            }
            out += v
        }
        return out
    }
}
