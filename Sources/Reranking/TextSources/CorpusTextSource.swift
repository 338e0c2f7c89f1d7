import Formats
import Foundation

/// Document text from a corpus file (BEIR JSON lines or TSV, plain or gzipped), read once.
///
/// Only the requested ids are kept, so memory grows with the candidates, not the corpus. A
/// requested id that appears twice in the corpus is an error naming both lines (which text
/// was meant cannot be known); duplicates of other ids are not looked at.
public final class CorpusTextSource: DocumentTextSource {
    /// The corpus file.
    public let path: String

    /// A source over `path` (nothing is read until ``texts(for:)``).
    public init(path: String) {
        self.path = path
    }

    /// "corpus FILE".
    public var description: String { "corpus \(path)" }

    /// The requested ids the corpus holds and the wanted texts (`title + " " + text`, stripped).
    public func lookup(_ ids: Set<String>, texts wanted: Set<String>) throws -> DocumentLookup {
        let reader = try CorpusReader(path: path)
        var out: [String: String] = [:]
        var lines: [String: Int] = [:]
        while let doc = try reader.next() {
            guard ids.contains(doc.id) else { continue }
            if let first = lines.updateValue(doc.line, forKey: doc.id) {
                throw IndexerError.badInput("document id '\(doc.id)' appears twice (first on line \(first))", path: path, line: doc.line)
            }
            if wanted.contains(doc.id) { out[doc.id] = doc.combinedText }
        }
        return DocumentLookup(present: Set(lines.keys), texts: out)
    }
}
