/// Which first stage `indexer search` runs.
public enum Retriever: String, Sendable, CaseIterable {
    /// Exact inner product over the bi-encoder's vectors.
    case dense
    /// BM25 over the shards' lexical indexes (`indexer build --lexical`).
    case bm25
    /// Both, fused (RRF by default) into one candidate list.
    case hybrid

    /// Whether the run needs the bi-encoder.
    public var usesDense: Bool { self != .bm25 }
    /// Whether the run needs the lexical index.
    public var usesLexical: Bool { self != .dense }
}
