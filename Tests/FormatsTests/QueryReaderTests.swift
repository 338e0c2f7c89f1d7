import Formats
import Foundation
import XCTest

final class QueryReaderTests: XCTestCase {
    func testBEIRQueriesIgnoreOtherKeysAndKeepEmptyText() throws {
        let path = TestFiles.write(
            """
            {"_id": "q1", "text": "what is x", "metadata": {}}
            {"_id": 7, "text": ""}

            {"text": "id after text", "_id": "q3"}
            """, name: "queries.jsonl")
        let qs = try QueryReader.read(path: path)
        XCTAssertEqual(
            qs,
            [
                Query(id: "q1", text: "what is x", line: 1), Query(id: "7", text: "", line: 2),
                Query(id: "q3", text: "id after text", line: 4),
            ])
    }

    func testTSVQueries() throws {
        let qs = try QueryReader.read(path: TestFiles.write("1\tone\n2\ttwo\n", name: "queries.tsv"))
        XCTAssertEqual(qs.map(\.id), ["1", "2"])
        XCTAssertEqual(qs.map(\.text), ["one", "two"])
    }

    func testDuplicateIDNamesBothLines() {
        let path = TestFiles.write("{\"_id\":\"a\",\"text\":\"1\"}\n{\"_id\":\"b\",\"text\":\"2\"}\n{\"_id\":\"a\",\"text\":\"3\"}\n", name: "q.jsonl")
        let e = indexerError { _ = try QueryReader.read(path: path) }
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("line 1") ?? false, e?.message ?? "")
    }

    func testErrors() {
        for (name, text, line) in [
            ("q.jsonl", "{\"_id\":\"a\",\"text\":\"1\"}\n{\"_id\":\"b\"}\n", 2),
            ("q.jsonl", "{\"_id\":\"a\",\"text\":1}\n", 1),
            ("q.jsonl", "not json\n", 1),
            ("q.tsv", "1\tx\n2 no tab\n", 2),
        ] {
            let path = TestFiles.write(text, name: name)
            let e = indexerError { _ = try QueryReader.read(path: path) }
            XCTAssertEqual(e?.kind, .badInput, text)
            XCTAssertEqual(e?.line, line, text)
            XCTAssertEqual(e?.path, path)
        }
    }

    func testSciFactQueries() throws {
        guard let path = TestFiles.sharedData("scifact/queries.jsonl") else { throw XCTSkip("no SciFact") }
        let qs = try QueryReader.read(path: path)
        XCTAssertEqual(qs.count, 1109)
    }
}
