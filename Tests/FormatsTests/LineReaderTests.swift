import Formats
import TestSupport
import XCTest

final class LineReaderTests: XCTestCase {
    func temp(_ name: String) throws -> String { try temporaryFolder("lr").path(name) }

    func lines(_ path: String) throws -> [String] {
        let r = try LineReader(path: path)
        var out: [String] = []
        while let l = try r.nextLine() { out.append(try r.string(l)) }
        return out
    }

    func testSplitsOnNewlineStripsCarriageReturnKeepsEmptyLines() throws {
        let p = try temp("a.txt")
        try Data("one\r\ntwo\n\nthree".utf8).write(to: URL(fileURLWithPath: p))
        XCTAssertEqual(try lines(p), ["one", "two", "", "three"])
    }

    func testLinesLongerThanTheReadChunk() throws {
        let p = try temp("long.txt")
        let long = String(repeating: "abcdefghij", count: 100_000)  // 1 MB, several chunks
        try Data((long + "\nshort\n").utf8).write(to: URL(fileURLWithPath: p))
        XCTAssertEqual(try lines(p), [long, "short"])
    }

    func testGzipIsInflated() throws {
        let plain = try temp("z.txt")
        let text = (1...5000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: plain))
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-k", plain]
        try gz.run()
        gz.waitUntilExit()
        let got = try lines(plain + ".gz")
        XCTAssertEqual(got.count, 5000)
        XCTAssertEqual(got.last, "line 5000")
    }

    func testInvalidUTF8NamesFileAndLine() throws {
        let p = try temp("bad.txt")
        try Data([0x6F, 0x6B, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: p))
        let r = try LineReader(path: p)
        _ = try r.string(try XCTUnwrap(r.nextLine()))
        let bad = try XCTUnwrap(r.nextLine())
        XCTAssertThrowsError(try r.string(bad)) { error in
            let e = error as? IndexerError
            XCTAssertEqual(e?.line, 2)
            XCTAssertEqual(e?.path, p)
            XCTAssertEqual(e?.kind, .badInput)
        }
    }

    // The one rule for inputs (docs/FAILURES.md): a path that does not exist is a bad input (exit 2).
    func testMissingFileIsABadInput() {
        XCTAssertThrowsError(try LineReader(path: "/nonexistent/file.jsonl")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .badInput)
            XCTAssertTrue("\(error)".contains("/nonexistent/file.jsonl"))
        }
    }
}
