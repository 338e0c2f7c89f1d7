// The inverted index of one shard: term dictionary, postings and document lengths, as byte blocks.
import Formats

/// Per-shard statistics and layout: the numbers BM25 sums across shards, and block counts.
///
/// Serialized as magic `LXSH`, version 1, then varints: documentCount, documentsWithTerms,
/// sumTotalTermFrequency, termCount, blockCount.
public struct LexicalSegmentHeader: Equatable, Sendable {
    /// Documents in the shard, including those with no terms.
    public var documentCount: Int
    /// Documents with at least one term (Lucene's `docCount`, BM25's N).
    public var documentsWithTerms: Int
    /// Sum of all document lengths in terms (Lucene's `sumTotalTermFreq`).
    public var sumTotalTermFrequency: Int
    /// Distinct terms.
    public var termCount: Int
    /// Term blocks (see `LexicalTermBlock`).
    public var blockCount: Int

    /// Serialized form.
    public func serialize() -> [UInt8] {
        var w = ByteWriter()
        w.header("LXSH", version: 1)
        for v in [documentCount, documentsWithTerms, sumTotalTermFrequency, termCount, blockCount] { w.varint(v) }
        return w.bytes
    }

    /// Parses `serialize()` output; throws `IndexerError.corrupt`.
    public init(bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "lexical segment header")
        try r.header("LXSH", version: 1)
        documentCount = try r.int()
        documentsWithTerms = try r.int()
        sumTotalTermFrequency = try r.int(max: Int.max)
        termCount = try r.int()
        blockCount = try r.int()
        try r.expectEnd()
        guard documentsWithTerms <= documentCount else { throw r.corrupt("more documents with terms than documents") }
    }

    /// Creates a header from its fields.
    public init(documentCount: Int, documentsWithTerms: Int, sumTotalTermFrequency: Int, termCount: Int, blockCount: Int) {
        self.documentCount = documentCount
        self.documentsWithTerms = documentsWithTerms
        self.sumTotalTermFrequency = sumTotalTermFrequency
        self.termCount = termCount
        self.blockCount = blockCount
    }
}

/// Exact document lengths (terms after analysis) of one shard, in local document order.
///
/// Serialized as magic `LXDL`, version 1, varint count, then one varint per document. Lengths are
/// kept exact so statistics sum exactly; BM25 uses the lossy Lucene norm byte derived from them.
public struct LexicalDocumentLengths: Equatable, Sendable {
    /// Length of each document.
    public var lengths: [UInt32]

    /// Wraps `lengths`.
    public init(_ lengths: [UInt32]) { self.lengths = lengths }

    /// Serialized form.
    public func serialize() -> [UInt8] {
        var w = ByteWriter()
        w.header("LXDL", version: 1)
        w.varint(lengths.count)
        for l in lengths { w.varint(UInt64(l)) }
        return w.bytes
    }

    /// Parses `serialize()` output; throws `IndexerError.corrupt`.
    public init(bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "lexical document lengths")
        try r.header("LXDL", version: 1)
        let n = try r.int()
        guard n <= bytes.count else { throw r.corrupt("count \(n) larger than the block") }
        var out = [UInt32]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(UInt32(try r.int(max: Int(UInt32.max)))) }
        try r.expectEnd()
        lengths = out
    }

    /// Lucene norm bytes (`SmallFloat.intToByte4(length)`) for every document.
    public func normBytes() -> [UInt8] { lengths.map { LuceneSmallFloat.intToByte4(Int($0)) } }
}

/// A run of consecutive terms (in UTF-8 byte order) with their statistics and postings.
///
/// Serialized as magic `LXTB`, version 1, varint termCount, then per term: varint shared-prefix
/// length with the previous term, varint suffix length, suffix bytes, varint document frequency,
/// varint total term frequency, varint postings byte length; then all postings bytes.
/// A term's postings are, per document in increasing local id order, the varint
/// `(gap << 1) | (tf == 1 ? 1 : 0)`, followed by varint `tf` when tf != 1, where
/// gap = doc - previousDoc - 1 with previousDoc = -1 before the first (consecutive ids cost 0).
public struct LexicalTermBlock: Equatable, Sendable {
    /// Terms as UTF-8 bytes, strictly increasing.
    public internal(set) var terms: [[UInt8]]
    /// Documents containing each term.
    public internal(set) var documentFrequencies: [UInt32]
    /// Occurrences of each term.
    public internal(set) var totalTermFrequencies: [UInt64]
    /// Start of each term's postings in `postings`; one extra entry at the end.
    public internal(set) var postingsOffsets: [Int]
    /// Concatenated encoded postings.
    public internal(set) var postings: [UInt8]

