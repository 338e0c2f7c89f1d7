import Formats
import TestSupport
import XCTest

@testable import Jobs

/// A hybrid job keeps the two lists it fused, and its report weighs the reranked run against
/// each first stage: is reranking better than simply fusing (issue #16)?
extension JobRunnerTests {
    func testHybridJobWritesItsListsAndReportsEachAsABaseline() throws {
        let out = root + "/out/t"
        let hybrid = ["index.lexical=true", "search.retriever=hybrid", "rerank.depth=5"]
        let o = try runJob(hybrid)
        XCTAssertEqual(status(o)["report"], "ran")
        let lists = try ["bm25", "dense"].map { try bytes(out + "/candidates.\($0).run") }

        // Each list is the run of a search with that retriever alone, to the byte.
        for (i, retriever) in ["bm25", "dense"].enumerated() {
            _ = try runJob(["index.lexical=true", "search.retriever=\(retriever)", "rerank=false"])
            XCTAssertEqual(try bytes(out + "/candidates.run"), lists[i], "\(retriever) list")
        }

        _ = try runJob(hybrid)
        let report = try XCTUnwrap(
            JSONSerialization.jsonObject(with: bytes(out + "/report/report.json")) as? [String: Any])
        let baselines = try XCTUnwrap(report["baselines"] as? [[String: Any]])
        XCTAssertEqual(baselines.compactMap { $0["name"] as? String }, ["hybrid", "bm25", "dense"])
        XCTAssertEqual(baselines.compactMap { $0["run"] as? String }, ["candidates.run", "candidates.bm25.run", "candidates.dense.run"].map { out + "/" + $0 })
        let best = try XCTUnwrap(report["bestBaseline"] as? String)
        XCTAssertTrue(["hybrid", "bm25", "dense"].contains(best))
        let markdown = try String(contentsOfFile: out + "/report/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("| bm25") && markdown.contains("| dense") && markdown.contains("| hybrid"), markdown)
    }

    func testADenseJobHasNoListFilesAndOneBaseline() throws {
        let out = root + "/out/t"
        _ = try runJob(["rerank.depth=5"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/candidates.dense.run"))
        let report = try XCTUnwrap(
            JSONSerialization.jsonObject(with: bytes(out + "/report/report.json")) as? [String: Any])
        XCTAssertEqual((report["baselines"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["dense"])
    }
}
