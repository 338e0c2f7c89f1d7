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
    public func search(
        queries: [Float], count: Int, topN: Int, threads: Int,
        progress: Formats.Progress? = nil
    ) throws -> [[ScoredDocument]] {
        guard queries.count == count * dimension else {
            throw IndexerError(.mismatch, "query vectors have \(count > 0 ? queries.count / count : 0) components, the index \(dimension)")
        }
        if count == 0 || ids.isEmpty || topN == 0 { return Array(repeating: [], count: count) }
        let (groups, items) = workItems(count: count, threads: threads)
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
            var buffer: [Float] = []
            let block = PackedBlock()
            var current: (shard: Int, block: Int, scales: [Float]?)? = nil
            var floats: [Float] = []
            while true {
                lock.lock()
                let i = next
                next += 1
                let stop = failure != nil
                lock.unlock()
                if stop || i >= items.count { break }
                let item = items[i]
                do {
                    if current?.shard != item.shard || current?.block != item.block {
                        let scales = try pack(shard: item.shard, block: item.block, into: block, floats: &floats)
                        current = (item.shard, item.block, scales)
                    }
                    let base = Int32(bases[item.shard] + shards[item.shard].rows(ofVectorBlock: item.block).lowerBound)
                    collect(
                        scorers[item.group], block: block, scales: current?.scales, group: groups[item.group], base: base,
                        buffer: &buffer, tops: &tops, ids: ids)
                } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                    break
                }
                if item.group == groups.count - 1 { progress?.advance(by: shards[item.shard].rows(ofVectorBlock: item.block).count) }
            }
            lock.lock()
            results[w] = tops
            lock.unlock()
        }
        if let failure { throw failure }
        return (0..<count).map { q in DenseSearch.merge(results.map { $0[q] }, topN: topN, ids: ids) }
    }

    /// The query groups for `count` queries and the work items: every (shard, vector block,
    /// query group), block by block.
    func workItems(count: Int, threads: Int) -> (groups: [Range<Int>], items: [(shard: Int, block: Int, group: Int)]) {
        var blocks: [(shard: Int, block: Int)] = []
        for (s, r) in shards.enumerated() {
            for b in 0..<r.vectorBlockCount { blocks.append((s, b)) }
        }
        let groups = DenseSearch.queryGroups(count: count, blocks: blocks.count, threads: threads)
        return (groups, blocks.flatMap { b in groups.indices.map { (shard: b.shard, block: b.block, group: $0) } })
    }

    /// Query groups of the score matrix: bounded memory (at most 768 queries × block rows)
    /// and, when there are few blocks, enough (block, group) items to keep every thread busy.
    /// A worker packs a block once for all the groups it scores on it.
    static func queryGroups(count: Int, blocks: Int, threads: Int) -> [Range<Int>] {
        let tile = 6
        let wanted = (4 * threads + blocks - 1) / blocks
        let groupSize = min(768, max(tile, ((count + wanted - 1) / wanted + tile - 1) / tile * tile))
        return stride(from: 0, to: count, by: groupSize).map { $0..<min(count, $0 + groupSize) }
    }

    /// One query's top N over every worker's partial top N, under ``ResultOrder``.
    static func merge(_ partials: [TopN], topN: Int, ids: [String]) -> [ScoredDocument] {
        var merged: [(score: Float, doc: Int32)] = []
        for top in partials { merged.append(contentsOf: top.sorted(ids: ids)) }
        merged.sort { ResultOrder.precedes($0.score, ids[Int($0.doc)], $1.score, ids[Int($1.doc)]) }
        return merged.prefix(topN).map { ScoredDocument(id: ids[Int($0.doc)], score: $0.score) }
    }

    /// Decodes and packs one block; returns the int8 scales (nil for float encodings).
    private func pack(shard s: Int, block b: Int, into block: PackedBlock, floats: inout [Float]) throws -> [Float]? {
        let reader = shards[s]
        let n = reader.rows(ofVectorBlock: b).count
        if reader.header.settings.encoding == .int8 {
            let (codes, scales) = try reader.int8Block(b)
            codes.withUnsafeBufferPointer { block.pack(codes: $0, rows: n, dimension: dimension) }
            return scales
        }
        try reader.decodeVectors(block: b, into: &floats)
        floats.withUnsafeBufferPointer { block.pack(vectors: $0, rows: n, dimension: dimension) }
        return nil
    }

    /// Scores one query group against a packed block and offers the results to its top-Ns.
    private func collect(
        _ scorer: ExactScorer, block: PackedBlock, scales: [Float]?, group: Range<Int>, base: Int32,
        buffer: inout [Float], tops: inout [TopN], ids: [String]
    ) {
        scorer.score(block, into: &buffer)
        let n = block.rows, stride = block.stride
        buffer.withUnsafeBufferPointer { all in
            for (k, q) in group.enumerated() {
                let sc = UnsafeBufferPointer(rebasing: all[(k * stride)..<(k * stride + n)])
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
