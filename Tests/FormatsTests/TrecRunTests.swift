import Formats
import Foundation
import XCTest

final class TrecRunTests: XCTestCase {
    func testReadKeepsQueryOrderOfFirstAppearance() throws {
        let path = TestFiles.write(
            """
            q2 Q0 d1 1 2.5 tag
            q1 Q0 d9 1 1e-3 tag

            q2\tQ0\td2  2   -1 tag
            """, name: "run.trec")
        let run = try TrecRun.read(path: path)
        XCTAssertEqual(run.queries.map(\.qid), ["q2", "q1"])
        XCTAssertEqual(run.entries(for: "q2")?.map(\.docid), ["d1", "d2"])
        XCTAssertEqual(run.entries(for: "q2")?.map(\.line), [1, 4])
        XCTAssertEqual(run.entries(for: "q1")?.first?.score, 0.001)
        XCTAssertEqual(run.entries(for: "q2")?.last?.score, -1)
        XCTAssertNil(run.entries(for: "q3"))
        XCTAssertEqual(run.entryCount, 3)
    }

    func testErrorsNameTheLine() {
        let cases: [(String, Int, String)] = [
            ("q Q0 d 1 1.0 t\nq Q0 d2 1 1.0\n", 2, "too few"),
            ("q Q0 d 1 1.0 t x\n", 1, "too many"),
            ("q Q0 d one 1.0 t\n", 1, "rank"),
            ("q Q0 d 1 high t\n", 1, "not a number"),
            ("q Q0 d 1 nan t\n", 1, "finite"),
            ("q Q0 d 1 inf t\n", 1, "finite"),
            ("q Q0 d 1 1 t\nq Q0 e 2 1 t\nq Q0 d 3 0.5 t\n", 3, "line 1"),
        ]
        for (text, line, needle) in cases {
            let path = TestFiles.write(text, name: "run.txt")
            let e = indexerError { _ = try TrecRun.read(path: path) }
            XCTAssertEqual(e?.kind, .badInput, text)
            XCTAssertEqual(e?.line, line, text)
            XCTAssertTrue(e?.message.contains(needle) ?? false, "\(needle) not in \(e?.message ?? "nil")")
        }
    }

    func testInvalidUTF8IsRefused() {
        let path = TestFiles.write(Array("q Q0 d 1 1 t\nq Q0 ".utf8) + [0xFF] + Array(" 2 1 t\n".utf8), name: "r")
        let e = indexerError { _ = try TrecRun.read(path: path) }
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("UTF-8") ?? false)
    }

    func testSameDocumentInTwoQueriesIsFine() throws {
        let run = try TrecRun.read(path: TestFiles.write("a Q0 d 1 1 t\nb Q0 d 1 1 t\n", name: "r"))
        XCTAssertEqual(run.queries.count, 2)
    }

    func testScoreFormattingIsPositionalAndRoundTrips() {
        XCTAssertEqual(TrecScore.format(0.5), "0.5")
        XCTAssertEqual(TrecScore.format(1e-5), "0.00001")
        XCTAssertEqual(TrecScore.format(-1.25e-7), "-0.000000125")
        XCTAssertEqual(TrecScore.format(1e16), "10000000000000000.0")
        XCTAssertEqual(TrecScore.format(3.0), "3.0")
        XCTAssertEqual(TrecScore.format(-0.0), "0.0")
        XCTAssertEqual(TrecScore.format(Float(0.1)), "0.1")
        XCTAssertEqual(TrecScore.format(Float(1e-6)), "0.000001")
        // Round trip: the text reads back as the very same value.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let d = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
            let s = TrecScore.format(d)
            XCTAssertFalse(s.contains("e"), s)
            XCTAssertEqual(Double(s), d, s)
            let f = Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF))
            let fs = TrecScore.format(f)
            XCTAssertFalse(fs.contains("e"), fs)
            XCTAssertEqual(Float(fs), f, fs)
        }
        // Nearby distinct floats stay distinct.
        let a = Float(0.7), b = a.nextUp
        XCTAssertNotEqual(TrecScore.format(a), TrecScore.format(b))
    }

    func testWriterRoundTrip() throws {
        let path = TestFiles.folder() + "/out.run"
        let w = try TrecRunWriter(path: path)
        try w.write(qid: "q1", docid: "d1", rank: 1, score: Float(0.75), tag: "dense")
        try w.write(qid: "q1", docid: "d2", rank: 2, score: 1e-9, tag: "dense")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "visible before commit")
        try w.commit()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, "q1 Q0 d1 1 0.75 dense\nq1 Q0 d2 2 0.000000001 dense\n")
        let run = try TrecRun.read(path: path)
        XCTAssertEqual(run.entries(for: "q1")?.map(\.score), [0.75, 1e-9])
    }

    func testWriterRefusesWhitespaceInIDs() throws {
        let w = try TrecRunWriter(path: TestFiles.folder() + "/bad.run")
        XCTAssertThrowsError(try w.write(qid: "q 1", docid: "d", rank: 1, score: 1.0, tag: "t"))
        XCTAssertThrowsError(try w.write(qid: "q", docid: "", rank: 1, score: 1.0, tag: "t"))
        w.abandon()
    }
}
