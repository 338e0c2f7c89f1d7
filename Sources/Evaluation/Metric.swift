import Formats
import Foundation

/// One evaluation measure, named as users write it (`ndcg@10`) and as trec_eval names it.
///
/// Every measure follows trec_eval's definition (see docs/EVALUATION.md): documents re-sorted
/// by score (ties by document id descending), the rank field ignored, judged grades <= 0 not
/// relevant, nDCG gains = grades with discount log2(rank + 1).
public enum Metric: Hashable, Sendable {
    /// nDCG at a cutoff (trec_eval `ndcg_cut.k`), or over the whole ranking (`ndcg`) when nil.
    case ndcg(cut: Int?)
    /// Recall at a cutoff (`recall.k`).
    case recall(cut: Int)
    /// Precision at a cutoff (`P.k`): relevant in the top k divided by k.
    case precision(cut: Int)
    /// Reciprocal rank of the first relevant document within the top k (`recip_rank` on the
    /// ranking cut at k), or uncut (`recip_rank`) when nil.
    case mrr(cut: Int?)
    /// Average precision (`map`), or cut at k (`map_cut.k`).
    case map(cut: Int?)

    /// The measures `indexer eval` prints when none are asked for.
    public static let defaults: [Metric] = [.ndcg(cut: 10), .recall(cut: 100), .mrr(cut: 10), .map(cut: nil), .precision(cut: 10)]

    /// Parses `ndcg@10`, `ndcg`, `recall@100`, `mrr@10`, `mrr`, `map`, `map@10`, `p@10`
    /// (case-insensitive) or the trec_eval names `ndcg_cut.10`, `recall.100`, `P.10`,
    /// `recip_rank`, `map_cut.10`.
    public init(parsing text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        func cut(_ prefix: String) throws -> Int? {
            guard s.hasPrefix(prefix) else { return nil }
            guard let k = Int(s.dropFirst(prefix.count)), k > 0, k <= 1_000_000 else {
                throw IndexerError(.usage, "metric '\(text)' needs a positive whole cutoff (e.g. \(prefix)10)")
            }
            return k
        }
        if s == "ndcg" { self = .ndcg(cut: nil); return }
        if s == "mrr" || s == "recip_rank" { self = .mrr(cut: nil); return }
        if s == "map" { self = .map(cut: nil); return }
        if let k = try cut("ndcg@") ?? cut("ndcg_cut.") { self = .ndcg(cut: k); return }
        if let k = try cut("recall@") ?? cut("recall.") { self = .recall(cut: k); return }
        if let k = try cut("p@") ?? cut("p.") { self = .precision(cut: k); return }
        if let k = try cut("mrr@") ?? cut("recip_rank@") { self = .mrr(cut: k); return }
        if let k = try cut("map@") ?? cut("map_cut.") { self = .map(cut: k); return }
        throw IndexerError(.usage, "unknown metric '\(text)' (known: ndcg@K, ndcg, recall@K, p@K, mrr@K, mrr, map, map@K)")
    }

    /// Parses a comma-separated list; duplicates are dropped, order kept.
    public static func parseList(_ text: String) throws -> [Metric] {
        var out: [Metric] = []
        for part in text.split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            let m = try Metric(parsing: String(part))
            if !out.contains(m) { out.append(m) }
        }
        guard !out.isEmpty else { throw IndexerError(.usage, "--metrics is empty") }
        return out
    }

    /// The name users write: `ndcg@10`, `recall@100`, `mrr@10`, `map`, `p@10`.
    public var name: String {
        switch self {
        case .ndcg(let k): return k.map { "ndcg@\($0)" } ?? "ndcg"
        case .recall(let k): return "recall@\(k)"
        case .precision(let k): return "p@\(k)"
        case .mrr(let k): return k.map { "mrr@\($0)" } ?? "mrr"
        case .map(let k): return k.map { "map@\($0)" } ?? "map"
        }
    }

    /// trec_eval's name for the same figure (`recip_rank` cut at k has no trec_eval name).
    public var trecEvalName: String {
        switch self {
        case .ndcg(let k): return k.map { "ndcg_cut.\($0)" } ?? "ndcg"
        case .recall(let k): return "recall.\(k)"
        case .precision(let k): return "P.\(k)"
        case .mrr(let k): return k.map { "recip_rank, ranking cut at \($0)" } ?? "recip_rank"
        case .map(let k): return k.map { "map_cut.\($0)" } ?? "map"
        }
    }
}
