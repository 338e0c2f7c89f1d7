import Evaluation
import Formats
import XCTest

@testable import indexer

/// `indexer report` with named rerankers, baselines and the drill-down's inputs.
final class ReportModelsCommandTests: XCTestCase {
    func kind(_ body: () throws -> Void) -> IndexerError.Kind? {
        do { try body() } catch let e as IndexerError { return e.kind } catch { return nil }
        return nil
    }

    func testNamedRerankersTimingsAndBaselines() throws {
        let base = ["--qrels", "q", "--first-stage", "f"]
        let c = try ReportCommand(
            arguments: base + [
                "--reranked", "ce=r100", "--reranked", "ce=r20", "--reranked", "big=rb",
                "--timings", "big=tb", "--timings", "ce=t100", "--timings", "ce=t20",
                "--baseline", "bm25=b.run", "--baseline", "hybrid=h.run", "--queries", "qs", "--drill-down", "3",
            ])
        XCTAssertEqual(c.request.names, ["ce", "ce", "big"])
        XCTAssertEqual(c.request.rerankedPaths, ["r100", "r20", "rb"])
        XCTAssertEqual(c.request.timingsPaths, ["t100", "t20", "tb"])
        XCTAssertEqual(c.request.baselines, [NamedRun(name: "bm25", path: "b.run"), NamedRun(name: "hybrid", path: "h.run")])
        XCTAssertEqual(c.request.queriesPath, "qs")
        XCTAssertEqual(c.request.drillDown, 3)
        // The single unnamed form still works, and a path with '=' after a '/' is a path.
        let d = try ReportCommand(arguments: base + ["--reranked", "dir/a=b.run"])
        XCTAssertNil(d.request.names)
        XCTAssertEqual(d.request.rerankedPaths, ["dir/a=b.run"])
        XCTAssertEqual(d.request.drillDown, 5)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "a=r", "--reranked", "r2"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "a=r", "--timings", "b=t"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "a=r", "--reranked", "a=r2", "--timings", "a=t"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "r", "--baseline", "b.run"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "a=r", "--sweep", "10"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "r", "--index", "/nonexistent"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--reranked", "r", "--index", "i", "--corpus", "c"]) }, .usage)
    }
}
