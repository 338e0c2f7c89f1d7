import Evaluation
import Formats
import Foundation
import XCTest

/// Our figures against pytrec_eval's (trec_eval's C code), from scripts/reference/eval_golden.py.
final class TrecEvalAgreementTests: XCTestCase {
    let metrics = try! Golden.metricNames.map { try Metric(parsing: $0) }

    func check(
        run runPath: String, qrels qrelsPath: String, golden g: [String: Any], label: String,
        perQueryTolerance: Double = 1e-9, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let run = try TrecRun.read(path: runPath)
        let qrels = try Qrels.read(path: qrelsPath)
        for allJudged in [false, true] {
            let r = Evaluator.evaluate(run: run, qrels: qrels, metrics: metrics, rules: EvaluationRules(allJudged: allJudged))
            let means = g[allJudged ? "meansAllJudged" : "means"] as! [String: Double]
            for (k, m) in metrics.enumerated() {
                let want = means[m.name]!
                XCTAssertEqual(r.means[k], want, accuracy: 1e-9, "\(label) \(m.name) allJudged=\(allJudged)", file: file, line: line)
                XCTAssertEqual(fixed4(r.means[k]), fixed4(want), "\(label) \(m.name) to 4 decimals", file: file, line: line)
            }
            let expectedCount = allJudged ? (g["judged"] as! Int) : (g["evaluated"] as! Int)
            XCTAssertEqual(r.queries.count, expectedCount, "\(label) evaluated queries", file: file, line: line)
        }
        let perQuery = g["perQuery"] as! [String: [String: Double]]
        let r = Evaluator.evaluate(run: run, qrels: qrels, metrics: metrics)
        XCTAssertEqual(Set(r.queries.map(\.qid)), Set(perQuery.keys), "\(label) query set", file: file, line: line)
        for q in r.queries {
            for (k, m) in metrics.enumerated() {
                XCTAssertEqual(q.values[k], perQuery[q.qid]![m.name]!, accuracy: perQueryTolerance, "\(label) \(q.qid) \(m.name)", file: file, line: line)
            }
        }
    }

    func fixed4(_ v: Double) -> String { String(format: "%.4f", v) }

    /// Runs made for the test: ties, missing queries, graded and negative grades, empty runs.
    func testSyntheticRunsMatchPytrecEval() throws {
        let golden = try Golden.json("synthetic/golden.json")
        XCTAssertEqual(Set(golden.keys), ["hand", "empty", "random"])
        for (name, value) in golden {
            let g = value as! [String: Any]
            try check(
                run: Golden.path("synthetic/" + (g["run"] as! String)),
                qrels: Golden.path("synthetic/" + (g["qrels"] as! String)), golden: g, label: name)
        }
    }

    /// SciFact and NFCorpus: a dense, a (stand-in) reranked and a fused run, every metric.
    func testRealRunsMatchPytrecEval() throws {
        guard FileManager.default.fileExists(atPath: Golden.path("real-golden.json.gz")) else {
            throw XCTSkip("Golden/real-golden.json.gz is missing: run scripts/reference/eval_golden.py real")
        }
        let golden = try Golden.json("real-golden.json.gz")
        XCTAssertEqual(golden.count, 6)
        var checked = 0
        for (name, value) in golden.sorted(by: { $0.key < $1.key }) {
            let g = value as! [String: Any]
            guard let qrels = Golden.sharedData(g["qrels"] as! String) else { continue }
            try check(run: Golden.path(g["run"] as! String), qrels: qrels, golden: g, label: name)
            checked += 1
        }
        if checked == 0 { throw XCTSkip("../shared/data is absent") }
    }
}
