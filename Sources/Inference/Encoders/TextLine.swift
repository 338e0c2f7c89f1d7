import Formats
import Foundation

/// The text to embed from one JSON line: a BEIR corpus record `{"_id", "title", "text"}`
/// becomes (title + " " + text) without surrounding whitespace, as BEIR and `indexer build`
/// encode documents (``Formats/Document/combinedText``);
/// any other object with a string `"text"` gives that text unchanged.
///
/// Kept small and private to `indexer embed`; the corpus reader of Formats is the general one.
enum TextLine {
    static func text(fromJSON line: [UInt8], path: String, lineNumber: Int) throws -> String {
        guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
            throw IndexerError.badInput("empty line: every line must be a JSON object (row i of the output is line i)", path: path, line: lineNumber)
        }
        guard String(validating: line, as: UTF8.self) != nil else {
            throw IndexerError.badInput("invalid UTF-8", path: path, line: lineNumber)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line))
        } catch {
            throw IndexerError(.badInput, "not valid JSON", path: path, line: lineNumber, cause: error.localizedDescription)
        }
        guard let dict = object as? [String: Any] else {
            throw IndexerError.badInput("not a JSON object", path: path, line: lineNumber)
        }
        guard let text = dict["text"] as? String else {
            throw IndexerError.badInput(dict["text"] == nil ? "no \"text\" field" : "\"text\" is not a string", path: path, line: lineNumber)
        }
        guard dict["_id"] != nil || dict["title"] != nil else { return text }
        var title = ""
        if let t = dict["title"], !(t is NSNull) {
            guard let s = t as? String else { throw IndexerError.badInput("\"title\" is not a string", path: path, line: lineNumber) }
            title = s
        }
        // The build's own rule (Python's `strip()` set), so `indexer embed` gives a document
        // the vector `indexer build` stores for it.
        return Document(id: "", title: title, text: text, line: lineNumber).combinedText
    }
}
