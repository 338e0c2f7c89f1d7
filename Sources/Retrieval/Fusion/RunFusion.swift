import Formats

/// How ``RunFusion`` combines runs.
public enum FusionMethod: Sendable, Equatable {
    /// Reciprocal rank fusion: `Σ_runs 1 / (k + rank)`, rank from 1.
    case rrf(k: Double)
    /// The sum over runs of min-max normalised scores, `(s − min) / (max − min)` per query.
    case minMax

    /// The default RRF constant (Cormack et al. 2009).
    public static let defaultK = 60.0
    /// Hybrid search's default depth: each list (BM25, dense) is cut here before fusion. The
    /// one home of the figure: `indexer search --fusion-depth` and job files use it.
    public static let defaultDepth = 1000
    /// The fusion depths `indexer search` and job files accept (one range, so a job file and its
    /// command line agree).
    public static let depthRange = 1...100_000
}

/// `indexer fuse`: several runs (say lexical and dense) into one candidate list.
///
/// Rules (docs/SEARCH.md):
/// - A run's rank of a document is its position when the query's lines are sorted by score
///   descending, then document id ascending (the file's rank column is ignored, as trec_eval
///   ignores it); for runs `indexer` writes, that is the written rank.
/// - A document missing from a run gets nothing from that run (for min-max: as if it scored
///   that run's minimum).
/// - Min-max: when all of a query's scores in a run are equal, each of its documents gets 1.
/// - Contributions are added in double precision, in the order the runs are given, so the
///   fused score is the same bytes on every machine; fused results are ordered by score
///   descending, then document id ascending, and cut to `topN`.
/// - Queries come in order of first appearance over the runs in the order given.
public enum RunFusion {
    /// The fused ranking of every query.
    public static func fuse(_ runs: [TrecRun], method: FusionMethod, topN: Int) -> [(qid: String, results: [(id: String, score: Double)])] {
        var order: [String] = []
        var seen: Set<String> = []
        for r in runs {
            for q in r.queries where seen.insert(q.qid).inserted { order.append(q.qid) }
        }
        var out: [(qid: String, results: [(id: String, score: Double)])] = []
        out.reserveCapacity(order.count)
        for qid in order {
            var fused: [String: Double] = [:]
            var firstSeen: [String] = []
            for run in runs {
                guard let entries = run.entries(for: qid), !entries.isEmpty else { continue }
                let ranked = entries.sorted { ResultOrder.precedes($0.score, $0.docid, $1.score, $1.docid) }
                let lo = ranked.last!.score, hi = ranked.first!.score
                for (i, e) in ranked.enumerated() {
                    let c: Double
                    switch method {
                    case .rrf(let k): c = 1 / (k + Double(i + 1))
                    case .minMax: c = hi > lo ? (e.score - lo) / (hi - lo) : 1
                    }
                    if let v = fused[e.docid] { fused[e.docid] = v + c } else { fused[e.docid] = c; firstSeen.append(e.docid) }
                }
            }
            let ranked = firstSeen.map { (id: $0, score: fused[$0]!) }
                .sorted { ResultOrder.precedes($0.score, $0.id, $1.score, $1.id) }
            out.append((qid, Array(ranked.prefix(topN))))
        }
        return out
    }

    /// Reads `paths`, fuses them and writes the run `out` with tag `tag`; returns the queries written.
    @discardableResult
    public static func run(paths: [String], method: FusionMethod, topN: Int, out: String, tag: String) throws -> Int {
        guard !paths.isEmpty else { throw IndexerError(.usage, "no runs to fuse") }
        let runs = try paths.map { try TrecRun.read(path: $0) }
        let fused = fuse(runs, method: method, topN: topN)
        try TrecRunWriter.write(to: out) { writer in
            for q in fused {
                for (r, d) in q.results.enumerated() {
                    try writer.write(qid: q.qid, docid: d.id, rank: r + 1, score: d.score, tag: tag)
                }
            }
        }
        return fused.count
    }
}
