import Foundation

/// The cost of reranking one query: what the rerank job records and `indexer report` reads.
public struct RerankTiming: Sendable, Equatable {
    /// The query id.
    public var qid: String
    /// (query, document) pairs scored by the cross-encoder.
    public var pairs: Int
    /// Word pieces fed to the cross-encoder (after truncation).
    public var tokens: Int
    /// Wall-clock milliseconds spent reranking the query.
    public var milliseconds: Double
    /// The 1-based line it was read from (0 when made in memory).
    public var line: Int

    /// Creates a timing record.
    public init(qid: String, pairs: Int, tokens: Int, milliseconds: Double, line: Int = 0) {
        self.qid = qid
        self.pairs = pairs
        self.tokens = tokens
        self.milliseconds = milliseconds
        self.line = line
    }
}

/// Reads and writes rerank timings files: JSON lines `{"qid":..,"pairs":n,"tokens":n,"ms":x}`
/// (docs/FORMATS.md).
public enum RerankTimings {
    private static let parser = JSONLineParser(keys: ["qid", "pairs", "tokens", "ms", "v"])

    /// The format version written in every line (`"v": 1`); a line without `v` is version 1.
    public static let version = 1

    /// All records of `path` in file order; a query listed twice is an error naming both lines.
    public static func read(path: String) throws -> [RerankTiming] {
        let lines = try LineReader(path: path)
        var out: [RerankTiming] = []
        var seen: [String: Int] = [:]
        while let bytes = try lines.nextLine() {
            if CorpusReader.isBlank(bytes) { continue }
            let line = lines.lineNumber
            let f: [JSONFieldValue?]
            do {
                f = try parser.parse(bytes)
            } catch {
                throw IndexerError.badInput("malformed JSON at byte \(error.offset + 1): \(error.message)", path: path, line: line)
            }
            if let v = f[4] {
                guard case .number(let text) = v, Int(text) == version else {
                    throw IndexerError.badInput("unsupported timings format version \(v) (this indexer reads \"v\": \(version))", path: path, line: line)
                }
            }
            let qid: String
            switch f[0] {
            case .string(let s)?: qid = s
            case .number(let s)?: qid = s
            default: throw IndexerError.badInput("\"qid\" is missing or not a string", path: path, line: line)
            }
            func count(_ v: JSONFieldValue?, _ key: String) throws -> Int {
                guard case .number(let s)? = v, let n = Int(s), n >= 0 else {
                    throw IndexerError.badInput("\"\(key)\" must be a whole number >= 0", path: path, line: line)
                }
                return n
            }
            let pairs = try count(f[1], "pairs")
            let tokens = try count(f[2], "tokens")
            guard case .number(let msText)? = f[3], let ms = Double(msText), ms.isFinite, ms >= 0 else {
                throw IndexerError.badInput("\"ms\" must be a number >= 0", path: path, line: line)
            }
            if let first = seen.updateValue(line, forKey: qid) {
                throw IndexerError.badInput("query '\(qid)' listed twice (first on line \(first))", path: path, line: line)
            }
            out.append(RerankTiming(qid: qid, pairs: pairs, tokens: tokens, milliseconds: ms, line: line))
        }
        return out
    }

    /// One line of the file for `t` (with its newline); `ms` is written with three decimals.
    public static func line(_ t: RerankTiming) -> String {
        var q = "\""
        for u in t.qid.unicodeScalars {
            switch u {
            case "\"": q += "\\\""
            case "\\": q += "\\\\"
            default: if u.value < 0x20 { q += String(format: "\\u%04x", u.value) } else { q.unicodeScalars.append(u) }
            }
        }
        q += "\""
        return "{\"v\": \(version), \"qid\": \(q), \"pairs\": \(t.pairs), \"tokens\": \(t.tokens), \"ms\": \(String(format: "%.3f", t.milliseconds))}\n"
    }

    /// Writes `timings` to `path` atomically.
    public static func write(_ timings: [RerankTiming], to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        for t in timings { try w.write(line(t)) }
        try w.commit()
    }
}
