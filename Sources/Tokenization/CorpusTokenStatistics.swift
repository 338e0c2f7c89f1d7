import Formats
import Foundation

/// Word-piece counts of a corpus and the single-thread speed of the tokenizer on it.
///
/// The corpus is read into memory first, so the timings cover tokenisation only (no I/O or
/// JSON parsing). Counts are deterministic; timings of course are not.
public struct CorpusTokenStatistics: Sendable {
    /// Documents read (`title + " " + text`, BEIR's convention).
    public var documents = 0
    /// UTF-8 bytes of the documents' texts.
    public var bytes = 0
    /// Word pieces of all documents, untruncated, without special tokens.
    public var pieces = 0
    /// The most pieces in one document.
    public var longest = 0
    /// The `maxLength` of the `encode` pass.
    public var maxLength = 0
    /// Documents with more than `maxLength - 2` pieces, which `encode` truncates.
    public var truncated = 0
    /// Ids produced by `encode(maxLength:)` over all documents, special tokens included.
    public var encodedIds = 0
    /// Seconds for `wordPieces` over every document.
    public var wordPieceSeconds = 0.0
    /// Seconds for `encode(maxLength:)` over every document.
    public var encodeSeconds = 0.0

    /// Reads the corpus at `corpusPath` and tokenises it twice: whole, then truncated.
    public static func measure(corpusPath: String, tokenizer: any TextTokenizer, maxLength: Int) throws -> CorpusTokenStatistics {
        let reader = try CorpusReader(path: corpusPath)
        var texts: [String] = []
        while let document = try reader.next() { texts.append(document.combinedText) }

        var stats = CorpusTokenStatistics()
        stats.documents = texts.count
        stats.maxLength = maxLength
        stats.bytes = texts.reduce(0) { $0 + $1.utf8.count }

        var start = DispatchTime.now().uptimeNanoseconds
        for text in texts {
            let n = tokenizer.wordPieces(text).count
            stats.pieces += n
            stats.longest = max(stats.longest, n)
            if n > maxLength - 2 { stats.truncated += 1 }
        }
        stats.wordPieceSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        start = DispatchTime.now().uptimeNanoseconds
        for text in texts { stats.encodedIds += tokenizer.encode(text, maxLength: maxLength).ids.count }
        stats.encodeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return stats
    }

    /// A small aligned table for people.
    public var report: String {
        func rate(_ count: Double, _ seconds: Double) -> String {
            seconds > 0 ? String(format: "%.0f", count / seconds) : "-"
        }
        let mb = Double(bytes) / 1e6
        return """
            documents            \(documents)
            bytes                \(bytes)
            word pieces          \(pieces) (mean \(documents > 0 ? String(format: "%.1f", Double(pieces) / Double(documents)) : "-"), longest \(longest))
            truncated at \(maxLength)     \(truncated) documents (over \(maxLength - 2) pieces)
            wordPieces           \(String(format: "%.3f", wordPieceSeconds)) s: \(rate(Double(pieces), wordPieceSeconds)) pieces/s, \(rate(Double(documents), wordPieceSeconds)) docs/s, \(rate(mb, wordPieceSeconds)) MB/s
            encode(maxLength)    \(String(format: "%.3f", encodeSeconds)) s: \(rate(Double(encodedIds), encodeSeconds)) ids/s, \(rate(Double(documents), encodeSeconds)) docs/s

            """
    }
}
