import Formats
import XCTest

@testable import Inference

/// `indexer embed` takes a corpus line's text by the build's rule, so both embed the same string.
final class TextLineTests: XCTestCase {
    func testEmbedStripsWhitespaceAsTheBuildDoes() throws {
        // U+001C...U+001F and U+0085 are whitespace to Python's str.strip() (BEIR's rule) but not
        // to Foundation's whitespace set; U+200B is whitespace to neither.
        let cases: [(title: String, text: String)] = [
            ("", "\u{1C}abc\u{1F}"), ("T", " body \u{85}"), ("\u{2003}t", "x\u{3000}"), ("", "\u{200B}kept"), ("a", ""),
        ]
        for c in cases {
            let line = try JSONSerialization.data(withJSONObject: ["_id": "d", "title": c.title, "text": c.text])
            let embedded = try TextLine.text(fromJSON: Array(line), path: "c.jsonl", lineNumber: 1)
            XCTAssertEqual(embedded, Document(id: "d", title: c.title, text: c.text, line: 1).combinedText, "\(c)")
        }
        let first = try TextLine.text(fromJSON: Array(#"{"_id": "d", "title": "", "text": "\u001cabc"}"#.utf8), path: "c", lineNumber: 1)
        XCTAssertEqual(first, "abc")
    }
}
