import Evaluation
import Formats
import Foundation
import XCTest

/// Hand-computed cases of trec_eval's rules (values worked out on paper in the comments).
final class JudgedRankingTests: XCTestCase {
    func entries(_ items: [(String, Double)], qid: String = "q") -> [RunEntry] {
        items.enumerated().map { RunEntry(qid: qid, docid: $1.0, rank: 1, score: $1.1, tag: "t") }
    }

    func testTiesAreBrokenByDocumentIDDescendingBytes() {
        let order = JudgedRanking.trecEvalOrder(entries([("a", 1), ("B", 1), ("c", 2), ("é", 1), ("b", 1)]))
        // "é" is 0xC3 0xA9 > "b" > "a" > "B" in bytes.
        XCTAssertEqual(order.map(\.docid), ["c", "é", "b", "a", "B"])
    }

    func testRankFieldIsIgnored() {
        let e = [
            RunEntry(qid: "q", docid: "x", rank: 1, score: 0.1, tag: "t"),
            RunEntry(qid: "q", docid: "y", rank: 2, score: 0.9, tag: "t"),
        ]
        let r = JudgedRanking(entries: e, judgments: ["x": 1])
        XCTAssertEqual(r.reciprocalRank(cut: nil), 0.5)
    }

    func testGradedNDCG() {
        // Ranking: g=0, g=2, unjudged, g=1. DCG@4 = 2/log2(3) + 1/log2(5).
        // Ideal: 3 (unretrieved), 2, 1 -> 3 + 2/log2(3) + 1/log2(4).
        let r = JudgedRanking(
            entries: entries([("a", 4), ("b", 3), ("c", 2), ("d", 1)]),
            judgments: ["a": 0, "b": 2, "d": 1, "e": 3, "f": -1])
        let dcg = 2 / log2(3.0) + 1 / log2(5.0)
        let ideal = 3 + 2 / log2(3.0) + 1 / log2(4.0)
        XCTAssertEqual(r.ndcg(cut: 10), dcg / ideal, accuracy: 1e-12)
        XCTAssertEqual(r.ndcg(cut: 1), 0, accuracy: 1e-12)
        XCTAssertEqual(r.relevantCount, 3)
        XCTAssertEqual(r.recall(cut: 10), 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r.precision(cut: 10), 0.2, accuracy: 1e-12, "P divides by the cutoff, not by what was retrieved")
        XCTAssertEqual(r.reciprocalRank(cut: 1), 0)
        XCTAssertEqual(r.reciprocalRank(cut: 2), 0.5)
        XCTAssertEqual(r.averagePrecision(cut: nil), (1.0 / 2 + 2.0 / 4) / 3, accuracy: 1e-12)
    }

    func testNegativeGradesAreNeitherRelevantNorGain() {
        let r = JudgedRanking(entries: entries([("a", 1)]), judgments: ["a": -1, "b": 1])
        XCTAssertEqual(r.ndcg(cut: 10), 0)
        XCTAssertEqual(r.precision(cut: 1), 0)
        XCTAssertEqual(r.relevantCount, 1)
    }

    func testRelevanceLevelTwo() {
        let r = JudgedRanking(entries: entries([("a", 2), ("b", 1)]), judgments: ["a": 1, "b": 2], relevanceLevel: 2)
        XCTAssertEqual(r.reciprocalRank(cut: nil), 0.5)
        XCTAssertEqual(r.relevantCount, 1)
        // nDCG ignores the level: gains are grades > 0.
        XCTAssertEqual(r.ndcg(cut: nil), (1 + 2 / log2(3.0)) / (2 + 1 / log2(3.0)), accuracy: 1e-12)
    }

    func testNoRelevantDocumentsGiveZeroNotNaN() {
        let r = JudgedRanking(entries: entries([("a", 1)]), judgments: ["a": 0])
        for m in [Metric.ndcg(cut: 10), .recall(cut: 10), .precision(cut: 10), .mrr(cut: 10), .map(cut: nil)] {
            XCTAssertEqual(r.value(m), 0, m.name)
        }
    }

    func testMetricNames() throws {
        XCTAssertEqual(try Metric.parseList("ndcg@10,recall@100,mrr@10,map,p@10"), Metric.defaults)
        XCTAssertEqual(try Metric(parsing: "ndcg_cut.10"), .ndcg(cut: 10))
        XCTAssertEqual(try Metric(parsing: "P.5"), .precision(cut: 5))
        XCTAssertEqual(try Metric(parsing: "recip_rank"), .mrr(cut: nil))
        XCTAssertEqual(Metric.mrr(cut: 10).name, "mrr@10")
        XCTAssertThrowsError(try Metric(parsing: "ndcg@0"))
        XCTAssertThrowsError(try Metric(parsing: "ndcg@x"))
        XCTAssertThrowsError(try Metric(parsing: "bpref"))
    }
}
