import Foundation

/// One query: its id, text and the line it came from.
public struct Query: Sendable, Equatable {
    /// The query id (`_id`; a JSON number keeps its literal text).
    public var id: String
    /// The query text, as given (may be empty: the search reports it).
    public var text: String
    /// The 1-based line of the queries file.
    public var line: Int

    /// Creates a query.
    public init(id: String, text: String, line: Int) {
        self.id = id
        self.text = text
        self.line = line
    }
}

/// Reads a whole query file: BEIR `queries.jsonl` or TSV `qid<TAB>text`, plain or gzipped.
public enum QueryReader {
    private static let parser = JSONLineParser(keys: ["_id", "text"])

    /// All queries of `path` in file order; the format comes from `format` or the file name.
    ///
    /// Blank lines are skipped; a duplicate query id is an error naming both lines.
    public static func read(path: String, format: CorpusFormat? = nil) throws -> [Query] {
        let fmt = format ?? CorpusFormat.detect(path: path)
        let lines = try LineReader(path: path)
        var queries: [Query] = []
        var seen: [String: Int] = [:]
        while let bytes = try lines.nextLine() {
            if CorpusReader.isBlank(bytes) { continue }
            let line = lines.lineNumber
            let q: Query
            switch fmt {
            case .jsonl: q = try parseJSON(bytes, path: path, line: line)
            case .tsv: q = try parseTSV(bytes, path: path, line: line)
            }
            guard TrecRun.canCarry(q.id) else {
                throw IndexerError.badInput("query id '\(q.id)' holds whitespace; a TREC run cannot carry it", path: path, line: line)
            }
            if let first = seen[q.id] {
                throw IndexerError.badInput("duplicate query id '\(q.id)' (first on line \(first))", path: path, line: line)
            }
            seen[q.id] = line
            queries.append(q)
        }
        return queries
    }

    private static func parseJSON(_ bytes: [UInt8], path: String, line: Int) throws -> Query {
        let fields: [JSONFieldValue?]
        do {
            fields = try parser.parse(bytes)
        } catch {
            throw IndexerError.badInput("malformed JSON at byte \(error.offset + 1): \(error.message)", path: path, line: line)
        }
        let id = try CorpusReader.recordID(fields[0], path: path, line: line)
        switch fields[1] {
        case .string(let s)?: return Query(id: id, text: s, line: line)
        case nil: throw IndexerError.badInput("missing \"text\" in query '\(id)'", path: path, line: line)
        case let other?: throw IndexerError.badInput("\"text\" of query '\(id)' must be a string, not \(CorpusReader.kindName(other))", path: path, line: line)
        }
    }

    private static func parseTSV(_ bytes: [UInt8], path: String, line: Int) throws -> Query {
        guard let tab = bytes.firstIndex(of: 0x09) else {
            throw IndexerError.badInput("expected 'qid<TAB>text', found no tab", path: path, line: line)
        }
        guard let id = String(validating: bytes[..<tab], as: UTF8.self),
            let text = String(validating: bytes[(tab + 1)...], as: UTF8.self)
        else {
            throw IndexerError.badInput("invalid UTF-8", path: path, line: line)
        }
        guard !id.isEmpty else { throw IndexerError.badInput("empty query id before the tab", path: path, line: line) }
        return Query(id: id, text: text, line: line)
    }
}
