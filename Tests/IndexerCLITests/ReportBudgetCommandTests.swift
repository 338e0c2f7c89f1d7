import Evaluation
import Formats
import XCTest

@testable import indexer

final class ReportBudgetCommandTests: XCTestCase {
    func kind(_ body: () throws -> Void) -> IndexerError.Kind? {
        do { try body() } catch let e as IndexerError { return e.kind } catch { return nil }
        return nil
    }

    func testBudgetAndKeepGainOptions() throws {
        let base = ["--qrels", "q", "--first-stage", "f", "--reranked", "r"]
        let c = try ReportCommand(arguments: base + ["--latency-budget-ms", "250", "--keep-gain", "0.8"])
        XCTAssertEqual(c.request.thresholds.latencyBudgetMs, 250)
        XCTAssertEqual(c.request.thresholds.keepGain, 0.8)
        let d = try ReportCommand(arguments: base)
        XCTAssertNil(d.request.thresholds.latencyBudgetMs)
        XCTAssertEqual(d.request.thresholds.keepGain, 0.9)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--latency-budget-ms", "0"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--latency-budget-ms", "x"]) }, .usage)
        XCTAssertEqual(kind { _ = try ReportCommand(arguments: base + ["--keep-gain", "1.5"]) }, .usage)
    }
}
