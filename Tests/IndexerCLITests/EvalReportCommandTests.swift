import Evaluation
import Formats
import TestSupport
import XCTest

@testable import indexer

final class EvalReportCommandTests: XCTestCase {
    func usageError(_ body: () throws -> Void) -> IndexerError.Kind? {
        do { try body() } catch let e as IndexerError { return e.kind } catch { return nil }
        return nil
    }

    func testEvalParsesMetricsAndRules() throws {
        let c = try EvalCommand(arguments: ["--qrels", "q.tsv", "--metrics", "ndcg@10,mrr@10", "--all-judged", "--json", "a.run", "b.run"])
        XCTAssertEqual(c.request.metrics, [.ndcg(cut: 10), .mrr(cut: 10)])
        XCTAssertEqual(c.request.runPaths, ["a.run", "b.run"])
        XCTAssertTrue(c.request.rules.allJudged)
        XCTAssertTrue(c.request.json)
        let d = try EvalCommand(arguments: ["--qrels", "q.tsv", "a.run"])
        XCTAssertEqual(d.request.metrics, Metric.defaults)
        XCTAssertFalse(d.request.rules.allJudged)
    }

    func testEvalUsageErrors() {
        XCTAssertEqual(usageError { _ = try EvalCommand(arguments: ["--qrels", "q.tsv"]) }, .usage)
        XCTAssertEqual(usageError { _ = try EvalCommand(arguments: ["a.run"]) }, .usage)
        XCTAssertEqual(usageError { _ = try EvalCommand(arguments: ["--qrels", "q", "--metrics", "ndcg@", "a"]) }, .usage)
        XCTAssertEqual(usageError { _ = try EvalCommand(arguments: ["--qrels", "q", "--metrics", "bpref", "a"]) }, .usage)
    }

    func testReportSweepValidation() throws {
        let base = ["--qrels", "q", "--first-stage", "f"]
        let ok = try ReportCommand(
            arguments: base + ["--sweep", "10,20", "--reranked", "a", "--reranked", "b", "--timings", "t1", "--timings", "t2", "--out", "o"])
        XCTAssertEqual(ok.request.sweep, [10, 20])
        XCTAssertEqual(ok.request.outDir, "o")
        XCTAssertEqual(usageError { _ = try ReportCommand(arguments: base + ["--sweep", "10,20", "--reranked", "a"]) }, .usage)
        XCTAssertEqual(usageError { _ = try ReportCommand(arguments: base + ["--reranked", "a", "--reranked", "b"]) }, .usage)
        XCTAssertEqual(usageError { _ = try ReportCommand(arguments: base + ["--reranked", "a", "--timings", "t1", "--timings", "t2"]) }, .usage)
        XCTAssertEqual(usageError { _ = try ReportCommand(arguments: base + ["--sweep", "10,10", "--reranked", "a", "--reranked", "b"]) }, .usage)
        XCTAssertEqual(usageError { _ = try ReportCommand(arguments: base) }, .usage)
        XCTAssertEqual(usageError { _ = try ReportCommand(arguments: base + ["--reranked", "a", "--alpha", "2"]) }, .usage)
    }

    func testEvalOnFilesGivesTheTable() throws {
        let dir = try temporaryFolder("indexer-cli-eval").path
        try "q1 0 a 1\nq1 0 b 0\n".write(toFile: dir + "/qrels", atomically: true, encoding: .utf8)
        try "q1 Q0 b 1 2.0 t\nq1 Q0 a 2 1.0 t\n".write(toFile: dir + "/r.run", atomically: true, encoding: .utf8)
        let text = try EvalTool.run(EvalOptions(qrelsPath: dir + "/qrels", runPaths: [dir + "/r.run"], metrics: [.mrr(cut: 10), .precision(cut: 1)]))
        XCTAssertEqual(text, "run    queries  mrr@10     p@1\nr.run        1  0.5000  0.0000\n")
    }
}
