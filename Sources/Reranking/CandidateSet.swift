import Formats
import Foundation

/// The first-stage candidates of every query of a run, matched to the query texts.
///
/// A query's candidates are put in first-stage order: score descending, then the run's rank
/// field ascending, then file order. That is the order a first-stage tool meant (its scores),
/// with its own rank numbers breaking score ties, and it does not depend on how the file
/// happens to be sorted.
public struct CandidateSet {
    /// One query: its id, its text and its candidates in first-stage order.
    public struct QueryCandidates {
        /// The query id.
        public var qid: String
        /// The query text from the query file.
        public var text: String
        /// Candidates, best first.
        public var entries: [RunEntry]
    }

    /// Queries in the order they first appear in the run.
    public var queries: [QueryCandidates]
    /// The run file.
    public var runPath: String

    /// Matches `run` to `queries`; a run query the query file lacks is an error at the line
    /// where the run first names it.
    public init(run: TrecRun, queries: [Query], queriesPath: String) throws {
        var texts: [String: String] = [:]
        for q in queries { texts[q.id] = q.text }
        runPath = run.path
        self.queries = []
        self.queries.reserveCapacity(run.queries.count)
        for (qid, entries) in run.queries {
            guard let text = texts[qid] else {
                throw IndexerError.badInput(
                    "query '\(qid)' is not in the query file \(queriesPath)", path: run.path,
                    line: entries.first?.line)
            }
            let ordered = entries.enumerated().sorted { a, b in
                if a.element.score != b.element.score { return a.element.score > b.element.score }
                if a.element.rank != b.element.rank { return a.element.rank < b.element.rank }
                return a.offset < b.offset
            }.map(\.element)
            self.queries.append(QueryCandidates(qid: qid, text: text, entries: ordered))
        }
    }
}
