// Term-at-a-time BM25 top-k over one or more lexical segments with global statistics.
import Dispatch
import Formats

#if canImport(Glibc)
    import Glibc
#endif

/// A hit: a document id (global across the searcher's segments) and its BM25 score.
public struct LexicalHit: Equatable, Sendable {
    /// Global document id: the segment's base plus the local id.
    public var document: Int
    /// BM25 score (single precision, as Lucene's).
    public var score: Float

    /// Creates a hit.
    public init(document: Int, score: Float) {
        self.document = document
        self.score = score
    }

    /// The ranking order: score descending, then document id ascending.
    @inline(__always) public static func ranksBefore(_ a: LexicalHit, _ b: LexicalHit) -> Bool {
        a.score > b.score || (a.score == b.score && a.document < b.document)
    }

    /// The best `k` hits of several lists, in ranking order.
    public static func merge(_ lists: [[LexicalHit]], topK k: Int) -> [LexicalHit] {
        var all = lists.flatMap { $0 }
        all.sort(by: ranksBefore)
        return Array(all.prefix(max(0, k)))
    }
}

/// An analyzed query: distinct terms in first-occurrence order with their repeat counts
/// (Anserini's bag-of-words query: a TermQuery per distinct term, boosted by its count).
public struct LexicalQuery: Equatable, Sendable {
    /// Distinct terms as UTF-8 bytes.
    public var terms: [[UInt8]]
    /// How often each term occurs in the query (its boost).
    public var counts: [Int]

    /// Analyzes `text`.
    public init(_ text: String, analyzer: EnglishAnalyzer) {
        var terms: [[UInt8]] = []
        var counts: [Int] = []
        var position: [[UInt8]: Int] = [:]
        analyzer.forEachTermUTF8(text) { t in
            if let p = position[t] {
                counts[p] += 1
            } else {
                position[t] = terms.count
                terms.append(t)
                counts.append(1)
            }
        }
        self.terms = terms
        self.counts = counts
    }
}

/// Scores queries against a set of segments (shards) as if they were one index: document
/// frequencies and length statistics are summed over all segments first.
///
/// Ranking: score descending, then global document id ascending. Global ids number the documents
/// of segment 0 first, then segment 1, and so on.
public struct LexicalSearcher: Sendable {
    /// The segments, in global id order.
    public let segments: [LexicalSegment]
    /// Global id of each segment's first document.
    public let documentBases: [Int]
    /// Scoring model with the global statistics.
    public let bm25: BM25
    /// The analyzer applied to query text.
    public let analyzer: EnglishAnalyzer
    private let norms: [[UInt8]]
    /// Global document frequencies given from outside (the segments are part of a larger
    /// collection); nil: sum over `segments`.
    private let globalFrequencies: [[UInt8]: Int]?

    /// A searcher over part of a collection: `segments` are scored with `statistics` and
    /// `documentFrequencies`, which cover the whole collection (every term a query will use
    /// must be in the table; a term not in it has frequency 0 and is ignored).
    public init(
        segments: [LexicalSegment], documentBases: [Int], statistics: LexicalCollectionStatistics,
        documentFrequencies: [[UInt8]: Int], parameters: BM25Parameters = BM25Parameters(),
        analyzer: EnglishAnalyzer = EnglishAnalyzer()
    ) {
        self.segments = segments
        self.documentBases = documentBases
        bm25 = BM25(parameters: parameters, statistics: statistics)
        self.analyzer = analyzer
        norms = segments.map { $0.documentLengths.normBytes() }
        globalFrequencies = documentFrequencies
    }

    /// A searcher over `segments` with global statistics.
    public init(
        segments: [LexicalSegment], parameters: BM25Parameters = BM25Parameters(),
        analyzer: EnglishAnalyzer = EnglishAnalyzer()
    ) {
        globalFrequencies = nil
        self.segments = segments
        var bases: [Int] = []
        var next = 0
        for s in segments {
            bases.append(next)
            next += s.header.documentCount
        }
        documentBases = bases
        bm25 = BM25(
            parameters: parameters,
            statistics: LexicalCollectionStatistics(headers: segments.map { $0.header }))
        self.analyzer = analyzer
        norms = segments.map { $0.documentLengths.normBytes() }
    }

    /// Total documents over all segments.
    public var documentCount: Int { segments.reduce(0) { $0 + $1.header.documentCount } }

    /// Global document frequency of `term`: the sum over segments.
    public func documentFrequency(_ term: [UInt8]) -> Int {
        if let g = globalFrequencies { return g[term] ?? 0 }
        return segments.reduce(0) { $0 + $1.documentFrequency(term) }
    }

    /// The top `k` hits for query text.
    public func search(_ text: String, topK k: Int) throws -> [LexicalHit] {
        try search(LexicalQuery(text, analyzer: analyzer), topK: k)
    }

    /// The top `k` hits for each query text, in query order. With `threads` > 1 queries are
    /// spread over that many threads; results are identical for any thread count.
    public func search(queries: [String], topK k: Int, threads: Int = 1) throws -> [[LexicalHit]] {
        try Parallel.map(count: queries.count, workers: threads, state: { Scratch() }) { q, scratch in
            try search(LexicalQuery(queries[q], analyzer: analyzer), topK: k, scratch: &scratch)
        }
    }

    /// The top `k` hits for an analyzed query.
    public func search(_ query: LexicalQuery, topK k: Int) throws -> [LexicalHit] {
        var scratch = Scratch()
        return try search(query, topK: k, scratch: &scratch)
    }

    /// Reusable per-thread accumulators.
    public struct Scratch {
        var sums: [Double] = []
        var touched: [Int32] = []
        /// Empty scratch space; it grows to the largest segment.
        public init() {}
    }

