import Foundation

/// What happens to a query's candidates below the rerank depth.
public enum TailPolicy: String, Sendable, CaseIterable {
    /// Keep them, in first-stage order, under the reranked head (the default: recall below
    /// the depth stays what the first stage had, and evaluation at depths past K still sees
    /// the candidates).
    case keep
    /// Leave them out: the output holds only the reranked head.
    case drop
}

/// The final ranking of one query: the scored head, then (with ``TailPolicy/keep``) the tail.
public enum RerankOrder {
    /// One output line: document, and its output score.
    public struct Ranked: Equatable, Sendable {
        /// The document id.
        public var docid: String
        /// The score written to the run (as the shortest decimal of the float).
        public var score: Float
        /// True for a cross-encoder score; false for a tail placeholder score.
        public var scored: Bool
    }

    /// Orders a head by cross-encoder score descending, ties by first-stage position, and
    /// appends the tail.
    ///
    /// Tail score rule: the i-th tail document (i = 0, 1, ... in first-stage order) gets
    /// `min(head scores) - (1 + i)` in float arithmetic (`-(1 + i)` when the head is empty).
    /// Every tail score is thus about 1 or more below the lowest head score and the tail keeps
    /// its first-stage order under any evaluator that sorts by score (float rounding is
    /// monotone and exact to below 1 while scores stay under 2^23 in magnitude); the values
    /// carry no meaning beyond the order.
    public static func combine(head: [String], scores: [Float], tail: [String], policy: TailPolicy) -> [Ranked] {
        precondition(head.count == scores.count)
        let order = head.indices.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }
        var out: [Ranked] = order.map { Ranked(docid: head[$0], score: scores[$0], scored: true) }
        guard policy == .keep, !tail.isEmpty else { return out }
        let floor = scores.min() ?? 0
        for (i, d) in tail.enumerated() {
            out.append(Ranked(docid: d, score: floor - Float(1 + i), scored: false))
        }
        return out
    }
}
