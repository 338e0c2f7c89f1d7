import Formats
import Foundation
import TestSupport
import Tokenization
import XCTest

/// Loading: errors name the file; the vocab.txt-only path tokenises like tokenizer.json.
final class TokenizerDefinitionTests: XCTestCase {
    private func assertModelError(
        _ body: @autoclosure () throws -> BertTokenizer, path expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let e = error as? IndexerError else {
                XCTFail("expected IndexerError, got \(error)", file: file, line: line)
                return
            }
            XCTAssertEqual(e.kind, .model, "\(e)", file: file, line: line)
            XCTAssertEqual(e.path, expected, "\(e)", file: file, line: line)
            XCTAssertTrue(e.description.contains(expected), file: file, line: line)
        }
    }

    func testMissingFolder() throws {
        let missing = try temporaryFolder("tokenization-tests").path + "/no-such-model"
        assertModelError(try BertTokenizer(modelDirectory: missing), path: missing)
    }

    func testFolderWithoutTokenizerFiles() throws {
        let folder = try temporaryFolder("tokenization-tests").path
        assertModelError(try BertTokenizer(modelDirectory: folder), path: folder)
    }

    func testCorruptTokenizerJSON() throws {
        let folder = try temporaryFolder("tokenization-tests").path
        let path = folder + "/tokenizer.json"
        try Data("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {".utf8).write(to: URL(fileURLWithPath: path))
        assertModelError(try BertTokenizer(modelDirectory: folder), path: path)
    }

    func testTokenizerJSONWithUnsupportedParts() throws {
        guard let data = FileManager.default.contents(atPath: TestSupport.modelDirectory + "/tokenizer.json"),
            let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw XCTSkip("model absent")
        }
        let edits: [(String, ([String: Any]) -> [String: Any])] = [
            (
                "normalizer",
                {
                    var r = $0; r["normalizer"] = ["type": "NFKC"]; return r
                }
            ),
            (
                "pre_tokenizer",
                {
                    var r = $0; r["pre_tokenizer"] = ["type": "Whitespace"]; return r
                }
            ),
            (
                "model",
                {
                    var r = $0; var m = r["model"] as! [String: Any]; m["type"] = "BPE"; r["model"] = m; return r
                }
            ),
            (
                "unk",
                {
                    var r = $0; var m = r["model"] as! [String: Any]; m["unk_token"] = "<unk>"; r["model"] = m; return r
                }
            ),
            (
                "vocab",
                {
                    var r = $0; r["model"] = ["type": "WordPiece"]; return r
                }
            ),
        ]
        for (name, edit) in edits {
            let folder = try temporaryFolder("tokenization-tests").path
            let path = folder + "/tokenizer.json"
            try JSONSerialization.data(withJSONObject: edit(root)).write(to: URL(fileURLWithPath: path))
            assertModelError(try BertTokenizer(modelDirectory: folder), path: path)
            _ = name
        }
    }

    func testCorruptVocabularyOnlyFolder() throws {
        let folder = try temporaryFolder("tokenization-tests").path
        let path = folder + "/vocab.txt"
        try Data("hello\nworld\n".utf8).write(to: URL(fileURLWithPath: path))  // no [UNK], [CLS], ...
        assertModelError(try BertTokenizer(modelDirectory: folder), path: path)
    }

    /// vocab.txt alone (BERT defaults: lowercase, strip accents, CJK) gives the same ids.
    func testVocabularyOnlyMatchesTokenizerJSON() throws {
        let reference = try TestSupport.tokenizer()
        let folder = try temporaryFolder("tokenization-tests").path
        try FileManager.default.copyItem(atPath: TestSupport.modelDirectory + "/vocab.txt", toPath: folder + "/vocab.txt")
        let fromVocab = try BertTokenizer(modelDirectory: folder)
        XCTAssertEqual(fromVocab.vocabularySize, reference.vocabularySize)
        XCTAssertEqual(fromVocab.clsId, reference.clsId)
        XCTAssertEqual(fromVocab.sepId, reference.sepId)
        XCTAssertEqual(fromVocab.padId, reference.padId)
        XCTAssertEqual(fromVocab.unkId, reference.unkId)

        let records = try TestSupport.jsonLines(try TestSupport.goldenPath("tokenizer_golden.jsonl.gz"))
        var compared = 0
        for (i, record) in records.enumerated() where i % 5 == 0 {
            if let text = record["text"] as? String {
                XCTAssertEqual(fromVocab.encode(text, maxLength: 512), reference.encode(text, maxLength: 512), text)
                compared += 1
            } else if let first = record["first"] as? String, let second = record["second"] as? String {
                XCTAssertEqual(
                    fromVocab.encodePair(first, second, maxLength: 64),
                    reference.encodePair(first, second, maxLength: 64))
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 400)
    }

    /// tokenizer_config.json's do_lower_case=false turns lowercasing (and accent stripping) off.
    func testVocabularyOnlyHonoursDoLowerCase() throws {
        let folder = try temporaryFolder("tokenization-tests").path
        guard FileManager.default.fileExists(atPath: TestSupport.modelDirectory + "/vocab.txt") else {
            throw XCTSkip("model absent")
        }
        try FileManager.default.copyItem(atPath: TestSupport.modelDirectory + "/vocab.txt", toPath: folder + "/vocab.txt")
        try Data("{\"do_lower_case\": false}".utf8).write(to: URL(fileURLWithPath: folder + "/tokenizer_config.json"))
        let cased = try BertTokenizer(modelDirectory: folder)
        let uncased = try TestSupport.tokenizer()
        XCTAssertEqual(uncased.wordPieces("HELLO"), uncased.wordPieces("hello"))
        XCTAssertNotEqual(cased.wordPieces("HELLO"), cased.wordPieces("hello"))
        XCTAssertEqual(cased.wordPieces("hello"), uncased.wordPieces("hello"))
        XCTAssertNotEqual(cased.wordPieces("café"), uncased.wordPieces("café"))
    }
}
