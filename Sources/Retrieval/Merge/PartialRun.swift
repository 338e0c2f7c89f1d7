import Formats

/// A run written by `indexer search`, read back with its scores exact.
///
/// Scores are parsed straight to `Float` (the search writes each as the shortest decimal that
/// reads back as the same float, so this is lossless), and the file must be in the search's
/// own layout: each query's lines together, ranks 1, 2, 3, ..., lines in ``ResultOrder``.
/// That is what lets ``RunMerge`` reproduce a one-machine search bit for bit.
public struct PartialRun: Sendable {
    /// The file read.
    public var path: String
    /// Queries in file order with their results, best first.
    public var queries: [(qid: String, results: [ScoredDocument])]
    /// The run tag of its lines (nil for an empty file).
    public var tag: String?

    /// Reads and checks `path` (plain or gzipped).
    public static func read(path: String) throws -> PartialRun {
        let lines = try LineReader(path: path)
        var run = PartialRun(path: path, queries: [], tag: nil)
        var done: Set<String> = []
        var docs: [String: Int] = [:]
        while let bytes = try lines.nextLine() {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let line = lines.lineNumber
            let text = try lines.string(bytes)
            let f = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count == 6 else {
                throw IndexerError.badInput("\(f.count) fields, expected 6 (qid Q0 docid rank score tag)", path: path, line: line)
            }
            let qid = String(f[0]), docid = String(f[2]), tag = String(f[5])
            guard let rank = Int(f[3]) else { throw IndexerError.badInput("rank '\(f[3])' is not an integer", path: path, line: line) }
            guard let score = Float(f[4]), score.isFinite else {
                throw IndexerError.badInput("score '\(f[4])' is not a finite number", path: path, line: line)
            }
            if let t = run.tag, t != tag {
                throw IndexerError.badInput("run tag '\(tag)' differs from '\(t)' on earlier lines", path: path, line: line)
            }
            run.tag = tag
            let d = ScoredDocument(id: docid, score: score)
            if run.queries.last?.qid != qid {
                guard done.insert(qid).inserted else {
                    throw IndexerError.badInput("query '\(qid)' comes back after other queries; not a run written by indexer search", path: path, line: line)
                }
                run.queries.append((qid, []))
                docs = [:]
            }
            if let first = docs.updateValue(line, forKey: docid) {
                throw IndexerError.badInput("duplicate document '\(docid)' for query '\(qid)' (first on line \(first))", path: path, line: line)
            }
            let k = run.queries.count - 1
            guard rank == run.queries[k].results.count + 1 else {
                throw IndexerError.badInput(
                    "rank \(rank) where \(run.queries[k].results.count + 1) was expected; not a run written by indexer search", path: path, line: line)
            }
            if let prev = run.queries[k].results.last, !prev.precedes(d) {
                throw IndexerError.badInput(
                    "'\(docid)' (score \(f[4])) should rank before '\(prev.id)' (score descending, then document id ascending); not a run written by indexer search",
                    path: path, line: line)
            }
            run.queries[k].results.append(d)
        }
        return run
    }
}
