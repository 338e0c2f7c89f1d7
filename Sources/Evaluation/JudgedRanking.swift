import Formats
import Foundation

/// One query's retrieved documents in trec_eval's order, each with its judged grade.
///
/// trec_eval (form_res_rels.c) ignores the rank field, sorts by score descending and breaks
/// ties by document id DESCENDING in `strcmp` (byte) order. We compare the ids' UTF-8 bytes,
/// which is what `strcmp` does (Swift's `String <` would compare Unicode-normalised text).
public struct JudgedRanking: Sendable {
    /// Grades of the retrieved documents in trec_eval order; nil for documents not judged, and
    /// for negative grades (trec_eval's "in pool, unjudged": never relevant, no gain).
    public var grades: [Int?]
    /// The number of judged documents with grade >= the relevance level (recall's and AP's
    /// denominator), retrieved or not.
    public var relevantCount: Int
    /// All positive judged grades, descending: the ideal ranking's gains for nDCG.
    public var idealGains: [Int]
    /// The relevance level: grades >= it are relevant for P, recall, MRR and AP (trec_eval -l).
    public var relevanceLevel: Int

    /// Orders `entries` as trec_eval does and looks up each document in `judgments`.
    public init(entries: [RunEntry], judgments: [String: Int], relevanceLevel: Int = 1) {
        let ordered = JudgedRanking.trecEvalOrder(entries)
        grades = ordered.map { e in
            guard let g = judgments[e.docid], g >= 0 else { return nil }
            return g
        }
        relevantCount = judgments.values.reduce(0) { $0 + ($1 >= 0 && $1 >= relevanceLevel ? 1 : 0) }
        idealGains = judgments.values.filter { $0 > 0 }.sorted(by: >)
        self.relevanceLevel = relevanceLevel
    }

    /// A ranking from grades directly (tests, oracle rankings).
    public init(grades: [Int?], relevantCount: Int, idealGains: [Int], relevanceLevel: Int = 1) {
        self.grades = grades
        self.relevantCount = relevantCount
        self.idealGains = idealGains
        self.relevanceLevel = relevanceLevel
    }

    /// Score descending, then document id descending by bytes: trec_eval's `comp_sim_docno`.
    public static func trecEvalOrder(_ entries: [RunEntry]) -> [RunEntry] {
        entries.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            return b.docid.utf8.lexicographicallyPrecedes(a.docid.utf8)
        }
    }

    @inline(__always) func isRelevant(_ g: Int?) -> Bool {
        guard let g else { return false }
        return g >= relevanceLevel
    }

    /// The value of `metric` for this query.
    public func value(_ metric: Metric) -> Double {
        switch metric {
        case .ndcg(let k): return ndcg(cut: k)
        case .recall(let k): return recall(cut: k)
        case .precision(let k): return precision(cut: k)
        case .mrr(let k): return reciprocalRank(cut: k)
        case .map(let k): return averagePrecision(cut: k)
        }
    }

    /// nDCG: sum of grade / log2(rank + 1) over the top k, divided by the same over the ideal
    /// ranking of all positive judged grades (0 when there is none): m_ndcg_cut.c.
    public func ndcg(cut k: Int?) -> Double {
        let n = min(grades.count, k ?? grades.count)
        var dcg = 0.0
        for i in 0..<n {
            if let g = grades[i], g > 0 { dcg += Double(g) / log2(Double(i + 2)) }
        }
        let m = min(idealGains.count, k ?? idealGains.count)
        var ideal = 0.0
        for i in 0..<m { ideal += Double(idealGains[i]) / log2(Double(i + 2)) }
        return ideal > 0 ? dcg / ideal : 0
    }

    /// Relevant retrieved in the top k divided by all relevant judged (0 when none): m_recall.c.
    public func recall(cut k: Int) -> Double {
        guard relevantCount > 0 else { return 0 }
        var hits = 0
        for i in 0..<min(grades.count, k) where isRelevant(grades[i]) { hits += 1 }
        return Double(hits) / Double(relevantCount)
    }

    /// Relevant retrieved in the top k divided by k (missing ranks count as not relevant): m_P.c.
    public func precision(cut k: Int) -> Double {
        var hits = 0
        for i in 0..<min(grades.count, k) where isRelevant(grades[i]) { hits += 1 }
        return Double(hits) / Double(k)
    }

    /// 1 / rank of the first relevant document within the top k (uncut when nil), else 0.
    public func reciprocalRank(cut k: Int?) -> Double {
        for i in 0..<min(grades.count, k ?? grades.count) where isRelevant(grades[i]) {
            return 1 / Double(i + 1)
        }
        return 0
    }

    /// Sum of precision at each relevant retrieved document (within the top k), divided by all
    /// relevant judged: m_map.c, m_map_cut.c.
    public func averagePrecision(cut k: Int?) -> Double {
        guard relevantCount > 0 else { return 0 }
        var hits = 0
        var sum = 0.0
        for i in 0..<min(grades.count, k ?? grades.count) where isRelevant(grades[i]) {
            hits += 1
            sum += Double(hits) / Double(i + 1)
        }
        return sum / Double(relevantCount)
    }

    /// The rank (1-based) of the first relevant document, or nil when none is retrieved.
    public var firstRelevantRank: Int? {
        grades.firstIndex(where: { isRelevant($0) }).map { $0 + 1 }
    }
}
