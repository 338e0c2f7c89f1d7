import Formats
import Foundation

/// The queries the verdict's configuration lost and won most on (change in nDCG@k over the first stage).
public struct DrillDown: Sendable {
    /// A document of a top 3.
    public struct Document: Sendable {
        /// The document id.
        public var id: String
        /// Its judged grade (nil: unjudged).
        public var grade: Int?
        /// The first words of its text (nil when no text source was given or it lacks the id).
        public var snippet: String?
    }

    /// One query, before (first stage) and after (reranked).
    public struct Query: Sendable {
        /// The query id and text (nil without a query file).
        public var qid: String
        public var text: String?
        /// nDCG@k before and after.
        public var before: Double
        public var after: Double
        /// Rank of the first relevant document before and after (nil: none retrieved).
        public var firstRelevantBefore: Int?
        public var firstRelevantAfter: Int?
        /// The top 3 documents before and after.
        public var topBefore: [Document]
        public var topAfter: [Document]

        /// after - before.
        public var change: Double { after - before }
    }

    /// The configuration reranked (its name).
    public var configuration: String
    /// Most negative change first.
    public var lost: [Query]
    /// Most positive change first.
    public var won: [Query]

    /// Words of a snippet.
    public static let snippetWords = 12

    /// The N queries with the largest loss and gain (|change| > 1e-12; ties: qrels order).
    static func make(_ r: DecisionReport, first: TrecRun, reranked: TrecRun, qrels: Qrels) throws -> DrillDown? {
        let n = r.request.drillDown
        guard n > 0 else { return nil }
        let c = r.main
        let before = r.firstStagePerQuery
        let idx = r.queryIDs.indices
        let lost = idx.filter { c.perQuery[$0] - before[$0] < -1e-12 }
            .sorted { (c.perQuery[$0] - before[$0], $0) < (c.perQuery[$1] - before[$1], $1) }.prefix(n)
        let won = idx.filter { c.perQuery[$0] - before[$0] > 1e-12 }
            .sorted { (before[$0] - c.perQuery[$0], $0) < (before[$1] - c.perQuery[$1], $1) }.prefix(n)
        var texts: [String: String] = [:]
        if let path = r.request.queriesPath {
            for q in try QueryReader.read(path: path) { texts[q.id] = q.text }
        }
        let level = r.request.rules.relevanceLevel
        func top(_ run: TrecRun, _ q: String) -> [RunEntry] { Array(JudgedRanking.trecEvalOrder(run.entries(for: q) ?? []).prefix(3)) }
        var ids = Set<String>()
        for i in Array(lost) + Array(won) { for e in top(first, r.queryIDs[i]) + top(reranked, r.queryIDs[i]) { ids.insert(e.docid) } }
        let docs = try r.request.documentTexts?(ids) ?? [:]
        func entry(_ i: Int) -> Query {
            let q = r.queryIDs[i], j = qrels[q]
            func rank(_ run: TrecRun) -> Int? { JudgedRanking(entries: run.entries(for: q) ?? [], judgments: j, relevanceLevel: level).firstRelevantRank }
            func docs3(_ run: TrecRun) -> [Document] {
                top(run, q).map { Document(id: $0.docid, grade: j[$0.docid], snippet: docs[$0.docid].map(Self.snippet)) }
            }
            return Query(
                qid: q, text: texts[q], before: before[i], after: c.perQuery[i], firstRelevantBefore: rank(first),
                firstRelevantAfter: rank(reranked), topBefore: docs3(first), topAfter: docs3(reranked))
        }
        return DrillDown(configuration: c.name, lost: lost.map(entry), won: won.map(entry))
    }

    /// The first ``snippetWords`` words of `text`, with "…" when there are more.
    static func snippet(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        return words.prefix(snippetWords).joined(separator: " ") + (words.count > snippetWords ? " …" : "")
    }
}
