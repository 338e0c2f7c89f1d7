import Evaluation
import Formats
import Foundation
import TestSupport
import XCTest

/// Several rerankers (cheapest indistinguishable, Holm), baselines and the drill-down on constructed runs.
final class ModelChoiceTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("indexer-models-tests")
        // 40 queries, one relevant document "rel" each.
        let q = (0..<40).map { "q\($0) 0 rel 1\n" }.joined()
        _ = FileManager.default.createFile(atPath: dir + "/qrels", contents: Data(q.utf8))
    }

    override func tearDown() { folder.remove() }

    /// 40 queries over 30 candidates; query i has "rel" at rank `relAt(i)`.
    func run(_ name: String, relAt: (Int) -> Int) -> String {
        var s = ""
        for q in 0..<40 {
            var l = (0..<30).map { "n\($0)" }
            l[relAt(q) - 1] = "rel"
            for (r, d) in l.enumerated() { s += "q\(q) Q0 \(d) \(r + 1) \(1000 - r) t\n" }
        }
        _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(s.utf8))
        return dir + "/" + name
    }

    func timings(_ name: String, ms: Double) throws -> String {
        try RerankTimings.write((0..<40).map { RerankTiming(qid: "q\($0)", pairs: 30, tokens: 3000, milliseconds: ms) }, to: dir + "/" + name)
        return dir + "/" + name
    }

    func request(_ runs: [(String, String, Double)], baselines: [NamedRun] = []) throws -> ReportOptions {
        var req = ReportOptions(
            qrelsPath: dir + "/qrels", firstStagePath: run("first") { _ in 20 },
            rerankedPaths: runs.map(\.1), timingsPaths: try runs.map { try timings($0.0 + ".t", ms: $0.2) }, outDir: dir + "/out")
        req.names = runs.map(\.0)
        req.baselines = baselines
        req.permutations = 2000
        return req
    }

    func testCheapModelIndistinguishableFromTheBestIsChosen() throws {
        // big: every query at rank 1; cheap: the same but one query at rank 2: not significantly worse.
        let big = run("big") { _ in 1 }, cheap = run("cheap") { $0 == 0 ? 2 : 1 }
        let r = try DecisionReport.make(try request([("big", big, 100), ("cheap", cheap, 10)]))
        XCTAssertEqual(r.comparisons[r.choice!.best].name, "big")
        XCTAssertEqual(r.comparisons[r.chosen].name, "cheap")
        XCTAssertTrue(r.choice!.test(1)!.indistinguishable)
        XCTAssertEqual(r.verdict.label, .pays)
        XCTAssertTrue(r.verdict.reason.hasPrefix("cheap is the cheapest configuration indistinguishable from the best, big"), r.verdict.reason)
        XCTAssertTrue(r.markdown().contains("Rerankers: quality and cost"))
    }

    func testCheapModelSignificantlyWorseIsNotChosen() throws {
        // cheap: half the queries stay at rank 20: significantly worse than big.
        let big = run("big") { _ in 1 }, cheap = run("cheap") { $0 % 2 == 0 ? 20 : 1 }
        let r = try DecisionReport.make(try request([("big", big, 100), ("cheap", cheap, 10)]))
        XCTAssertEqual(r.comparisons[r.chosen].name, "big")
        XCTAssertFalse(r.choice!.test(1)!.indistinguishable)
        XCTAssertLessThan(r.choice!.test(1)!.holm, 0.05)
    }

    func testHolmIsAppliedAcrossTheComparisonsWithTheBest() throws {
        let best = run("best") { _ in 1 }
        let a = run("a") { $0 < 6 ? 3 : 1 }, b = run("b") { $0 % 2 == 0 ? 20 : 1 }, c = run("c") { $0 < 3 ? 2 : 1 }
        let r = try DecisionReport.make(try request([("best", best, 100), ("a", a, 30), ("b", b, 20), ("c", c, 10)]))
        let tests = r.choice!.tests
        XCTAssertEqual(tests.map(\.index), [1, 2, 3])
        XCTAssertEqual(tests.map(\.holm), Statistics.holm(tests.map(\.p)))
        for t in tests { XCTAssertEqual(t.indistinguishable, t.holm >= 0.05) }
        // The chosen one is the cheapest indistinguishable.
        let ok = tests.filter(\.indistinguishable).map(\.index) + [0]
        XCTAssertEqual(r.chosen, ok.min { r.comparisons[$0].cost!.p50 < r.comparisons[$1].cost!.p50 })
    }

    func testBaselineBetterThanTheRerankerIsTheVerdict() throws {
        // The reranker moves rel from 20 to 5; the fused baseline has it at rank 1 everywhere.
        let rr = run("rr") { _ in 5 }, fused = run("fused") { _ in 1 }
        let r = try DecisionReport.make(
            try request([("ce", rr, 50)], baselines: [NamedRun(name: "hybrid", path: fused), NamedRun(name: "bm25", path: run("bm25") { _ in 20 })]))
        XCTAssertEqual(r.baselines[r.bestBaseline!].run.name, "hybrid")
        XCTAssertEqual(r.verdict.label, .baselineBetter)
        XCTAssertTrue(r.verdict.reason.contains("hybrid without a reranker is significantly better"), r.verdict.reason)
        // Close to the baseline but not significantly better: "no better than the baseline".
        let near = run("near") { $0 == 0 ? 2 : 1 }
        let r2 = try DecisionReport.make(try request([("ce", rr, 50)], baselines: [NamedRun(name: "hybrid", path: near)]))
        XCTAssertEqual(r2.verdict.label, .baselineBetter)
        let r3 = try DecisionReport.make(try request([("ce", near, 50)], baselines: [NamedRun(name: "hybrid", path: fused)]))
        XCTAssertEqual(r3.verdict.label, .baselineAsGood)
        XCTAssertTrue(r3.markdown().contains("Baselines: the cheaper alternatives"))
        let r4 = try DecisionReport.make(try request([("ce", fused, 50)], baselines: [NamedRun(name: "bm25", path: run("b2") { _ in 20 })]))
        XCTAssertEqual(r4.verdict.label, .pays)
        XCTAssertTrue(r4.verdict.reason.contains("reranking beats the best baseline"), r4.verdict.reason)
    }

    func testDrillDownPicksTheQueriesAndRanks() throws {
        // First stage: rel at 20 everywhere; reranked: q0 -> 1, q1 -> 2, q5 -> 5, q2 -> 11 (no nDCG@10 change).
        let rr = run("rr") { [0: 1, 1: 2, 2: 11, 5: 5][$0] ?? 20 }
        try "{\"_id\": \"q0\", \"text\": \"the first query\"}\n".write(toFile: dir + "/queries.jsonl", atomically: true, encoding: .utf8)
        var req = try request([("ce", rr, 50)])
        req.queriesPath = dir + "/queries.jsonl"
        req.drillDown = 2
        req.documentTexts = { ids in Dictionary(uniqueKeysWithValues: ids.map { ($0, "text of \($0) one two three four five six seven eight nine ten eleven") })
        }
        let d = try XCTUnwrap(try DecisionReport.make(req).drillDown)
        XCTAssertEqual(d.won.map(\.qid), ["q0", "q1"])
        XCTAssertEqual(d.won[0].text, "the first query")
        XCTAssertEqual(d.won[0].firstRelevantBefore, 20)
        XCTAssertEqual(d.won[0].firstRelevantAfter, 1)
        XCTAssertEqual(d.won[0].topAfter.map(\.id), ["rel", "n1", "n2"])
        XCTAssertEqual(d.won[0].topBefore.map(\.id), ["n0", "n1", "n2"])
        XCTAssertEqual(d.won[0].topAfter[0].grade, 1)
        XCTAssertEqual(d.won[0].topAfter[0].snippet, "text of rel one two three four five six seven eight nine …")
        XCTAssertTrue(d.lost.isEmpty)
        // The other side: q3 and q4 had rel at ranks 1 and 2; the reranked run moves it to 30 and 20.
        req.firstStagePath = run("first2") { [3: 1, 4: 2][$0] ?? 20 }
        req.rerankedPaths = [run("worse") { $0 == 3 ? 30 : 20 }]
        let d2 = try XCTUnwrap(try DecisionReport.make(req).drillDown)
        XCTAssertEqual(d2.lost.map(\.qid), ["q3", "q4"])
        XCTAssertEqual(d2.lost[0].firstRelevantAfter, 30)
    }
}
