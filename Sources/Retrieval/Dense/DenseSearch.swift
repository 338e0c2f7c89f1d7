import Dispatch
import Formats
import Foundation
import ShardStore

/// Exact top-N search of query vectors over index shards.
///
/// The work is the list of (shard, vector block) pairs; `threads` workers claim blocks in turn,
/// each keeping its own bounded top-N per query, and the workers' lists are merged at the end.
/// Because ``ResultOrder`` is total and every score is computed the same way wherever it is
/// computed (``ExactScorer``), the result does not depend on the thread count, the shards'
/// split, or how queries were batched.
public final class DenseSearch {
    /// The shards searched.
    public let shards: [ShardReader]
    /// Components a vector.
    public let dimension: Int
    /// Every searched document's id; document numbers index it (shard by shard, row order).
    let ids: [String]
    private let bases: [Int]

    /// Prepares a search over `shards` (all of one dimension); reads every document id.
    public init(shards: [ShardReader]) throws {
        self.shards = shards
        dimension = shards.first?.dimension ?? 0
        var ids: [String] = []
        var bases: [Int] = []
        for s in shards {
            guard s.dimension == dimension else {
                throw IndexerError(.mismatch, "shard has dimension \(s.dimension), another has \(dimension)", path: s.path)
            }
            bases.append(ids.count)
            ids.append(contentsOf: try s.allIDs())
            guard ids.count < Int(Int32.max) else {
                throw IndexerError(.usage, "more than \(Int32.max) documents in one search; search fewer shards at a time and merge", path: s.path)
            }
        }
        self.ids = ids
        self.bases = bases
    }

    /// Documents searched.
    public var documentCount: Int { ids.count }

    /// The top `topN` documents of each query, best first under ``ResultOrder``.
    ///
    /// `queries` holds `count × dimension` floats, row-major. Fewer than `topN` results come
    /// back only when the shards hold fewer documents.
    public func search(queries: [Float], count: Int, topN: Int, threads: Int,
                       progress: Formats.Progress? = nil) throws -> [[ScoredDocument]] {
        guard queries.count == count * dimension else {
            throw IndexerError(.mismatch, "query vectors have \(count > 0 ? queries.count / count : 0) components, the index \(dimension)")
        }
        if count == 0 || ids.isEmpty || topN == 0 { return Array(repeating: [], count: count) }
        var items: [(shard: Int, block: Int)] = []
        for (s, r) in shards.enumerated() {
            for b in 0..<r.vectorBlockCount { items.append((s, b)) }
        }
        // Bounded memory for the score matrix: queries are scored in groups.
        let groupSize = 768
        let groups: [Range<Int>] = stride(from: 0, to: count, by: groupSize).map { $0..<min(count, $0 + groupSize) }
        let scorers = groups.map { g in
            ExactScorer(queries: Array(queries[(g.lowerBound * dimension)..<(g.upperBound * dimension)]), count: g.count, dimension: dimension)
        }
        let workers = max(1, min(threads, items.count))
        let lock = NSLock()
        var next = 0
        var failure: Error?
        var results = [[TopN]](repeating: [], count: workers)
        let ids = self.ids
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var tops = [TopN](repeating: TopN(capacity: topN), count: count)
            let local = scorers.map { ExactScorer(sharing: $0) }
            var floats: [Float] = []
            while true {
                lock.lock()
                let i = next
                next += 1
                let stop = failure != nil
                lock.unlock()
                if stop || i >= items.count { break }
                let (s, b) = items[i]
                do {
                    try scoreBlock(shard: s, block: b, scorers: local, groups: groups, tops: &tops, floats: &floats, ids: ids)
                } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                    break
                }
                progress?.advance(by: shards[s].rows(ofVectorBlock: b).count)
            }
            lock.lock()
            results[w] = tops
            lock.unlock()
        }
        if let failure { throw failure }
        var out: [[ScoredDocument]] = []
        out.reserveCapacity(count)
        for q in 0..<count {
            var merged: [(score: Float, doc: Int32)] = []
            for w in 0..<workers { merged.append(contentsOf: results[w][q].sorted(ids: ids)) }
            merged.sort { ResultOrder.precedes($0.score, ids[Int($0.doc)], $1.score, ids[Int($1.doc)]) }
            out.append(merged.prefix(topN).map { ScoredDocument(id: ids[Int($0.doc)], score: $0.score) })
        }
        return out
    }

    private func scoreBlock(shard s: Int, block b: Int, scorers: [ExactScorer], groups: [Range<Int>],
                            tops: inout [TopN], floats: inout [Float], ids: [String]) throws {
        let reader = shards[s]
        let rows = reader.rows(ofVectorBlock: b)
        let base = Int32(bases[s] + rows.lowerBound)
        let n = rows.count
        var scales: [Float]? = nil
        if reader.header.settings.encoding == .int8 {
            let (codes, sc) = try reader.int8Block(b)
            scales = sc
            for sco in scorers { codes.withUnsafeBufferPointer { sco.score(codes: $0, rows: n) } }
        } else {
            try reader.decodeVectors(block: b, into: &floats)
            for sco in scorers { floats.withUnsafeBufferPointer { sco.score(vectors: $0, rows: n) } }
        }
        for (g, sco) in zip(groups, scorers) {
            for (k, q) in g.enumerated() {
                sco.withScores(query: k, rows: n) { sc in
                    var threshold = tops[q].threshold
                    for r in 0..<n {
                        var v = sc[r]
                        if let scales { v = v * scales[r] }
                        if v < threshold { continue }
                        tops[q].offer(v, base + Int32(r), ids: ids)
                        threshold = tops[q].threshold
                    }
                }
            }
        }
    }
}

extension ExactScorer {
    /// A scorer over the same queries with its own buffers (one a worker).
    convenience init(sharing other: ExactScorer) {
        self.init(padded: other.paddedQueries, count: other.queryCount, paddedCount: other.paddedCount, dimension: other.dimension)
    }
}
