import Foundation
import TestSupport
import XCTest

/// The committed main-job examples (docs/examples/scifact-job, -two-model, -budget) are what
/// `indexer report` writes from their committed inputs, by the commands their READMEs give.
final class ExampleReportsCommandTests: XCTestCase {
    let d = "../shared/data/scifact", e = "docs/examples/scifact-job", e2 = "docs/examples/scifact-two-model"

    var baselines: [String] {
        ["--baseline", "hybrid=\(e)/inputs/hybrid.run.gz", "--baseline", "bm25=\(e)/inputs/bm25.run.gz", "--baseline", "dense=\(e)/inputs/dense.run.gz"]
    }

    /// Runs `indexer report ARGS --out TMP` from the package root; the report's md and json
    /// must equal the committed ones in `folder`.
    func check(_ folder: String, _ args: [String]) throws {
        let root = IndexerProcess.packageRoot
        guard FileManager.default.fileExists(atPath: root + "/" + d + "/qrels/test.tsv") else { throw XCTSkip("\(d) is absent") }
        let saved = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(root))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        let out = NSTemporaryDirectory() + "example-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try IndexerProcess.run(["report", "--qrels", d + "/qrels/test.tsv"] + args + ["--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["report.md", "report.json"] {
            XCTAssertEqual(
                try String(contentsOfFile: out + "/" + name, encoding: .utf8), try String(contentsOfFile: folder + "/" + name, encoding: .utf8),
                "\(folder)/\(name) is stale: regenerate it with the command in \(folder)/README.md")
        }
    }

    func note(_ folder: String) throws -> String {
        try String(contentsOfFile: IndexerProcess.packageRoot + "/" + folder + "/note.txt", encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    func testMainJobExampleIsUpToDate() throws {
        try check(
            e,
            ["--first-stage", "\(e)/inputs/hybrid.run.gz", "--reranked", "\(e)/inputs/reranked-100.run.gz", "--timings", "\(e)/inputs/timings-100.jsonl"]
                + baselines + ["--queries", d + "/queries.jsonl", "--corpus", d + "/corpus.jsonl", "--note", try note(e)])
    }

    func testTwoModelExampleIsUpToDate() throws {
        try check(
            e2,
            [
                "--first-stage", "\(e)/inputs/hybrid.run.gz",
                "--reranked", "default=\(e)/inputs/reranked-100.run.gz", "--timings", "default=\(e)/inputs/timings-100.jsonl",
                "--reranked", "default=\(e2)/inputs/reranked-20.run.gz", "--timings", "default=\(e2)/inputs/timings-20.jsonl",
                "--reranked", "int8=\(e2)/inputs/reranked-int8-100.run.gz", "--timings", "int8=\(e2)/inputs/timings-int8-100.jsonl",
            ] + baselines + ["--queries", d + "/queries.jsonl", "--corpus", d + "/corpus.jsonl", "--note", try note(e2)])
    }

    func testBudgetExampleIsUpToDate() throws {
        try check(
            "docs/examples/scifact-budget",
            ["--first-stage", "\(e)/inputs/hybrid.run.gz", "--reranked", "\(e)/inputs/reranked-100.run.gz", "--timings", "\(e)/inputs/timings-100.jsonl"]
                + baselines + ["--latency-budget-ms", "500"])
    }
}
