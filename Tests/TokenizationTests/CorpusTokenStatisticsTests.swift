import Formats
import Foundation
import TestSupport
import Tokenization
import XCTest

/// The counts behind `indexer tokenize` add up per document.
final class CorpusTokenStatisticsTests: XCTestCase {
    func testCountsAddUpPerDocument() throws {
        let tokenizer = try TestSupport.tokenizer()
        let folder = try temporaryFolder("tokenization-tests").path
        let docs = [
            ("Short", "one two three"), ("", String(repeating: "many words here ", count: 40)),
            ("Título", "Ångström [SEP] 北京"),
        ]
        var lines = ""
        for (i, d) in docs.enumerated() {
            let object: [String: Any] = ["_id": "d\(i)", "title": d.0, "text": d.1]
            lines += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
        }
        let path = folder + "/corpus.jsonl"
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))

        let stats = try CorpusTokenStatistics.measure(corpusPath: path, tokenizer: tokenizer, maxLength: 32)
        let counts = docs.map { tokenizer.wordPieces(($0.0 + " " + $0.1)).count }
        XCTAssertEqual(stats.documents, 3)
        XCTAssertEqual(stats.pieces, counts.reduce(0, +))
        XCTAssertEqual(stats.longest, counts.max())
        XCTAssertEqual(stats.truncated, counts.filter { $0 > 30 }.count)
        XCTAssertEqual(stats.encodedIds, counts.map { min($0, 30) + 2 }.reduce(0, +))
        XCTAssertTrue(stats.report.contains("documents            3"))
    }

    func testMissingCorpusIsAnError() throws {
        let tokenizer = try TestSupport.tokenizer()
        XCTAssertThrowsError(
            try CorpusTokenStatistics.measure(
                corpusPath: "/nonexistent/corpus.jsonl",
                tokenizer: tokenizer, maxLength: 32)
        ) { error in
            XCTAssertEqual((error as? IndexerError)?.path, "/nonexistent/corpus.jsonl")
        }
    }
}
