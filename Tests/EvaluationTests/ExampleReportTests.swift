import Evaluation
import Formats
import Foundation
import XCTest

/// The committed example (docs/examples/scifact) must be what the code writes from its inputs.
final class ExampleReportTests: XCTestCase {
    func testCommittedSciFactExampleIsUpToDate() throws {
        let root = Golden.packageRoot.path
        guard FileManager.default.fileExists(atPath: root + "/../shared/data/scifact/qrels/test.tsv") else {
            throw XCTSkip("../shared/data/scifact is absent")
        }
        let saved = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(root))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        let i = "docs/examples/scifact/inputs/"
        let depths = [10, 20, 50, 100]
        var req = ReportOptions(
            qrelsPath: "../shared/data/scifact/qrels/test.tsv",
            firstStagePath: "Tests/EvaluationTests/Golden/scifact-dense.run.gz",
            rerankedPaths: depths.map { i + "reranked-\($0).run.gz" },
            timingsPaths: depths.map { i + "timings-\($0).jsonl" }, outDir: "docs/examples/scifact")
        req.sweep = depths
        var note = try String(contentsOfFile: "docs/examples/scifact/note.txt", encoding: .utf8)
        while note.hasSuffix("\n") { note.removeLast() }
        req.note = note
        let report = try DecisionReport.make(req)
        XCTAssertEqual(report.markdown(), try String(contentsOfFile: "docs/examples/scifact/report.md", encoding: .utf8))
        XCTAssertEqual(report.json().rendered() + "\n", try String(contentsOfFile: "docs/examples/scifact/report.json", encoding: .utf8))
        XCTAssertEqual(report.sweepCSV(), try String(contentsOfFile: "docs/examples/scifact/sweep.csv", encoding: .utf8))
    }
}
