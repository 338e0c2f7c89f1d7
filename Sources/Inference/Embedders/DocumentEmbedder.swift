import Formats

/// What the build and the query side of search need from a bi-encoder: a dimension, a fingerprint and a batch embed.
///
/// ``BiEncoder`` conforms (see `BiEncoder+DocumentEmbedder.swift`); tests use
/// ``HashEmbedder`` so the storage layer and the driver can be tested without the model.
/// `embed` must give each text the same vector whatever else is in the batch: the index bytes
/// must not depend on batch size, thread count or which shards a worker builds.
public protocol DocumentEmbedder: AnyObject {
    /// Components a vector.
    var dimension: Int { get }
    /// Identifies the model, tokenizer, pooling and anything else that changes the vectors.
    var fingerprint: String { get }
    /// Embeds `texts`: `texts.count × dimension` floats, row-major.
    func embedDocuments(_ texts: [String]) throws -> [Float]
    /// Embeds queries (a bi-encoder adds its query prompt); by default as documents.
    func embedQueries(_ texts: [String]) throws -> [Float]
}

extension DocumentEmbedder {
    /// Queries embedded as documents (for embedders without prompts).
    public func embedQueries(_ texts: [String]) throws -> [Float] { try embedDocuments(texts) }
}

/// A deterministic stand-in for a model: each text's vector comes from SHA-256 of its bytes.
///
/// For tests and storage benchmarks only (selected in the command line by the test-only
/// environment variable `INDEXER_TEST_EMBEDDER=hash-DIM`); the vectors carry no meaning.
public final class HashEmbedder: DocumentEmbedder {
    /// Components a vector.
    public let dimension: Int
    /// `hash-embedder-v1-dDIM`.
    public var fingerprint: String { "hash-embedder-v1-d\(dimension)" }
    /// Texts embedded so far.
    public private(set) var embedded = 0

    /// An embedder of `dimension` components.
    public init(dimension: Int) {
        self.dimension = dimension
    }

    /// Unit vectors whose components are drawn from a SplitMix64 stream seeded by the text.
    public func embedDocuments(_ texts: [String]) throws -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(texts.count * dimension)
        for t in texts {
            var h = SHA256()
            h.update(t)
            let d = h.finalize()
            var seed: UInt64 = 0
            for i in 0..<8 { seed = seed << 8 | UInt64(d[i]) }
            var rng = SplitMix64(seed: seed)
            var v = [Float](repeating: 0, count: dimension)
            var norm: Float = 0
            for j in 0..<dimension {
                v[j] = rng.nextUnitFloat() * 2 - 1
                norm += v[j] * v[j]
            }
            let s = norm > 0 ? 1 / norm.squareRoot() : 0
            out.append(contentsOf: v.map { $0 * s })
        }
        embedded += texts.count
        return out
    }
}
