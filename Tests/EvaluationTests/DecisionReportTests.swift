import Evaluation
import Formats
import Foundation
import TestSupport
import XCTest

/// Reports on runs built so that the right verdict and figures are known by construction.
final class DecisionReportTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("indexer-report-tests")
    }

    override func tearDown() { folder.remove() }

    /// Writes a run where query i ranks `docs(i)` in the given order (scores descending).
    func writeRun(_ name: String, queries: Int, docs: (Int) -> [String]) -> String {
        var s = ""
        for q in 0..<queries {
            for (r, d) in docs(q).enumerated() { s += "q\(q) Q0 \(d) \(r + 1) \(1000 - r) run\n" }
        }
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(s.utf8))
        return path
    }

    /// Query i has one relevant document, "rel".
    func writeQrels(queries: Int) -> String {
        let path = dir + "/qrels"
        let s = (0..<queries).map { "q\($0) 0 rel 1\n" }.joined()
        _ = FileManager.default.createFile(atPath: path, contents: Data(s.utf8))
        return path
    }

    /// 100 candidates with "rel" at 1-based rank `at` (nil = absent).
    func list(relAt at: Int?) -> [String] {
        var l = (0..<100).map { "n\($0)" }
        if let at { l[at - 1] = "rel" }
        return l
    }

    func report(first: String, reranked: [String], sweep: [Int]? = nil, timings: [String] = []) throws -> DecisionReport {
        var r = ReportOptions(qrelsPath: dir + "/qrels", firstStagePath: first, rerankedPaths: reranked, timingsPaths: timings, outDir: dir + "/out")
        r.sweep = sweep
        r.permutations = 2000
        return try DecisionReport.make(r)
    }

    func testRerankingPays() throws {
        _ = writeQrels(queries: 40)
        let first = writeRun("first", queries: 40) { self.list(relAt: 11 + $0 % 30) }
        let rr = writeRun("rr", queries: 40) { self.list(relAt: $0 % 4 == 0 ? 2 : 1) }
        let rep = try report(first: first, reranked: [rr])
        XCTAssertEqual(rep.verdict.label, .pays)
        let c = rep.comparisons[0]
        XCTAssertEqual(c.depth, 100)
        XCTAssertEqual(c.wins, 40)
        XCTAssertEqual(c.losses, 0)
        XCTAssertEqual(c.firstStage[0], 0, accuracy: 1e-12)
        // 30 queries at rank 1 (nDCG 1), 10 at rank 2 (nDCG 1/log2(3)).
        XCTAssertEqual(c.reranked[0], (30 + 10 / log2(3.0)) / 40, accuracy: 1e-12)
        XCTAssertLessThan(c.pRandomisation, 0.001)
        XCTAssertEqual(c.headroom.fixable, 40)
        XCTAssertEqual(c.headroom.unreachable, 0)
        XCTAssertEqual(c.headroom.oracleNDCG, 1, accuracy: 1e-12)
        XCTAssertEqual(c.headroom.recallAtDepth, 1, accuracy: 1e-12)
    }

    func testRerankingHurts() throws {
        _ = writeQrels(queries: 40)
        let first = writeRun("first", queries: 40) { _ in self.list(relAt: 1) }
        let rr = writeRun("rr", queries: 40) { _ in self.list(relAt: 12) }
        XCTAssertEqual(try report(first: first, reranked: [rr]).verdict.label, .hurts)
    }

    func testFirstStageAlreadyPrecise() throws {
        _ = writeQrels(queries: 40)
        let first = writeRun("first", queries: 40) { _ in self.list(relAt: 1) }
        let rep = try report(first: first, reranked: [first])
        XCTAssertEqual(rep.verdict.label, .precise)
        XCTAssertEqual(rep.comparisons[0].ties, 40)
        XCTAssertEqual(rep.comparisons[0].pRandomisation, 1)
    }

    func testRecallIsTheProblem() throws {
        _ = writeQrels(queries: 40)
        // 30 of 40 queries have the relevant document nowhere in the top 100; 10 have it at 11.
        let first = writeRun("first", queries: 40) { self.list(relAt: $0 < 10 ? 11 : nil) }
        let rep = try report(first: first, reranked: [first])
        XCTAssertEqual(rep.verdict.label, .recall)
        XCTAssertEqual(rep.comparisons[0].headroom.unreachable, 30)
        XCTAssertEqual(rep.comparisons[0].headroom.fixable, 10)
        XCTAssertEqual(rep.comparisons[0].headroom.unreachableShare, 0.75, accuracy: 1e-12)
    }

    func testGainNotSignificant() throws {
        _ = writeQrels(queries: 40)
        let first = writeRun("first", queries: 40) { _ in self.list(relAt: 15) }
        // Half the queries move up one rank, half down one, all beyond the top 10: no change at the top.
        let rr = writeRun("rr", queries: 40) { self.list(relAt: $0 % 2 == 0 ? 14 : 16) }
        XCTAssertEqual(try report(first: first, reranked: [rr]).verdict.label, .notSignificant)
    }

    func testSweepWritesDeterministicFilesAndRecommendsSmallestGoodDepth() throws {
        _ = writeQrels(queries: 20)
        let first = writeRun("first", queries: 20) { _ in self.list(relAt: 15) }
        // Depth 10 cannot see rank 15; depths 20 and 50 fix everything.
        let r10 = writeRun("r10", queries: 20) { _ in Array(self.list(relAt: 15).prefix(10)) }
        let r20 = writeRun("r20", queries: 20) { _ in Array(self.list(relAt: 1).prefix(20)) }
        let r50 = writeRun("r50", queries: 20) { _ in Array(self.list(relAt: 1).prefix(50)) }
        var timings: [String] = []
        for (d, name) in [(10, "t10"), (20, "t20"), (50, "t50")] {
            let t = (0..<20).map { RerankTiming(qid: "q\($0)", pairs: d, tokens: d * 200, milliseconds: Double(d) * (1 + Double($0) / 10)) }
            try RerankTimings.write(t, to: dir + "/" + name)
            timings.append(dir + "/" + name)
        }
        var req = ReportOptions(
            qrelsPath: dir + "/qrels", firstStagePath: first, rerankedPaths: [r50, r10, r20], timingsPaths: [timings[2], timings[0], timings[1]],
            outDir: dir + "/out")
        req.sweep = [50, 10, 20]
        req.permutations = 1000
        let line = try DecisionReport.run(req)
        XCTAssertTrue(line.hasPrefix("verdict: reranking pays"), line)
        let rep = try DecisionReport.make(req)
        XCTAssertEqual(rep.comparisons[rep.chosen].depth, 20)
        let c20 = rep.comparisons[rep.chosen]
        // ms for depth 20: 20 * (1 + i/10), i = 0..19 -> nearest-rank p50 = 10th smallest = 20 * 1.9.
        XCTAssertEqual(c20.cost!.p50, 38, accuracy: 1e-9)
        XCTAssertEqual(c20.cost!.p95, 20 * 2.8, accuracy: 1e-9)
        XCTAssertEqual(c20.cost!.pairsPerQuery, 20)
        for f in ["report.md", "report.json", "sweep.csv", "sweep.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out/" + f), f)
        }
        let csv = try String(contentsOfFile: dir + "/out/sweep.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[1].hasPrefix("10,"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/report.json"))) as? [String: Any]
        XCTAssertEqual((json?["verdict"] as? [String: Any])?["depth"] as? Int, 20)
        let svg = try String(contentsOfFile: dir + "/out/sweep.svg", encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        // Same inputs, same bytes.
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/out/report.md"))
        _ = try DecisionReport.run(req)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/out/report.md")), before)
    }
}

