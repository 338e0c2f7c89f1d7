import Foundation
import Formats
import XCTest
@testable import Retrieval

/// BM25 quality on BEIR test splits against Anserini's published "flat" regression figures
/// (beir-v1.0.0, BM25 k1=0.9 b=0.4, title + " " + text): SciFact nDCG@10 0.6789, R@100 0.9253;
/// NFCorpus nDCG@10 0.3218. Set LEXICAL_RUN_DIR to also write the TREC runs (1000 hits a query),
/// which scripts/reference/eval_lexical_run.py scores with pytrec_eval.
final class LexicalQualityTests: XCTestCase {
    private func run(_ name: String) throws -> (ndcg: Double, recall: Double) {
        let c = try BEIRCollection.load(name)
        let searcher = LexicalIndex.build(documents: c.documents)
        let hits = try searcher.search(queries: c.queries, topK: 1000)
        if let dir = ProcessInfo.processInfo.environment["LEXICAL_RUN_DIR"] {
            var text = ""
            for (q, list) in hits.enumerated() {
                for (r, h) in list.enumerated() {
                    text += "\(c.queryIDs[q]) Q0 \(c.documentIDs[h.document]) \(r + 1) \(String(format: "%.6f", h.score)) bm25\n"
                }
            }
            try AtomicFile.write(text, to: "\(dir)/bm25-\(name).trec")
        }
        let m = c.evaluate(hits.map { $0.map { c.documentIDs[$0.document] } }, k: 10, recallDepth: 100)
        print("BM25 \(name): nDCG@10 \(String(format: "%.4f", m.ndcg)) R@100 \(String(format: "%.4f", m.recall))")
        return m
    }

    func testSciFact() throws {
        let m = try run("scifact")
        XCTAssertEqual(m.ndcg, 0.6789, accuracy: 0.005)
        XCTAssertEqual(m.recall, 0.9253, accuracy: 0.01)
    }

    func testNFCorpus() throws {
        let m = try run("nfcorpus")
        XCTAssertEqual(m.ndcg, 0.3218, accuracy: 0.005)
    }
}