    init(
        terms: [[UInt8]], documentFrequencies: [UInt32], totalTermFrequencies: [UInt64],
        postingsOffsets: [Int], postings: [UInt8]
    ) {
        self.terms = terms
        self.documentFrequencies = documentFrequencies
        self.totalTermFrequencies = totalTermFrequencies
        self.postingsOffsets = postingsOffsets
        self.postings = postings
    }

    /// Serialized form.
    public func serialize() -> [UInt8] {
        var w = ByteWriter()
        w.header("LXTB", version: 1)
        w.varint(terms.count)
        var previous: [UInt8] = []
        for (i, term) in terms.enumerated() {
            var shared = 0
            let limit = min(previous.count, term.count)
            while shared < limit && previous[shared] == term[shared] { shared += 1 }
            w.varint(shared)
            w.varint(term.count - shared)
            w.raw(term[shared...])
            w.varint(UInt64(documentFrequencies[i]))
            w.varint(totalTermFrequencies[i])
            w.varint(postingsOffsets[i + 1] - postingsOffsets[i])
            previous = term
        }
        w.raw(postings)
        return w.bytes
    }

    /// Parses `serialize()` output, checking term order and postings lengths;
    /// throws `IndexerError.corrupt`.
    public init(bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "lexical term block")
        try r.header("LXTB", version: 1)
        let n = try r.int()
        guard n <= bytes.count else { throw r.corrupt("term count \(n) larger than the block") }
        var terms: [[UInt8]] = []
        var dfs: [UInt32] = []
        var ttfs: [UInt64] = []
        var offsets: [Int] = [0]
        terms.reserveCapacity(n)
        var previous: [UInt8] = []
        for _ in 0..<n {
            let shared = try r.int()
            let suffixLength = try r.int()
            guard shared <= previous.count else { throw r.corrupt("shared prefix longer than previous term") }
            var term = Array(previous[0..<shared])
            term.append(contentsOf: try r.raw(suffixLength))
            if !terms.isEmpty, !previous.lexicographicallyPrecedes(term) { throw r.corrupt("terms out of order") }
            let df = try r.int(max: Int(UInt32.max))
            let ttf = try r.varint()
            guard df >= 1, ttf >= UInt64(df) else { throw r.corrupt("bad frequencies df=\(df) ttf=\(ttf)") }
            let length = try r.int()
            terms.append(term)
            dfs.append(UInt32(df))
            ttfs.append(ttf)
            offsets.append(offsets[offsets.count - 1] + length)
            previous = term
        }
        let total = offsets[offsets.count - 1]
        guard total == bytes.count - r.position else {
            throw r.corrupt("postings are \(bytes.count - r.position) bytes, dictionary says \(total)")
        }
        self.terms = terms
        documentFrequencies = dfs
        totalTermFrequencies = ttfs
        postingsOffsets = offsets
        postings = Array(bytes[r.position...])
    }

    /// Index of `term` in this block, if present.
    public func find(_ term: [UInt8]) -> Int? {
        var lo = 0, hi = terms.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if terms[mid].lexicographicallyPrecedes(term) { lo = mid + 1 } else { hi = mid }
        }
        return lo < terms.count && terms[lo] == term ? lo : nil
    }

    /// Calls `body(localDoc, tf)` for each posting of the term at `index`, in document order.
    /// Throws `IndexerError.corrupt` if the postings do not decode to `documentFrequencies[index]`
    /// documents within `maxDocument`.
    public func forEachPosting(
        _ index: Int, maxDocument: Int = Int(UInt32.max),
        _ body: (Int, UInt32) -> Void
    ) throws {
        let start = postingsOffsets[index], end = postingsOffsets[index + 1]
        let df = Int(documentFrequencies[index])
        try postings.withUnsafeBufferPointer { buf in
            var p = start
            var doc = -1
            var seen = 0
            @inline(__always) func next() throws -> UInt64 {
                var result: UInt64 = 0
                var shift: UInt64 = 0
                while true {
                    guard p < end, shift <= 63 else {
                        throw IndexerError(.corrupt, "lexical postings: truncated varint in term \(index)")
                    }
                    let b = buf[p]
                    p += 1
                    result |= UInt64(b & 0x7F) << shift
                    if b < 0x80 { return result }
                    shift += 7
                }
            }
            while p < end {
                let code = try next()
                let tf: UInt64 = code & 1 == 1 ? 1 : try next()
                let delta = code >> 1
                guard delta < UInt64(maxDocument), tf >= 1, tf <= UInt64(UInt32.max) else {
                    throw IndexerError(.corrupt, "lexical postings: bad posting in term \(index)")
                }
                doc += Int(delta) + 1
                guard doc < maxDocument else {
                    throw IndexerError(.corrupt, "lexical postings: document \(doc) out of range in term \(index)")
                }
                body(doc, UInt32(tf))
                seen += 1
            }
            guard seen == df else {
                throw IndexerError(.corrupt, "lexical postings: term \(index) has \(seen) postings, df says \(df)")
            }
        }
    }
}