    /// The global term weights (boost × idf; 0 for a term in no document) of `query`.
    public func weights(_ query: LexicalQuery) -> [Float] {
        query.terms.indices.map { i -> Float in
            let df = documentFrequency(query.terms[i])
            return df == 0 ? 0 : bm25.weight(documentFrequency: df, boost: Float(query.counts[i]))
        }
    }

    /// The top `k` hits of segment `segment` (local document ids in `document`), plus every
    /// further hit that ties with the k-th score, so a caller that breaks ties by another key
    /// (the document's id string) still gets its exact top k after merging segments.
    public func segmentCandidates(
        segment: Int, query: LexicalQuery, weights: [Float], topK k: Int,
        scratch: inout Scratch
    ) throws -> [LexicalHit] {
        guard k > 0 else { return [] }
        return try segmentTopK(
            segment: segment, query: query, weights: weights, k: k, scratch: &scratch,
            keepTies: true, base: 0)
    }

    /// The top `k` hits for an analyzed query, reusing `scratch`.
    public func search(_ query: LexicalQuery, topK k: Int, scratch: inout Scratch) throws -> [LexicalHit] {
        guard k > 0 else { return [] }
        let weights = weights(query)
        var lists: [[LexicalHit]] = []
        for s in segments.indices {
            lists.append(try segmentTopK(segment: s, query: query, weights: weights, k: k, scratch: &scratch))
        }
        return LexicalHit.merge(lists, topK: k)
    }

    /// Top `k` of one segment with precomputed global term weights (0 = term absent everywhere).
    func segmentTopK(
        segment s: Int, query: LexicalQuery, weights: [Float], k: Int,
        scratch: inout Scratch, keepTies: Bool = false, base: Int? = nil
    ) throws -> [LexicalHit] {
        let segment = segments[s]
        let n = segment.header.documentCount
        if scratch.sums.count < n { scratch.sums = [Double](repeating: 0, count: n) }
        let norm = norms[s]
        let bm25 = self.bm25
        var touched = scratch.touched
        touched.removeAll(keepingCapacity: true)
        for (i, term) in query.terms.enumerated() where weights[i] != 0 {
            guard let (b, t) = segment.locate(term) else { continue }
            let w = weights[i]
            try scratch.sums.withUnsafeMutableBufferPointer { sums in
                // A matching term always scores > 0, so 0 means "not yet touched".
                try segment.blocks[b].forEachPosting(t, maxDocument: n) { doc, tf in
                    if sums[doc] == 0 { touched.append(Int32(doc)) }
                    sums[doc] += Double(bm25.score(weight: w, termFrequency: tf, norm: norm[doc]))
                }
            }
        }
        var heap = TopKHeap(k: k)
        let base = base ?? documentBases[s]
        for doc in touched {
            let d = Int(doc)
            heap.insert(LexicalHit(document: base + d, score: Float(scratch.sums[d])))
        }
        var out: [LexicalHit]
        if keepTies, heap.items.count == k, let worst = heap.items.first {
            // Everything scoring at least the k-th score: the heap's hits and their ties.
            out = []
            for doc in touched {
                let score = Float(scratch.sums[Int(doc)])
                if score >= worst.score { out.append(LexicalHit(document: base + Int(doc), score: score)) }
            }
            out.sort(by: LexicalHit.ranksBefore)
        } else {
            out = heap.sorted()
        }
        for doc in touched { scratch.sums[Int(doc)] = 0 }
        scratch.touched = touched
        return out
    }
}

/// Bounded heap keeping the best `k` hits; the root is the worst kept hit.
struct TopKHeap {
    let k: Int
    private(set) var items: [LexicalHit] = []

    init(k: Int) {
        self.k = k
        items.reserveCapacity(min(k, 1 << 16))
    }

    /// True when `a` ranks below `b` (a is worse).
    @inline(__always) static func worse(_ a: LexicalHit, _ b: LexicalHit) -> Bool { LexicalHit.ranksBefore(b, a) }

    mutating func insert(_ hit: LexicalHit) {
        if items.count < k {
            items.append(hit)
            var i = items.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if Self.worse(items[i], items[p]) { items.swapAt(i, p); i = p } else { break }
            }
        } else if let root = items.first, LexicalHit.ranksBefore(hit, root) {
            items[0] = hit
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.worse(items[l], items[m]) { m = l }
                if r < items.count && Self.worse(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
    }

    func sorted() -> [LexicalHit] { items.sorted(by: LexicalHit.ranksBefore) }
}

/// The in-memory lexical index of a document collection: build, then search. A convenience over
/// `LexicalSegmentBuilder` and `LexicalSearcher` for one segment or a fixed number of them.
public enum LexicalIndex {
    /// Builds `shardCount` segments over `documents` (texts in global id order), splitting them
    /// into contiguous, near-equal ranges, and returns a searcher over them.
    public static func build(
        documents: [String], shardCount: Int = 1,
        analyzer: EnglishAnalyzer = EnglishAnalyzer(),
        parameters: BM25Parameters = BM25Parameters()
    ) -> LexicalSearcher {
        let shards = max(1, shardCount)
        var segments: [LexicalSegment] = []
        for s in 0..<shards {
            let lo = documents.count * s / shards, hi = documents.count * (s + 1) / shards
            var builder = LexicalSegmentBuilder()
            for i in lo..<hi { builder.addDocument(text: documents[i], analyzer: analyzer) }
            segments.append(builder.finish())
        }
        return LexicalSearcher(segments: segments, parameters: parameters, analyzer: analyzer)
    }
}
