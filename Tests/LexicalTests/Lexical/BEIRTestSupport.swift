import Formats
import Foundation
import XCTest

/// A BEIR collection from ../shared/data, as BEIR/Anserini encode it (document = title + " " + text).
struct BEIRCollection {
    var documentIDs: [String] = []
    var documents: [String] = []
    var queryIDs: [String] = []
    var queries: [String] = []
    /// query id -> document id -> relevance
    var qrels: [String: [String: Int]] = [:]

    static func dataRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data")
    }

    /// Loads `name` with the queries of its `split` qrels; throws XCTSkip when the data is absent.
    static func load(_ name: String, split: String = "test") throws -> BEIRCollection {
        let dir = dataRoot().appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("corpus.jsonl").path) else {
            throw XCTSkip("no BEIR \(name) at \(dir.path)")
        }
        var c = BEIRCollection()
        c.qrels = try Qrels.read(path: dir.appendingPathComponent("qrels/\(split).tsv").path).judgments
        let corpus = try CorpusReader(path: dir.appendingPathComponent("corpus.jsonl").path)
        while let d = try corpus.next() {
            c.documentIDs.append(d.id)
            c.documents.append(d.combinedText)
        }
        for q in try QueryReader.read(path: dir.appendingPathComponent("queries.jsonl").path) where c.qrels[q.id] != nil {
            c.queryIDs.append(q.id)
            c.queries.append(q.text)
        }
        return c
    }

    /// trec_eval's ndcg_cut.k and recall.k averaged over judged queries (gain = judged level,
    /// log2 discount, ideal ranking from the qrels), for rankings given as document ids.
    func evaluate(_ rankings: [[String]], k ndcgDepth: Int, recallDepth: Int) -> (ndcg: Double, recall: Double) {
        var ndcgSum = 0.0, recallSum = 0.0
        for (q, ranking) in rankings.enumerated() {
            let judged = qrels[queryIDs[q]] ?? [:]
            var dcg = 0.0
            for (r, doc) in ranking.prefix(ndcgDepth).enumerated() {
                let g = Double(max(0, judged[doc] ?? 0))
                dcg += g / log2(Double(r + 2))
            }
            let ideal = judged.values.filter { $0 > 0 }.sorted(by: >).prefix(ndcgDepth)
            var idcg = 0.0
            for (r, g) in ideal.enumerated() { idcg += Double(g) / log2(Double(r + 2)) }
            ndcgSum += idcg > 0 ? dcg / idcg : 0
            let relevant = judged.filter { $0.value > 0 }.count
            let found = ranking.prefix(recallDepth).filter { (judged[$0] ?? 0) > 0 }.count
            recallSum += relevant > 0 ? Double(found) / Double(relevant) : 0
        }
        let n = Double(rankings.count)
        return (ndcgSum / n, recallSum / n)
    }
}
