// In-memory accumulation of one shard's inverted index.

/// Builds a `LexicalSegment` from documents added in local id order.
///
/// Postings are encoded as they arrive (one growing byte buffer per term), so memory is about
/// the size of the final postings plus the term dictionary. Terms are keyed by their UTF-8 bytes,
/// never by `String` equality, which would merge canonically equivalent spellings that Lucene
/// keeps apart.
public struct LexicalSegmentBuilder {
    private var termIDs: [[UInt8]: Int] = [:]
    private var termBytes: [[UInt8]] = []
    private var postings: [ByteWriter] = []
    private var lastDoc: [Int32] = []
    private var documentFrequencies: [UInt32] = []
    private var totalTermFrequencies: [UInt64] = []
    private var lengths: [UInt32] = []
    // Per-document term counts, indexed by term id, and the ids touched by the current document.
    private var documentCounts: [UInt32] = []
    private var touched: [Int] = []

    /// An empty builder.
    public init() {}

    /// Documents added so far; the next document's local id.
    public var documentCount: Int { lengths.count }

    /// Adds the next document given its analyzed terms (in order, repeats included).
    public mutating func addDocument(terms: [[UInt8]]) {
        for t in terms { count(t) }
        endDocument(length: terms.count)
    }

    /// Analyzes `text` with `analyzer` and adds it as the next document.
    public mutating func addDocument(text: String, analyzer: EnglishAnalyzer) {
        var length = 0
        analyzer.forEachTermUTF8(text) { term in
            count(term)
            length += 1
        }
        endDocument(length: length)
    }

    private mutating func count(_ term: [UInt8]) {
        let id: Int
        if let existing = termIDs[term] {
            id = existing
        } else {
            id = termBytes.count
            termIDs[term] = id
            termBytes.append(term)
            postings.append(ByteWriter())
            lastDoc.append(-1)
            documentFrequencies.append(0)
            totalTermFrequencies.append(0)
            documentCounts.append(0)
        }
        if documentCounts[id] == 0 { touched.append(id) }
        documentCounts[id] += 1
    }

    private mutating func endDocument(length: Int) {
        let doc = Int32(lengths.count)
        // Order does not matter: each term's postings receive only this one entry.
        for id in touched {
            let tf = documentCounts[id]
            documentCounts[id] = 0
            let gap = UInt64(doc - lastDoc[id] - 1)
            if tf == 1 {
                postings[id].varint(gap << 1 | 1)
            } else {
                postings[id].varint(gap << 1)
                postings[id].varint(UInt64(tf))
            }
            lastDoc[id] = doc
            documentFrequencies[id] += 1
            totalTermFrequencies[id] += UInt64(tf)
        }
        touched.removeAll(keepingCapacity: true)
        lengths.append(UInt32(length))
    }

    /// The finished segment, with term blocks of about `blockBytes` postings bytes (a term whose
    /// postings are larger gets a block of its own).
    public func finish(blockBytes: Int = 1 << 18) -> LexicalSegment {
        let order = termBytes.indices.sorted { termBytes[$0].lexicographicallyPrecedes(termBytes[$1]) }
        var blocks: [LexicalTermBlock] = []
        var current: [Int] = []
        var currentBytes = 0
        func flush() {
            guard !current.isEmpty else { return }
            var offsets = [0]
            var data: [UInt8] = []
            for id in current {
                data.append(contentsOf: postings[id].bytes)
                offsets.append(data.count)
            }
            blocks.append(
                LexicalTermBlock(
                    terms: current.map { termBytes[$0] },
                    documentFrequencies: current.map { documentFrequencies[$0] },
                    totalTermFrequencies: current.map { totalTermFrequencies[$0] },
                    postingsOffsets: offsets, postings: data))
            current.removeAll()
            currentBytes = 0
        }
        for id in order {
            let size = postings[id].bytes.count
            if !current.isEmpty && currentBytes + size > blockBytes { flush() }
            current.append(id)
            currentBytes += size
        }
        flush()
        let header = LexicalSegmentHeader(
            documentCount: lengths.count,
            documentsWithTerms: lengths.reduce(0) { $0 + ($1 > 0 ? 1 : 0) },
            sumTotalTermFrequency: lengths.reduce(0) { $0 + Int($1) },
            termCount: termBytes.count, blockCount: blocks.count)
        let index = LexicalTermIndex(firstTerms: blocks.map { $0.terms[0] }, termCounts: blocks.map { $0.terms.count })
        // The parts are consistent by construction; the checking initializer cannot fail here.
        return LexicalSegment(
            unchecked: header, documentLengths: LexicalDocumentLengths(lengths),
            termIndex: index, blocks: blocks)
    }
}

extension LexicalSegment {
    init(
        unchecked header: LexicalSegmentHeader, documentLengths: LexicalDocumentLengths,
        termIndex: LexicalTermIndex, blocks: [LexicalTermBlock]
    ) {
        self.header = header
        self.documentLengths = documentLengths
        self.termIndex = termIndex
        self.blocks = blocks
    }
}
