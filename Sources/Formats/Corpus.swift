import Foundation

/// One document of a corpus: its id, title, text and the line it came from.
public struct Document: Sendable, Equatable {
    /// The document id (`_id`; a JSON number keeps its literal text).
    public var id: String
    /// The title; empty when absent or null.
    public var title: String
    /// The body text.
    public var text: String
    /// The 1-based line of the corpus file the document was read from.
    public var line: Int

    /// Creates a document.
    public init(id: String, title: String, text: String, line: Int) {
        self.id = id
        self.title = title
        self.text = text
        self.line = line
    }

    /// What gets encoded: `title + " " + text` with surrounding whitespace trimmed.
    ///
    /// This is BEIR's convention (`(title + " " + text).strip()`), so that an empty title does
    /// not leave a leading space and scores stay comparable with published BEIR numbers. The
    /// whitespace set is Python's `str.isspace()` set, so the text is exactly BEIR's.
    public var combinedText: String {
        Document.pythonStrip(title.isEmpty ? text : title + " " + text)
    }

    /// Python's whitespace: `str.isspace()` is true for exactly these scalars.
    static func isPythonSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `s.strip()` as Python does it.
    static func pythonStrip(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isPythonSpace($0) })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return s }
        return String(scalars[first...last])
    }
}

/// The layout of a corpus file.
public enum CorpusFormat: String, Sendable {
    /// BEIR JSON lines: `{"_id": ..., "title": ..., "text": ...}`, one object a line.
    case jsonl
    /// MS MARCO `collection.tsv`: `id<TAB>text`, no title.
    case tsv

    /// The format implied by a file name: `.tsv` or `.tsv.gz` is TSV, anything else JSON lines.
    public static func detect(path: String) -> CorpusFormat {
        let lower = path.lowercased()
        return lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.gz") ? .tsv : .jsonl
    }
}

/// Streams the documents of a corpus file (JSON lines or TSV, plain or gzipped) one at a time.
///
/// Blank lines are skipped. Every malformed line is a ``IndexerError/Kind/badInput`` error
/// naming the file and line. Duplicate ids are passed through: the caller decides the policy.
public final class CorpusReader {
    /// The path being read.
    public let path: String
    /// The format being read.
    public let format: CorpusFormat
    private let lines: LineReader
    private static let parser = JSONLineParser(keys: ["_id", "title", "text"])

    /// Opens `path`; the format comes from `format` or, when nil, from the file name
    /// (`displayPath`'s, when the bytes are read from a spooled copy).
    public init(path: String, format: CorpusFormat? = nil, displayPath: String? = nil) throws {
        self.path = displayPath ?? path
        self.format = format ?? CorpusFormat.detect(path: displayPath ?? path)
        lines = try LineReader(path: path, displayPath: displayPath)
    }

    /// The next document, or nil at the end of the file.
    public func next() throws -> Document? {
        while let bytes = try lines.nextLine() {
            if Self.isBlank(bytes) { continue }
            switch format {
            case .jsonl: return try parseJSON(bytes)
            case .tsv: return try parseTSV(bytes)
            }
        }
        return nil
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool {
        for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0D) { return false }
        return true
    }

    /// A BEIR record's `_id`: a string, or a number taken as its text (some corpora use them).
    static func recordID(_ field: JSONFieldValue?, path: String, line: Int) throws -> String {
        switch field {
        case .string(let s)?: return s
        case .number(let s)?: return s
        case nil: throw IndexerError.badInput("missing \"_id\"", path: path, line: line)
        case let other?: throw IndexerError.badInput("\"_id\" must be a string or a number, not \(kindName(other))", path: path, line: line)
        }
    }

    private func parseJSON(_ bytes: [UInt8]) throws -> Document {
        let line = lines.lineNumber
        let fields: [JSONFieldValue?]
        do {
            fields = try Self.parser.parse(bytes)
        } catch {
            throw IndexerError.badInput("malformed JSON at byte \(error.offset + 1): \(error.message)", path: path, line: line)
        }
        let id = try Self.recordID(fields[0], path: path, line: line)
        let title: String
        switch fields[1] {
        case .string(let s)?: title = s
        case nil, .null?: title = ""
        case let other?:
            throw IndexerError.badInput("\"title\" of document '\(id)' must be a string or null, not \(Self.kindName(other))", path: path, line: line)
        }
        let text: String
        switch fields[2] {
        case .string(let s)?: text = s
        case nil: throw IndexerError.badInput("missing \"text\" in document '\(id)'", path: path, line: line)
        case let other?: throw IndexerError.badInput("\"text\" of document '\(id)' must be a string, not \(Self.kindName(other))", path: path, line: line)
        }
        return Document(id: id, title: title, text: text, line: line)
    }

    private func parseTSV(_ bytes: [UInt8]) throws -> Document {
        let line = lines.lineNumber
        guard let tab = bytes.firstIndex(of: 0x09) else {
            throw IndexerError.badInput("expected 'id<TAB>text', found no tab", path: path, line: line)
        }
        guard let id = String(validating: bytes[..<tab], as: UTF8.self),
            let text = String(validating: bytes[(tab + 1)...], as: UTF8.self)
        else {
            throw IndexerError.badInput("invalid UTF-8", path: path, line: line)
        }
        guard !id.isEmpty else { throw IndexerError.badInput("empty document id before the tab", path: path, line: line) }
        return Document(id: id, title: "", text: text, line: line)
    }

    static func kindName(_ v: JSONFieldValue) -> String {
        switch v {
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .composite: return "an object or array"
        }
    }
}
