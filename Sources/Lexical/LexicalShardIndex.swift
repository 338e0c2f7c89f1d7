// A shard's lexical index as stored in the shard file: writing the blocks, reading them back.
import Formats
import ShardStore

extension LexicalSegment {
    /// Appends this segment to a shard being written, as the shard's lexical blocks: the header,
    /// the document lengths, the term index, then every term block (docs/FORMAT.md). Each is
    /// compressed with the shard's codec and checksummed by the shard writer.
    public func write(to writer: ShardWriter) throws {
        guard header.documentCount == writer.count else {
            throw IndexerError(.internal, "lexical segment of \(header.documentCount) documents for a shard of \(writer.count)")
        }
        try writer.appendLexicalBlock(header.serialize(), items: 1)
        try writer.appendLexicalBlock(documentLengths.serialize(), items: 1)
        try writer.appendLexicalBlock(termIndex.serialize(), items: 1)
        for b in blocks { try writer.appendLexicalBlock(b.serialize(), items: b.terms.count) }
    }
}

/// The lexical index of one shard file, read on demand: the header and term index when opened,
/// document lengths and term blocks when asked for.
public final class LexicalShardIndex: @unchecked Sendable {
    /// The message for a shard that has no lexical index.
    public static let missingMessage = "index built without --lexical: rebuild with --lexical"
    /// Lexical blocks before the first term block (header, lengths, term index).
    static let leadingBlocks = 3

    /// The shard.
    public let reader: ShardReader
    /// Counts and statistics of the shard's lexical index.
    public let header: LexicalSegmentHeader
    /// First term of every term block.
    public let termIndex: LexicalTermIndex

    /// Reads the lexical header and term index of `reader`; throws `IndexerError.mismatch` with
    /// ``missingMessage`` when the shard was built without `--lexical`.
    public init(reader: ShardReader) throws {
        self.reader = reader
        guard reader.hasLexicalIndex else { throw IndexerError(.mismatch, LexicalShardIndex.missingMessage, path: reader.path) }
        do {
            header = try LexicalSegmentHeader(bytes: try reader.lexicalBlock(0))
            termIndex = try LexicalTermIndex(bytes: try reader.lexicalBlock(2))
        } catch let e as IndexerError {
            throw IndexerError(e.kind, e.message, path: reader.path, cause: e.cause)
        }
        guard header.documentCount == reader.count else {
            throw IndexerError(.corrupt, "lexical index covers \(header.documentCount) documents, the shard holds \(reader.count)", path: reader.path)
        }
        guard header.blockCount == termIndex.firstTerms.count,
            reader.lexicalBlockCount == LexicalShardIndex.leadingBlocks + header.blockCount
        else {
            throw IndexerError(
                .corrupt, "lexical index has \(reader.lexicalBlockCount) blocks, its header says \(header.blockCount) term blocks", path: reader.path)
        }
    }

    /// The exact document lengths.
    public func documentLengths() throws -> LexicalDocumentLengths {
        let l: LexicalDocumentLengths
        do { l = try LexicalDocumentLengths(bytes: try reader.lexicalBlock(1)) } catch let e as IndexerError {
            throw IndexerError(e.kind, e.message, path: reader.path, cause: e.cause)
        }
        guard l.lengths.count == header.documentCount else {
            throw IndexerError(.corrupt, "lexical lengths cover \(l.lengths.count) documents, the header says \(header.documentCount)", path: reader.path)
        }
        return l
    }

    /// Term block `block` (0-based among term blocks), checked against the term index.
    public func termBlock(_ block: Int) throws -> LexicalTermBlock {
        let b: LexicalTermBlock
        do { b = try LexicalTermBlock(bytes: try reader.lexicalBlock(LexicalShardIndex.leadingBlocks + block)) } catch let e as IndexerError {
            throw IndexerError(e.kind, e.message, path: reader.path, cause: e.cause)
        }
        guard b.terms.first == termIndex.firstTerms[block], b.terms.count == termIndex.termCounts[block] else {
            throw IndexerError(.corrupt, "lexical term block \(block) disagrees with the term index", path: reader.path)
        }
        return b
    }

    /// The whole segment in memory (every term block decoded), checked for consistency.
    public func segment() throws -> LexicalSegment {
        var blocks: [LexicalTermBlock] = []
        blocks.reserveCapacity(header.blockCount)
        for b in 0..<header.blockCount { blocks.append(try termBlock(b)) }
        do {
            return try LexicalSegment(header: header, documentLengths: try documentLengths(), termIndex: termIndex, blocks: blocks)
        } catch let e as IndexerError {
            throw IndexerError(e.kind, e.message, path: reader.path, cause: e.cause)
        }
    }

    /// The document frequency of each of `terms` in this shard, decoding only the term blocks
    /// that may hold them (each at most once).
    public func documentFrequencies(_ terms: [[UInt8]]) throws -> [Int] {
        var byBlock: [Int: [Int]] = [:]
        for (i, t) in terms.enumerated() {
            if let b = termIndex.block(for: t) { byBlock[b, default: []].append(i) }
        }
        var out = [Int](repeating: 0, count: terms.count)
        for b in byBlock.keys.sorted() {
            let block = try termBlock(b)
            for i in byBlock[b]! {
                if let k = block.find(terms[i]) { out[i] = Int(block.documentFrequencies[k]) }
            }
        }
        return out
    }

    /// The structural faults of `reader`'s lexical index; none for a shard without one
    /// (`indexer verify` runs this on every shard).
    public static func faults(_ reader: ShardReader) -> [IndexerError] {
        guard reader.hasLexicalIndex else { return [] }
        do { return try LexicalShardIndex(reader: reader).verify() } catch let e as IndexerError { return [e] } catch {
            return [IndexerError(.corrupt, "lexical index: \(error)", path: reader.path)]
        }
    }

    /// Every structural fault of the lexical index: blocks that do not parse, parts that disagree,
    /// postings that do not decode to their document frequency within the shard.
    public func verify() -> [IndexerError] {
        do {
            let s = try segment()
            let n = s.header.documentCount
            var ttf: UInt64 = 0
            for (b, block) in s.blocks.enumerated() {
                for t in block.terms.indices {
                    var sum: UInt64 = 0
                    try block.forEachPosting(t, maxDocument: n) { _, tf in sum += UInt64(tf) }
                    guard sum == block.totalTermFrequencies[t] else {
                        throw IndexerError(
                            .corrupt, "lexical term block \(b): term \(t) has \(sum) occurrences, the dictionary says \(block.totalTermFrequencies[t])",
                            path: reader.path)
                    }
                    ttf += sum
                }
            }
            guard ttf == UInt64(s.header.sumTotalTermFrequency) else {
                throw IndexerError(
                    .corrupt, "lexical postings hold \(ttf) occurrences, the document lengths sum to \(s.header.sumTotalTermFrequency)", path: reader.path)
            }
            return []
        } catch let e as IndexerError {
            return [e.path == nil ? IndexerError(e.kind, e.message, path: reader.path, cause: e.cause) : e]
        } catch {
            return [IndexerError(.corrupt, "lexical index: \(error)", path: reader.path)]
        }
    }
}
