import Formats
import Foundation
import XCTest

final class CorpusReaderTests: XCTestCase {
    func readAll(_ path: String, format: CorpusFormat? = nil) throws -> [Document] {
        let r = try CorpusReader(path: path, format: format)
        var docs: [Document] = []
        while let d = try r.next() { docs.append(d) }
        return docs
    }

    let sample = """
        {"_id": "d1", "title": "Title one", "text": "Body one.", "metadata": {"url": "x"}}

        {"_id": 42, "text": "numeric id, no title"}
        {"_id": "d3", "title": null, "text": "  null title  "}
        {"_id": "d4", "title": "", "text": "empty title"}
        {"_id": "d5", "title": "  Only title ", "text": ""}

        """

    func testJSONLinesWithOptionalTitlesAndNumericIDs() throws {
        let docs = try readAll(TestFiles.write(sample, name: "corpus.jsonl"))
        XCTAssertEqual(docs.map(\.id), ["d1", "42", "d3", "d4", "d5"])
        XCTAssertEqual(docs.map(\.line), [1, 3, 4, 5, 6])
        XCTAssertEqual(docs[0].title, "Title one")
        XCTAssertEqual(docs[1].title, "")
        XCTAssertEqual(docs[2].title, "")
        // BEIR: (title + " " + text).strip()
        XCTAssertEqual(
            docs.map(\.combinedText),
            ["Title one Body one.", "numeric id, no title", "null title", "empty title", "Only title"])
    }

    func testGzippedJSONLinesReadTheSame() throws {
        let plain = try readAll(TestFiles.write(sample, name: "corpus.jsonl"))
        let gz = try readAll(TestFiles.write(TestFiles.gzip(Array(sample.utf8)), name: "corpus.jsonl.gz"))
        XCTAssertEqual(plain, gz)
    }

    func testTSVByExtensionAndByParameter() throws {
        let text = "1\tfirst passage\n\n2\tsecond\twith a tab\n"
        let docs = try readAll(TestFiles.write(text, name: "collection.tsv"))
        XCTAssertEqual(
            docs,
            [
                Document(id: "1", title: "", text: "first passage", line: 1),
                Document(id: "2", title: "", text: "second\twith a tab", line: 3),
            ])
        let gz = try readAll(TestFiles.write(TestFiles.gzip(Array(text.utf8)), name: "collection.tsv.gz"))
        XCTAssertEqual(gz, docs)
        let forced = try readAll(TestFiles.write(text, name: "collection.txt"), format: .tsv)
        XCTAssertEqual(forced, docs)
    }

    func testErrorsNameFileAndLine() throws {
        let cases: [(String, [UInt8], String)] = [
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":\"b\",\"text\":\"x\"\n".utf8), "malformed JSON"),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"text\":\"x\"}\n".utf8), "missing \"_id\""),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":\"b\",\"title\":\"t\"}\n".utf8), "missing \"text\""),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":\"b\",\"text\":5}\n".utf8), "must be a string"),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":\"b\",\"text\":null}\n".utf8), "must be a string"),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":\"b\",\"title\":[1],\"text\":\"x\"}\n".utf8), "\"title\""),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":true,\"text\":\"x\"}\n".utf8), "\"_id\""),
            ("c.jsonl", Array("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\":\"b\",\"text\":\"".utf8) + [0xFF, 0x22, 0x7D, 0x0A], "UTF-8"),
            ("c.tsv", Array("1\tok\nno tab here\n".utf8), "no tab"),
            ("c.tsv", Array("1\tok\n2\t".utf8) + [0xC3, 0x28] + [0x0A], "UTF-8"),
        ]
        for (name, bytes, needle) in cases {
            let path = TestFiles.write(bytes, name: name)
            let e = indexerError { _ = try self.readAll(path) }
            XCTAssertEqual(e?.kind, .badInput, needle)
            XCTAssertEqual(e?.path, path, needle)
            XCTAssertEqual(e?.line, 2, needle)
            XCTAssertTrue(e?.message.contains(needle) ?? false, "\(needle) not in \(e?.message ?? "nil")")
        }
    }

    func testDuplicateIDsArePassedThrough() throws {
        let docs = try readAll(TestFiles.write("{\"_id\":\"a\",\"text\":\"1\"}\n{\"_id\":\"a\",\"text\":\"2\"}\n", name: "c.jsonl"))
        XCTAssertEqual(docs.map(\.text), ["1", "2"])
    }

    func testMissingFileIsABadInput() {
        let e = indexerError { _ = try CorpusReader(path: "/nonexistent/corpus.jsonl") }
        XCTAssertEqual(e?.kind, .badInput)
    }

    /// Reads all of SciFact; prints the rate (not asserted: tests must not depend on timing).
    func testSciFactThroughput() throws {
        guard let path = TestFiles.sharedData("scifact/corpus.jsonl") else { throw XCTSkip("no SciFact") }
        let start = Date()
        let r = try CorpusReader(path: path)
        var n = 0, chars = 0
        while let d = try r.next() { n += 1; chars += d.text.utf8.count }
        let secs = Date().timeIntervalSince(start)
        XCTAssertEqual(n, 5183)
        XCTAssertGreaterThan(chars, 0)
        print("CorpusReader SciFact: \(n) lines in \(String(format: "%.3f", secs)) s = \(Int(Double(n) / secs)) lines/s")
    }
}

final class CombinedTextTests: XCTestCase {
    /// Python: ("\x1f T " + " " + "x\u00a0\u3000").strip() == "T  x" (str.isspace set).
    func testStripUsesPythonsWhitespace() {
        let d = Document(id: "a", title: "\u{1F} T ", text: "x\u{A0}\u{3000}", line: 1)
        XCTAssertEqual(d.combinedText, "T  x")
        XCTAssertEqual(
            Document(id: "a", title: "", text: "\u{200B}zero-width is not space", line: 1).combinedText,
            "\u{200B}zero-width is not space")
        XCTAssertEqual(Document(id: "a", title: " ", text: " ", line: 1).combinedText, "")
    }
}
