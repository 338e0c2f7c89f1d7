import Foundation

/// One line of a TREC run: `qid Q0 docid rank score tag`.
public struct RunEntry: Sendable, Equatable {
    /// The query id.
    public var qid: String
    /// The document id.
    public var docid: String
    /// The rank as written in the file (trec_eval ignores it and re-sorts by score).
    public var rank: Int
    /// The score; higher is better.
    public var score: Double
    /// The run tag (sixth field).
    public var tag: String
    /// The 1-based line in the file it came from (0 for entries made in memory).
    public var line: Int

    /// Creates an entry.
    public init(qid: String, docid: String, rank: Int, score: Double, tag: String, line: Int = 0) {
        self.qid = qid
        self.docid = docid
        self.rank = rank
        self.score = score
        self.tag = tag
        self.line = line
    }
}

/// A TREC run file in memory: queries in order of first appearance, each with its entries in
/// file order.
///
/// Reading refuses what trec_eval refuses (a line without exactly six fields, a duplicate
/// document within a query) and what it would silently misread (a non-integer rank, a score
/// that is not a finite number).
public struct TrecRun: Sendable {
    /// The file the run was read from (empty for runs built in memory).
    public var path: String
    /// Queries in order of first appearance, with their entries in file order.
    public private(set) var queries: [(qid: String, entries: [RunEntry])]
    private var index: [String: Int]

    /// An empty run.
    public init(path: String = "") {
        self.path = path
        queries = []
        index = [:]
    }

    /// The entries of query `qid` in file order, or nil when the run has none.
    public func entries(for qid: String) -> [RunEntry]? {
        index[qid].map { queries[$0].entries }
    }

    /// The number of entries over all queries.
    public var entryCount: Int { queries.reduce(0) { $0 + $1.entries.count } }

    /// Appends an entry (no duplicate check: ``read(path:)`` does that for files).
    public mutating func append(_ entry: RunEntry) {
        if let k = index[entry.qid] {
            queries[k].entries.append(entry)
        } else {
            index[entry.qid] = queries.count
            queries.append((entry.qid, [entry]))
        }
    }

    /// Whether a TREC run line can carry `value` as a field: not empty, and no ASCII white
    /// space (space, tab, line feed, carriage return, vertical tab, form feed), which trec_eval
    /// and every reader split on.
    public static func canCarry(_ value: String) -> Bool {
        !value.isEmpty && !value.utf8.contains(where: { $0 == 0x20 || (0x09...0x0D).contains($0) })
    }

    /// Reads a run file (plain or gzipped).
    public static func read(path: String) throws -> TrecRun {
        let lines = try LineReader(path: path)
        var run = TrecRun(path: path)
        var seen: [String: [String: Int]] = [:]
        // Runs repeat the query id and tag on every line: reuse the previous line's strings.
        var lastQidBytes: [UInt8] = [], lastQid = ""
        var lastTagBytes: [UInt8] = [], lastTag = ""
        var starts = [Int](repeating: 0, count: 7), ends = [Int](repeating: 0, count: 7)
        while let bytes = try lines.nextLine() {
            if CorpusReader.isBlank(bytes) { continue }
            let line = lines.lineNumber
            let n = splitFields(bytes, starts: &starts, ends: &ends)
            guard n == 6 else {
                let what = n < 6 ? "too few fields: \(n)" : "too many fields"
                throw IndexerError.badInput("\(what), expected 6 (qid Q0 docid rank score tag)", path: path, line: line)
            }
            func field(_ k: Int) throws -> String {
                guard let s = String(validating: bytes[starts[k]..<ends[k]], as: UTF8.self) else {
                    throw IndexerError.badInput("invalid UTF-8", path: path, line: line)
                }
                return s
            }
            guard let rank = Int(try field(3)) else {
                throw IndexerError.badInput("rank '\(try field(3))' is not an integer", path: path, line: line)
            }
            guard let score = Double(try field(4)) else {
                throw IndexerError.badInput("score '\(try field(4))' is not a number", path: path, line: line)
            }
            guard score.isFinite else {
                throw IndexerError.badInput("score '\(try field(4))' is not a finite number", path: path, line: line)
            }
            // Decimal only: Swift's Double() also takes hex floats ("0x1p3"), which trec_eval's
            // atof reads differently on other platforms.
            guard bytes[starts[4]..<ends[4]].allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 })
            else {
                throw IndexerError.badInput("score '\(try field(4))' is not a decimal number", path: path, line: line)
            }
            if !bytes[starts[0]..<ends[0]].elementsEqual(lastQidBytes) {
                lastQid = try field(0)
                lastQidBytes = Array(bytes[starts[0]..<ends[0]])
            }
            if !bytes[starts[5]..<ends[5]].elementsEqual(lastTagBytes) {
                lastTag = try field(5)
                lastTagBytes = Array(bytes[starts[5]..<ends[5]])
            }
            _ = try field(1)  // not used (trec_eval ignores it) but must be text
            let docid = try field(2)
            if let first = seen[lastQid, default: [:]].updateValue(line, forKey: docid) {
                throw IndexerError.badInput(
                    "duplicate document '\(docid)' for query '\(lastQid)' (first on line \(first)); trec_eval refuses duplicates", path: path, line: line)
            }
            run.append(RunEntry(qid: lastQid, docid: docid, rank: rank, score: score, tag: lastTag, line: line))
        }
        return run
    }

    /// Splits `bytes` on runs of spaces and tabs into at most 7 fields (7 means too many),
    /// their bounds in `starts` and `ends`; returns how many.
    @inline(__always)
    static func splitFields(_ bytes: [UInt8], starts: inout [Int], ends: inout [Int]) -> Int {
        var n = 0, i = 0
        let count = bytes.count
        while i < count && n < 7 {
            while i < count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
            if i == count { break }
            starts[n] = i
            while i < count && bytes[i] != 0x20 && bytes[i] != 0x09 { i += 1 }
            ends[n] = i
            n += 1
        }
        return n
    }
}

