import Foundation
import Formats
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
        for line in try lines(dir.appendingPathComponent("qrels/\(split).tsv").path).dropFirst() {
            let f = line.split(separator: "\t")
            guard f.count >= 3, let rel = Int(f[2]) else { continue }
            c.qrels[String(f[0]), default: [:]][String(f[1])] = rel
        }
        for line in try lines(dir.appendingPathComponent("corpus.jsonl").path) {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            c.documentIDs.append("\(o["_id"] ?? "")")
            c.documents.append("\(o["title"] as? String ?? "") \(o["text"] as? String ?? "")")
        }
        for line in try lines(dir.appendingPathComponent("queries.jsonl").path) {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let id = "\(o["_id"] ?? "")"
            guard c.qrels[id] != nil else { continue }
            c.queryIDs.append(id)
            c.queries.append(o["text"] as? String ?? "")
        }
        return c
    }

    static func lines(_ path: String) throws -> [String] {
        let reader = try LineReader(path: path)
        var out: [String] = []
        while let l = try reader.nextLine() { out.append(try reader.string(l)) }
        return out
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
