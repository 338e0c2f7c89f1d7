/// The one order of results everywhere (dense, BM25, fusion, merge): score descending, then
/// document id ascending in UTF-8 byte order.
///
/// It is total (document ids are unique in an index), so the top N of any partition of the
/// documents merge into the same global top N, which is what makes a run the same bytes for any
/// shard count, thread count or batch size. Documented in docs/SEARCH.md. It lives in Formats,
/// beside the run types, so that every module ranks by the same rule.
public enum ResultOrder {
    /// Whether `(scoreA, idA)` ranks before `(scoreB, idB)`.
    @inlinable
    public static func precedes(_ scoreA: Float, _ idA: String, _ scoreB: Float, _ idB: String) -> Bool {
        if scoreA != scoreB { return scoreA > scoreB }
        return idPrecedes(idA, idB)
    }

    /// The same for double scores (fusion).
    @inlinable
    public static func precedes(_ scoreA: Double, _ idA: String, _ scoreB: Double, _ idB: String) -> Bool {
        if scoreA != scoreB { return scoreA > scoreB }
        return idPrecedes(idA, idB)
    }

    /// Whether `a` sorts before `b` by UTF-8 bytes (not Swift's `<`, which compares Unicode
    /// canonical equivalents and would differ from `sort` with `LC_ALL=C` and from Python).
    @inlinable
    public static func idPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// One retrieved document: its id and score.
public struct ScoredDocument: Sendable, Equatable {
    /// The document id.
    public var id: String
    /// The score (higher is better).
    public var score: Float

    /// Creates a result.
    public init(id: String, score: Float) {
        self.id = id
        self.score = score
    }

    /// Whether `self` ranks before `other` under ``ResultOrder``.
    @inlinable
    public func precedes(_ other: ScoredDocument) -> Bool {
        ResultOrder.precedes(score, id, other.score, other.id)
    }
}
