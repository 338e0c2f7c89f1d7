// BM25 over the lexical indexes of shard files, with statistics global to the whole index.
import Dispatch
import Formats
import ShardStore

/// BM25 search of some shards of an index, scored with the statistics of all of its shards.
///
/// Global statistics (docs/LEXICAL.md, "Distributed BM25"): N and the sum of document lengths
/// come from every shard's lexical header; each query term's document frequency is summed over
/// every shard's term dictionary (for shards not searched, only the term blocks that may hold a
/// query term are decoded). So a worker searching one shard (`--shard-id`) scores exactly as a
/// single machine searching all of them, and `indexer merge` of the partial runs gives the
/// single-machine run bit for bit.
///
/// Results are ordered by score descending, then document id ascending (UTF-8 bytes); each
/// shard contributes its top k plus everything tied with its k-th score, so the cut does not
/// depend on how documents are spread over shards.
public final class LexicalShardSearch: @unchecked Sendable {
    /// Shards searched, in the order given.
    public let searchedShards: [Int]
    /// The in-memory searcher over the searched shards.
    public let searcher: LexicalSearcher
    /// Statistics over all shards.
    public let statistics: LexicalCollectionStatistics
    /// Documents in the searched shards.
    public var documentCount: Int { searcher.documentCount }
    private let ids: [[String]]
    private let others: [LexicalShardIndex]

    /// Prepares to search `searched` (indices into `shards`) of an index whose shards are all of
    /// `shards`; every shard must have a lexical index. Loads the searched shards' lexical
    /// indexes and document ids into memory.
    public init(
        shards: [ShardReader], searched: [Int], parameters: BM25Parameters = BM25Parameters(),
        analyzer: EnglishAnalyzer = EnglishAnalyzer()
    ) throws {
        let all = try shards.map { try LexicalShardIndex(reader: $0) }
        let stats = LexicalCollectionStatistics(headers: all.map(\.header))
        var segments: [LexicalSegment] = []
        var ids: [[String]] = []
        for s in searched {
            segments.append(try all[s].segment())
            ids.append(try shards[s].allIDs())
        }
        let searchedSet = Set(searched)
        others = all.indices.filter { !searchedSet.contains($0) }.map { all[$0] }
        self.searchedShards = searched
        self.ids = ids
        statistics = stats
        // Document frequencies are filled per query batch (see `search`); the searcher is rebuilt
        // with them, so start with the searched shards only.
        searcher = LexicalSearcher(
            segments: segments, documentBases: Array(repeating: 0, count: segments.count),
            statistics: stats, documentFrequencies: [:], parameters: parameters, analyzer: analyzer)
    }

    /// The global document frequency of every distinct term of `queries`.
    public func documentFrequencies(_ queries: [LexicalQuery]) throws -> [[UInt8]: Int] {
        var seen: Set<[UInt8]> = []
        var terms: [[UInt8]] = []
        for q in queries { for t in q.terms where seen.insert(t).inserted { terms.append(t) } }
        var df = [Int](repeating: 0, count: terms.count)
        for seg in searcher.segments {
            for (i, t) in terms.enumerated() { df[i] += seg.documentFrequency(t) }
        }
        for other in others {
            let f = try other.documentFrequencies(terms)
            for i in terms.indices { df[i] += f[i] }
        }
        var out: [[UInt8]: Int] = [:]
        for (i, t) in terms.enumerated() { out[t] = df[i] }
        return out
    }

    /// The top `k` results for each query text, in query order; identical for any thread count.
    public func search(
        queries texts: [String], topK k: Int, threads: Int = 1, progress: Formats.Progress? = nil
    ) throws -> [[ScoredDocument]] {
        let queries = texts.map { LexicalQuery($0, analyzer: searcher.analyzer) }
        let df = try documentFrequencies(queries)
        let scorer = LexicalSearcher(
            segments: searcher.segments, documentBases: searcher.documentBases,
            statistics: statistics, documentFrequencies: df,
            parameters: searcher.bm25.parameters, analyzer: searcher.analyzer)
        let ids = self.ids
        func one(_ q: LexicalQuery, _ scratch: inout LexicalSearcher.Scratch) throws -> [ScoredDocument] {
            guard k > 0 else { return [] }
            let w = scorer.weights(q)
            var all: [ScoredDocument] = []
            for s in scorer.segments.indices {
                for h in try scorer.segmentCandidates(segment: s, query: q, weights: w, topK: k, scratch: &scratch) {
                    all.append(ScoredDocument(id: ids[s][h.document], score: h.score))
                }
            }
            all.sort(by: { $0.precedes($1) })
            if all.count > k { all.removeSubrange(k...) }
            progress?.advance(by: 1)
            return all
        }
        return try Parallel.map(count: queries.count, workers: threads, state: { LexicalSearcher.Scratch() }) { i, scratch in
            try one(queries[i], &scratch)
        }
    }
}