final class StatisticsTests: XCTestCase {
    func testTTestMatchesSciPy() throws {
        let golden = try Golden.json("synthetic/ttest.json")
        let cases = golden["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 4)
        for c in cases {
            let r = Statistics.pairedTTest(differences: c["differences"] as! [Double])
            XCTAssertEqual(r.t, c["t"] as! Double, accuracy: 1e-9)
            XCTAssertEqual(r.p, c["p"] as! Double, accuracy: 1e-9)
        }
    }

    /// With 12 differences all 4096 sign patterns can be enumerated: the exact p-value.
    func testRandomisationApproachesTheExactPValue() {
        let d = [0.3, 0.1, -0.05, 0.2, 0.0, 0.15, -0.1, 0.25, 0.05, 0.12, -0.02, 0.08]
        let observed = abs(d.reduce(0, +))
        var extreme = 0
        for mask in 0..<(1 << d.count) {
            var s = 0.0
            for (i, x) in d.enumerated() { s += (mask >> i) & 1 == 1 ? -x : x }
            if abs(s) >= observed - 1e-12 { extreme += 1 }
        }
        let exact = Double(extreme) / Double(1 << d.count)
        let estimate = Statistics.randomisationTest(differences: d, permutations: 20_000, seed: 1)
        XCTAssertEqual(estimate, exact, accuracy: 0.01)
        XCTAssertEqual(
            Statistics.randomisationTest(differences: d, permutations: 5000, seed: 9),
            Statistics.randomisationTest(differences: d, permutations: 5000, seed: 9))
    }

    func testPercentileIsNearestRank() {
        XCTAssertEqual(Statistics.percentile([5, 1, 3, 2, 4], 50), 3)
        XCTAssertEqual(Statistics.percentile(Array(1...20).map(Double.init), 95), 19)
        XCTAssertEqual(Statistics.percentile([7], 95), 7)
        XCTAssertNil(Statistics.percentile([], 50))
    }
}
