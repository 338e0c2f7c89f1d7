import Formats
import Foundation
import XCTest

final class QrelsTests: XCTestCase {
    func testTRECFormat() throws {
        let q = try Qrels.read(path: TestFiles.write("# comment\n2 0 d1 1\n1\t0\td2  2\n2 0 d3 0\n2 0 d4 -1\n", name: "qrels.txt"))
        XCTAssertEqual(q.format, .trec)
        XCTAssertEqual(q.queryIDs, ["2", "1"])
        XCTAssertEqual(q["2"], ["d1": 1, "d3": 0, "d4": -1])
        XCTAssertEqual(q["1"], ["d2": 2])
        XCTAssertEqual(q["9"], [:])
        XCTAssertEqual(q.count, 4)
    }

    func testBEIRTSVWithAndWithoutHeader() throws {
        let with = try Qrels.read(path: TestFiles.write("query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t2\n", name: "test.tsv"))
        XCTAssertEqual(with.format, .beirTSV)
        XCTAssertEqual(with["q1"], ["d1": 1, "d2": 2])
        let without = try Qrels.read(path: TestFiles.write("q1\td1\t1\nq1\td2\t2\n", name: "test.tsv"))
        XCTAssertEqual(without.format, .beirTSV)
        XCTAssertEqual(without["q1"], with["q1"])
    }

    func testDuplicateJudgmentIsRefusedNamingBothLines() {
        let path = TestFiles.write("q 0 d 1\nq 0 e 1\nq 0 d 2\n", name: "qrels")
        let e = indexerError { _ = try Qrels.read(path: path) }
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("line 1") ?? false)
    }

    func testErrors() {
        for (text, line) in [
            ("q 0 d 1\nq 0 d2\n", 2), ("q 0 d x\n", 1), ("q 0 d 1.5\n", 1),
            ("query-id\tcorpus-id\tscore\nq\td\t1\nq\td2\n", 3), ("q\td\t1\nq\td2\tx\n", 2),
        ] {
            let path = TestFiles.write(text, name: "qrels")
            let e = indexerError { _ = try Qrels.read(path: path) }
            XCTAssertEqual(e?.kind, .badInput, text)
            XCTAssertEqual(e?.line, line, text)
        }
    }

    func testRealQrels() throws {
        guard let path = TestFiles.sharedData("scifact/qrels/test.tsv") else { throw XCTSkip("no SciFact") }
        let q = try Qrels.read(path: path)
        XCTAssertEqual(q.queryIDs.count, 300)
        XCTAssertEqual(q.count, 339)
    }
}

final class RerankTimingsTests: XCTestCase {
    func testRoundTripAndErrors() throws {
        let path = TestFiles.folder() + "/timings.jsonl"
        let t = [
            RerankTiming(qid: "q\"1", pairs: 100, tokens: 25_600, milliseconds: 812.5),
            RerankTiming(qid: "2", pairs: 0, tokens: 0, milliseconds: 0),
        ]
        try RerankTimings.write(t, to: path)
        let back = try RerankTimings.read(path: path)
        XCTAssertEqual(back.map(\.qid), ["q\"1", "2"])
        XCTAssertEqual(back.map(\.pairs), [100, 0])
        XCTAssertEqual(back.map(\.milliseconds), [812.5, 0])
        XCTAssertEqual(back.map(\.line), [1, 2])
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\"v\": 1, \"qid\": \"q\\\"1\""))
        // Lines without "v" (version 1 written by other tools) are read.
        let old = TestFiles.write("{\"qid\": \"x\", \"pairs\": 2, \"tokens\": 9, \"ms\": 1.5}\n", name: "t.jsonl")
        XCTAssertEqual(try RerankTimings.read(path: old).first?.pairs, 2)
        for (text, line) in [
            ("{\"qid\":\"a\",\"pairs\":1,\"tokens\":1,\"ms\":1}\n{\"qid\":\"a\",\"pairs\":1,\"tokens\":1,\"ms\":1}\n", 2),
            ("{\"qid\":\"a\",\"pairs\":1.5,\"tokens\":1,\"ms\":1}\n", 1),
            ("{\"qid\":\"a\",\"pairs\":1,\"tokens\":1}\n", 1),
            ("{\"qid\":\"a\",\"pairs\":1,\"tokens\":1,\"ms\":-1}\n", 1),
            ("{\"v\":2,\"qid\":\"a\",\"pairs\":1,\"tokens\":1,\"ms\":1}\n", 1),
        ] {
            let p = TestFiles.write(text, name: "t.jsonl")
            let e = indexerError { _ = try RerankTimings.read(path: p) }
            XCTAssertEqual(e?.line, line, text)
        }
    }
}
