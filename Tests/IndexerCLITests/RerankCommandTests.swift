import Formats
import Reranking
import XCTest

@testable import indexer

final class RerankCommandTests: XCTestCase {
    let base = ["--candidates", "c.run", "--queries", "q.jsonl", "--docs", "corpus.jsonl", "--depth", "20", "--out", "o.run"]

    func kind(_ body: () throws -> Void) -> IndexerError.Kind? {
        do { try body() } catch let e as IndexerError { return e.kind } catch { return nil }
        return nil
    }

    func testDefaultsAndOptions() throws {
        let d = try RerankCommand(arguments: base).options
        XCTAssertEqual(d.depth, 20)
        XCTAssertEqual(d.tail, .keep)
        XCTAssertEqual(d.batchSize, 32)
        XCTAssertNil(d.maxLength, "the model's declared length")
        XCTAssertNil(d.model)
        XCTAssertNil(d.timingsPath)
        XCTAssertEqual(d.tag, "rerank")
        let o = try RerankCommand(
            arguments: base + [
                "--tail", "drop", "--batch-size", "8", "--max-length", "256", "--model", "hf:o/n@v1",
                "--timings", "t.jsonl", "--tag", "ce", "--threads", "2", "--quiet",
            ]
        ).options
        XCTAssertEqual(o.tail, .drop)
        XCTAssertEqual(o.batchSize, 8)
        XCTAssertEqual(o.maxLength, 256)
        XCTAssertEqual(o.model, "hf:o/n@v1")
        XCTAssertEqual(o.timingsPath, "t.jsonl")
        XCTAssertEqual(o.tag, "ce")
        XCTAssertEqual(o.threads, 2)
        XCTAssertFalse(o.progress)
    }

    func testUsageErrors() {
        for drop in ["--candidates", "--queries", "--docs", "--depth", "--out"] {
            var words = base
            let i = words.firstIndex(of: drop)!
            words.removeSubrange(i...(i + 1))
            XCTAssertEqual(kind { _ = try RerankCommand(arguments: words) }, .usage, "without \(drop)")
        }
        XCTAssertEqual(kind { _ = try RerankCommand(arguments: base + ["--tail", "cut"]) }, .usage)
        XCTAssertEqual(kind { _ = try RerankCommand(arguments: base + ["--batch-size", "0"]) }, .usage)
        XCTAssertEqual(kind { _ = try RerankCommand(arguments: base + ["--tag", "a b"]) }, .usage)
        XCTAssertEqual(kind { _ = try RerankCommand(arguments: base + ["extra"]) }, .usage)
        var zero = base
        zero[zero.firstIndex(of: "20")!] = "0"
        XCTAssertEqual(kind { _ = try RerankCommand(arguments: zero) }, .usage)
    }
}