/// The first term of every block, to find the block that may hold a term without reading the others.
///
/// Serialized as magic `LXTI`, version 1, varint blockCount, then per block: varint term count,
/// varint first-term length, first-term bytes.
public struct LexicalTermIndex: Equatable, Sendable {
    /// First term of each block, strictly increasing.
    public var firstTerms: [[UInt8]]
    /// Number of terms in each block.
    public var termCounts: [Int]

    /// Creates an index from its fields.
    public init(firstTerms: [[UInt8]], termCounts: [Int]) {
        self.firstTerms = firstTerms
        self.termCounts = termCounts
    }

    /// Serialized form.
    public func serialize() -> [UInt8] {
        var w = ByteWriter()
        w.header("LXTI", version: 1)
        w.varint(firstTerms.count)
        for (i, t) in firstTerms.enumerated() {
            w.varint(termCounts[i])
            w.varint(t.count)
            w.raw(t)
        }
        return w.bytes
    }

    /// Parses `serialize()` output; throws `IndexerError.corrupt`.
    public init(bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "lexical term index")
        try r.header("LXTI", version: 1)
        let n = try r.int()
        guard n <= bytes.count else { throw r.corrupt("block count \(n) larger than the index") }
        firstTerms = []
        termCounts = []
        for _ in 0..<n {
            let count = try r.int()
            guard count >= 1 else { throw r.corrupt("empty block") }
            let length = try r.int()
            let term = Array(try r.raw(length))
            if let last = firstTerms.last, !last.lexicographicallyPrecedes(term) { throw r.corrupt("blocks out of order") }
            termCounts.append(count)
            firstTerms.append(term)
        }
        try r.expectEnd()
    }

    /// The block that would hold `term` (the last block whose first term is <= term), if any.
    public func block(for term: [UInt8]) -> Int? {
        var lo = 0, hi = firstTerms.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if term.lexicographicallyPrecedes(firstTerms[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo == 0 ? nil : lo - 1
    }
}

/// A whole shard's inverted index: header, document lengths, term index and term blocks.
///
/// Each part serializes to its own byte block, so the shard writer can store them as separate
/// compressed, checksummed sections and a reader can load only the term blocks a query needs.
public struct LexicalSegment: Equatable, Sendable {
    /// Counts and statistics.
    public var header: LexicalSegmentHeader
    /// Exact length of every document.
    public var documentLengths: LexicalDocumentLengths
    /// First term of every block.
    public var termIndex: LexicalTermIndex
    /// The term blocks, in term order.
    public var blocks: [LexicalTermBlock]

    /// Assembles a segment from deserialized parts, checking that they agree.
    public init(
        header: LexicalSegmentHeader, documentLengths: LexicalDocumentLengths,
        termIndex: LexicalTermIndex, blocks: [LexicalTermBlock]
    ) throws {
        guard header.documentCount == documentLengths.lengths.count,
            header.blockCount == blocks.count, termIndex.firstTerms.count == blocks.count,
            header.termCount == blocks.reduce(0, { $0 + $1.terms.count }),
            header.sumTotalTermFrequency == documentLengths.lengths.reduce(0, { $0 + Int($1) }),
            header.documentsWithTerms == documentLengths.lengths.reduce(0, { $0 + ($1 > 0 ? 1 : 0) })
        else { throw IndexerError(.corrupt, "lexical segment: header, lengths and blocks disagree") }
        for (i, block) in blocks.enumerated()
        where block.terms.first != termIndex.firstTerms[i]
            || block.terms.count != termIndex.termCounts[i]
        {
            throw IndexerError(.corrupt, "lexical segment: term index disagrees with block \(i)")
        }
        self.header = header
        self.documentLengths = documentLengths
        self.termIndex = termIndex
        self.blocks = blocks
    }

    /// Block and position of `term` in this segment, if present.
    public func locate(_ term: [UInt8]) -> (block: Int, index: Int)? {
        guard let b = termIndex.block(for: term), let i = blocks[b].find(term) else { return nil }
        return (b, i)
    }

    /// Documents in this segment containing `term` (0 if absent).
    public func documentFrequency(_ term: [UInt8]) -> Int {
        guard let (b, i) = locate(term) else { return 0 }
        return Int(blocks[b].documentFrequencies[i])
    }
}
