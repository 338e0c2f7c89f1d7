import Formats
import Foundation

/// Scores (query, document) pairs of many queries in length-sorted batches.
///
/// Pairs are tokenised (in parallel), sorted by word-piece count, longest first (ties by input
/// position), cut into batches of `batchSize`, scored batch by batch and scattered back to
/// input order. Neighbours in a batch then have nearly the same length, so a scorer that pads
/// a batch to its longest pair wastes little. The result does not depend on the batch size
/// as long as the scorer's score for a pair does not depend on its batch (true of
/// ``Inference/CrossEncoder``, which is bitwise batch- and thread-independent).
public struct PairPacker {
    /// Pairs per scorer call.
    public let batchSize: Int
    /// Threads used to tokenise.
    public let threads: Int

    /// A packer with `batchSize` pairs a batch, tokenising on `threads` threads.
    public init(batchSize: Int, threads: Int = 1) throws {
        guard batchSize >= 1 else { throw IndexerError(.usage, "batch size must be at least 1, not \(batchSize)") }
        guard threads >= 1 else { throw IndexerError(.usage, "thread count must be at least 1, not \(threads)") }
        self.batchSize = batchSize
        self.threads = threads
    }

    /// Tokenises every pair with `scorer`, in input order.
    public func encode(_ pairs: [(query: String, document: String)], with scorer: PairScorer) -> [EncodedPair] {
        Parallel.map(count: pairs.count, workers: threads) { i in
            scorer.encode(query: pairs[i].query, document: pairs[i].document)
        }
    }

    /// Scores already tokenised pairs; one score per pair, in input order. `scored` is told
    /// the pairs of each batch as it finishes (progress counted per pair, not per chunk).
    public func score(_ encoded: [EncodedPair], with scorer: PairScorer, scored: (Int) -> Void = { _ in }) throws -> [Float] {
        let order = Parallel.longestFirst(encoded.map(\.tokenCount))
        var out = [Float](repeating: 0, count: encoded.count)
        var start = 0
        while start < order.count {
            let end = min(start + batchSize, order.count)
            let batch = order[start..<end]
            let scores = try scorer.score(batch.map { encoded[$0] })
            guard scores.count == batch.count else {
                throw IndexerError(.internal, "scorer returned \(scores.count) scores for \(batch.count) pairs")
            }
            for (k, i) in batch.enumerated() { out[i] = scores[k] }
            scored(batch.count)
            start = end
        }
        return out
    }
}
