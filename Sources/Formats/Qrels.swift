import Foundation

/// The layout of a relevance-judgment file.
public enum QrelsFormat: String, Sendable {
    /// TREC: `qid iter docid rel`, whitespace separated, `#` starts a comment line.
    case trec
    /// BEIR: tab separated `query-id<TAB>corpus-id<TAB>score`, usually with that header line.
    case beirTSV = "beir-tsv"
}

/// Relevance judgments: for each judged query, the judged documents and their integer grades.
///
/// Grades may be zero or negative (judged, not relevant); which grade counts as relevant is the
/// evaluator's business. A (query, document) pair judged twice is an error naming both lines:
/// trec_eval refuses such files ("duplicate docs"), where pytrec_eval would silently keep the
/// last one, and which one was meant cannot be known.
public struct Qrels: Sendable {
    /// The file the judgments were read from (empty when built in memory).
    public var path: String
    /// The detected file layout.
    public var format: QrelsFormat
    /// Query id -> document id -> grade.
    public private(set) var judgments: [String: [String: Int]]
    /// Judged query ids in order of first appearance.
    public private(set) var queryIDs: [String]

    /// Judgments built in memory (tests, tools); query order is sorted by id.
    public init(judgments: [String: [String: Int]], path: String = "", format: QrelsFormat = .trec) {
        self.path = path
        self.format = format
        self.judgments = judgments
        queryIDs = judgments.keys.sorted()
    }

    /// The judged documents of `qid` with their grades (empty when the query is not judged).
    public subscript(qid: String) -> [String: Int] { judgments[qid] ?? [:] }

    /// The number of judgment lines over all queries.
    public var count: Int { judgments.values.reduce(0) { $0 + $1.count } }

    /// Reads a qrels file, TREC or BEIR TSV, detected from its first line (plain or gzipped).
    ///
    /// Detection: a first line with three tab-separated fields whose last is not an integer is
    /// the BEIR header; three tab-separated fields otherwise mean BEIR without header; four
    /// whitespace-separated fields mean TREC.
    public static func read(path: String) throws -> Qrels {
        let lines = try LineReader(path: path)
        var format: QrelsFormat?
        var judgments: [String: [String: Int]] = [:]
        var firstLine: [String: [String: Int]] = [:]
        var order: [String] = []
        while let bytes = try lines.nextLine() {
            if CorpusReader.isBlank(bytes) { continue }
            let line = lines.lineNumber
            let text = try lines.string(bytes)
            if format == nil {
                let tabs = text.split(separator: "\t", omittingEmptySubsequences: false)
                if tabs.count == 3 {
                    format = .beirTSV
                    if Int(tabs[2].trimmingCharacters(in: .whitespaces)) == nil { continue }  // header
                } else {
                    format = .trec
                }
            }
            let qid: String, docid: String, gradeText: Substring
            switch format! {
            case .trec:
                if text.first == "#" { continue }
                let f = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard f.count == 4 else {
                    throw IndexerError.badInput("expected 4 fields 'qid iter docid rel', found \(f.count)", path: path, line: line)
                }
                qid = String(f[0]); docid = String(f[2]); gradeText = f[3]
            case .beirTSV:
                let f = text.split(separator: "\t", omittingEmptySubsequences: false)
                guard f.count == 3 else {
                    throw IndexerError.badInput("expected 3 tab-separated fields 'query-id corpus-id score', found \(f.count)", path: path, line: line)
                }
                qid = f[0].trimmingCharacters(in: .whitespaces)
                docid = f[1].trimmingCharacters(in: .whitespaces)
                gradeText = Substring(f[2].trimmingCharacters(in: .whitespaces))
                guard !qid.isEmpty, !docid.isEmpty else {
                    throw IndexerError.badInput("empty query or document id", path: path, line: line)
                }
            }
            guard let grade = Int(gradeText) else {
                throw IndexerError.badInput("relevance '\(gradeText)' is not an integer", path: path, line: line)
            }
            if judgments[qid] == nil { order.append(qid) }
            if let first = firstLine[qid, default: [:]].updateValue(line, forKey: docid) {
                throw IndexerError.badInput(
                    "document '\(docid)' judged twice for query '\(qid)' (first on line \(first)); trec_eval refuses duplicate judgments", path: path,
                    line: line)
            }
            judgments[qid, default: [:]][docid] = grade
        }
        var q = Qrels(judgments: judgments, path: path, format: format ?? .trec)
        q.queryIDs = order
        return q
    }
}