/// How scores are written in run files.
///
/// The rule: the shortest decimal that reads back as the same value of the type the score came
/// from (`Float` or `Double`; Swift's `description`), written positionally, never in exponent
/// form (`1e-05` becomes `0.00001`), `-0` written as `0.0`. Distinct scores therefore stay
/// distinct and every reader (trec_eval's `atof`, Python's `float`) gets the exact value back.
public enum TrecScore {
    /// The decimal text of a double score.
    public static func format(_ score: Double) -> String {
        if score == 0 { return "0.0" }
        return positional(score.description)
    }

    /// The decimal text of a float score (shortest for the float, not for its double widening).
    public static func format(_ score: Float) -> String {
        if score == 0 { return "0.0" }
        return positional(score.description)
    }

    /// Rewrites `d.ddde±x` as a positional decimal; other text is returned as is.
    static func positional(_ s: String) -> String {
        guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }), let exp = Int(s[s.index(after: e)...]) else { return s }
        var mantissa = Substring(s[..<e])
        var negative = false
        if mantissa.hasPrefix("-") { negative = true; mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var point = intPart.count + exp
        // Strip leading zeros but keep the point position right.
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count) + ".0"
        } else {
            let k = digits.index(digits.startIndex, offsetBy: point)
            out = String(digits[..<k]) + "." + String(digits[k...])
        }
        // Trailing zeros of the fraction carry no information (keep one digit after the point).
        if out.contains(".") {
            while out.hasSuffix("0") && !out.hasSuffix(".0") { out.removeLast() }
        }
        return negative ? "-" + out : out
    }
}

/// Writes a TREC run through ``AtomicFileWriter``: `qid Q0 docid rank score tag`, one space
/// between fields, scores as ``TrecScore`` formats them.
public final class TrecRunWriter {
    private let writer: AtomicFileWriter
    /// The final path.
    public var path: String { writer.path }

    /// Starts writing `path` (nothing appears under that name until ``commit()``).
    public init(path: String) throws {
        writer = try AtomicFileWriter(path: path)
    }

    /// Writes a whole run at `path` through `body` and commits it; on any error the partial
    /// file is dropped and the error rethrown.
    public static func write(to path: String, _ body: (TrecRunWriter) throws -> Void) throws {
        let writer = try TrecRunWriter(path: path)
        do {
            try body(writer)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes one line with a double score.
    public func write(qid: String, docid: String, rank: Int, score: Double, tag: String) throws {
        try writeLine(qid: qid, docid: docid, rank: rank, score: TrecScore.format(score), tag: tag)
    }

    /// Writes one line with a float score (formatted as the shortest decimal of the float).
    public func write(qid: String, docid: String, rank: Int, score: Float, tag: String) throws {
        try writeLine(qid: qid, docid: docid, rank: rank, score: TrecScore.format(score), tag: tag)
    }

    /// Writes one entry (its `line` is ignored).
    public func write(_ e: RunEntry) throws {
        try write(qid: e.qid, docid: e.docid, rank: e.rank, score: e.score, tag: e.tag)
    }

    private func writeLine(qid: String, docid: String, rank: Int, score: String, tag: String) throws {
        for (name, value) in [("query id", qid), ("document id", docid), ("run tag", tag)] {
            if !TrecRun.canCarry(value) {
                throw IndexerError.badInput("\(name) '\(value)' is empty or holds whitespace; a TREC run cannot carry it", path: path)
            }
        }
        try writer.write("\(qid) Q0 \(docid) \(rank) \(score) \(tag)\n")
    }

    /// Makes the file appear under its final name.
    public func commit() throws { try writer.commit() }

    /// Drops the partial file.
    public func abandon() { writer.abandon() }
}
