import Evaluation
import Formats
import Foundation
import TestSupport
import XCTest

/// The latency budget, the cheapest depth of a sweep and the Holm correction.
final class BudgetAndHolmTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("indexer-budget-tests")
        // 20 queries, one relevant document "rel" each.
        let q = (0..<20).map { "q\($0) 0 rel 1\n" }.joined()
        _ = FileManager.default.createFile(atPath: dir + "/qrels", contents: Data(q.utf8))
    }

    override func tearDown() { folder.remove() }

    /// A run of 20 queries over 100 candidates; query i has "rel" at rank `relAt(i)`.
    func run(_ name: String, relAt: (Int) -> Int) -> String {
        var s = ""
        for q in 0..<20 {
            var l = (0..<100).map { "n\($0)" }
            l[relAt(q) - 1] = "rel"
            for (r, d) in l.enumerated() { s += "q\(q) Q0 \(d) \(r + 1) \(1000 - r) t\n" }
        }
        _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(s.utf8))
        return dir + "/" + name
    }

    func timings(_ name: String, ms: (Int) -> Double, pairs: Int) throws -> String {
        try RerankTimings.write(
            (0..<20).map { RerankTiming(qid: "q\($0)", pairs: pairs, tokens: pairs * 100, milliseconds: ms($0)) },
            to: dir + "/" + name)
        return dir + "/" + name
    }

    /// One run that moves every relevant document from rank 15 to 1; p95 = 56 ms (20 x 2.8).
    func single(budget: Double?) throws -> DecisionReport {
        let first = run("first") { _ in 15 }
        let rr = run("rr") { _ in 1 }
        let t = try timings("t", ms: { 20 * (1 + Double($0) / 10) }, pairs: 20)
        var req = ReportOptions(qrelsPath: dir + "/qrels", firstStagePath: first, rerankedPaths: [rr], timingsPaths: [t], outDir: dir + "/out")
        req.permutations = 1000
        req.thresholds.latencyBudgetMs = budget
        return try DecisionReport.make(req)
    }

    func testBudgetBelowTheMeasuredP95ChangesTheVerdict() throws {
        let fits = try single(budget: 100)
        XCTAssertEqual(fits.comparisons[0].cost!.p95, 56, accuracy: 1e-9)
        XCTAssertEqual(fits.verdict.label, .pays)
        XCTAssertEqual(try single(budget: nil).verdict.label, .pays)
        let tight = try single(budget: 50)
        XCTAssertEqual(tight.verdict.label, .doesNotFit)
        // One timed depth: the line through the origin, 56 / 20 = 2.8 ms per candidate -> 50 / 2.8 = 17.9.
        XCTAssertTrue(tight.verdict.reason.contains("puts depth 17 at 47.6 ms (estimate"), tight.verdict.reason)
        XCTAssertTrue(tight.markdown().contains("**Verdict: pays but does not fit.**"))
    }

    /// Depths 10/20/50/100 fix 10/18/19/20 of the 20 queries (gains 0.5/0.9/0.95/1.0); 10-50 are timed at
    /// p95 = depth ms, depth 100 is not timed.
    func sweep(budget: Double? = nil, keepGain: Double = 0.9) throws -> DecisionReport {
        let first = run("first") { _ in 15 }
        let fixed = [10: 10, 20: 18, 50: 19, 100: 20]
        let depths = [10, 20, 50, 100]
        let runs = depths.map { d in run("r\(d)") { $0 < fixed[d]! ? 1 : 15 } }
        let ts = try [10, 20, 50].map { d in try timings("t\(d)", ms: { _ in Double(d) }, pairs: d) }
        var req = ReportOptions(qrelsPath: dir + "/qrels", firstStagePath: first, rerankedPaths: runs, timingsPaths: ts, outDir: dir + "/out")
        req.sweep = depths
        req.permutations = 1000
        req.thresholds.latencyBudgetMs = budget
        req.thresholds.keepGain = keepGain
        return try DecisionReport.make(req)
    }

    func testCheapestDepthKeepsTheAskedShareOfTheBestGain() throws {
        let r = try sweep()
        XCTAssertEqual(r.comparisons.map(\.ndcgGain), [0.5, 0.9, 0.95, 1.0])
        XCTAssertEqual(r.comparisons[r.cheapest!].depth, 20)
        XCTAssertEqual(try sweep(keepGain: 0.95).comparisons[try sweep(keepGain: 0.95).cheapest!].depth, 50)
        XCTAssertEqual(try sweep(keepGain: 0.5).comparisons[try sweep(keepGain: 0.5).cheapest!].depth, 10)
        XCTAssertEqual(try sweep(keepGain: 1).comparisons[try sweep(keepGain: 1).cheapest!].depth, 100)
        XCTAssertTrue(r.markdown().contains("Cheapest depth: **20**"))
        XCTAssertEqual(r.json().rendered().contains("\"cheapestDepth\": 20"), true, r.json().rendered())
    }

    func testBudgetOnASweepNamesTheBestDepthThatFits() throws {
        // The verdict's depth is 100 (the best); its cost is estimated from the fit (exactly p95 = depth).
        XCTAssertEqual(try sweep(budget: 200).verdict.label, .pays)
        let r = try sweep(budget: 60)
        XCTAssertEqual(r.comparisons[r.chosen].depth, 100)
        XCTAssertEqual(r.verdict.label, .doesNotFit)
        XCTAssertTrue(r.verdict.reason.contains("depth 50 fits (p95 50.0 ms, measured) and keeps 95% of the gain"), r.verdict.reason)
        let tiny = try sweep(budget: 5)
        XCTAssertEqual(tiny.verdict.label, .doesNotFit)
        XCTAssertTrue(tiny.verdict.reason.contains("puts depth 5 at 5.0 ms"), tiny.verdict.reason)
    }

    func testCostModelFit() {
        let m = CostModel(points: [(10, 12), (20, 22), (50, 52)])!
        XCTAssertEqual(m.slope, 1, accuracy: 1e-12)
        XCTAssertEqual(m.intercept, 2, accuracy: 1e-12)
        XCTAssertEqual(m.deepestWithin(32.5), 30)
        XCTAssertNil(CostModel(points: []))
    }

    func testHolmMatchesStatsmodels() throws {
        let golden = try Golden.json("synthetic/holm.json")
        let cases = golden["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 18)
        for c in cases {
            let got = Statistics.holm(c["p"] as! [Double])
            let want = c["holm"] as! [Double]
            XCTAssertEqual(got.count, want.count)
            for (g, w) in zip(got, want) { XCTAssertEqual(g, w, accuracy: 1e-12, "\(c["p"]!)") }
        }
    }
}
