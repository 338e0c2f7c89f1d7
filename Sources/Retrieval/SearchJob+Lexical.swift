import Formats
import Foundation
import Lexical
import ShardStore

extension SearchJob {
    /// BM25 top `depth` of `texts` over the `selected` shards, scored with the statistics of
    /// every shard of the index (docs/LEXICAL.md, "Distributed BM25").
    static func lexicalResults(
        _ options: SearchOptions, index: OpenIndex, selected: [Manifest.Shard],
        texts: [String], depth: Int, threads: Int
    ) throws -> (results: [[ScoredDocument]], documents: Int, searchSeconds: Double) {
        // Every shard, searched or not, feeds the statistics: OpenIndex opened and checked them all.
        let all = try index.shardIndices.map { try index.reader($0) }
        let searched = selected.map(\.index)
        let search = try LexicalShardSearch(shards: all, searched: searched, parameters: options.bm25)
        let start = Date()
        let progress = Formats.Progress("bm25 search", total: texts.count, unit: "queries", quiet: options.quiet)
        let hits = try search.search(queries: texts, topK: depth, threads: threads, progress: progress)
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        return (hits, search.documentCount, seconds)
    }

    /// The RRF (or min-max) fusion of `lexical` and `dense`, query by query, each list already
    /// cut at the fusion depth; BM25 is given first (the order contributions are added in).
    static func fused(
        qids: [String], lexical: [[ScoredDocument]], dense: [[ScoredDocument]],
        method: FusionMethod, topN: Int
    ) -> [[(id: String, score: Double)]] {
        func run(_ lists: [[ScoredDocument]]) -> TrecRun {
            var r = TrecRun()
            for (q, list) in zip(qids, lists) {
                for (i, d) in list.enumerated() {
                    r.append(RunEntry(qid: q, docid: d.id, rank: i + 1, score: Double(d.score), tag: "x"))
                }
            }
            return r
        }
        let fused = RunFusion.fuse([run(lexical), run(dense)], method: method, topN: topN)
        let byQuery = Dictionary(fused.map { ($0.qid, $0.results) }, uniquingKeysWith: { a, _ in a })
        return qids.map { byQuery[$0] ?? [] }
    }
}
