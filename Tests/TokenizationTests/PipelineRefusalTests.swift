import Formats
import Foundation
import TestSupport
import XCTest

@testable import Tokenization

/// A component that is not implemented, or an option that cannot be honoured, is refused at
/// load with an error naming the component and the file, never approximated.
final class PipelineRefusalTests: XCTestCase {
    /// A minimal valid tokenizer.json (WordPiece over a 4-token vocabulary), edited per test.
    private func base() -> [String: Any] {
        [
            "version": "1.0",
            "added_tokens": [] as [Any],
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "WhitespaceSplit"],
            "post_processor": NSNull(),
            "model": [
                "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 100,
                "vocab": ["[UNK]": 0, "a": 1, "##b": 2, "c": 3],
            ] as [String: Any],
        ]
    }

    private func write(_ root: [String: Any]) throws -> String {
        let folder = try temporaryFolder("tokenization-tests").path
        let data = try JSONSerialization.data(withJSONObject: root)
        try data.write(to: URL(fileURLWithPath: folder + "/tokenizer.json"))
        return folder
    }

    private func assertRefused(_ root: [String: Any], mentioning parts: [String], line: UInt = #line) throws {
        let folder = try write(root)
        XCTAssertThrowsError(try Tokenizers.load(modelDirectory: folder), line: line) { error in
            guard let e = error as? IndexerError else { return XCTFail("not an IndexerError: \(error)", line: line) }
            XCTAssertEqual(e.kind, .model, line: line)
            let text = "\(e)"
            for part in parts + [folder + "/tokenizer.json"] {
                XCTAssertTrue(text.contains(part), "\(text.debugDescription) should name \(part)", line: line)
            }
        }
    }

    func testTheBaseDefinitionLoads() throws {
        let t = try Tokenizers.load(modelDirectory: try write(base()))
        XCTAssertEqual(t.wordPieces("ab c x"), [1, 2, 3, 0])
        XCTAssertEqual(t.vocabularySize, 4)
    }

    func testUnknownNormalizerIsRefused() throws {
        var root = base()
        root["normalizer"] = ["type": "Sequence", "normalizers": [["type": "NFC"], ["type": "ByteLevel"]]]
        try assertRefused(root, mentioning: ["normalizer.normalizers[1]", "ByteLevel", "not implemented"])
    }

    func testBPEWithDropoutIsRefused() throws {
        var root = base()
        root["model"] =
            [
                "type": "BPE", "dropout": 0.1, "unk_token": NSNull(), "vocab": ["a": 0, "b": 1, "ab": 2],
                "merges": [["a", "b"]],
            ] as [String: Any]
        try assertRefused(root, mentioning: ["model BPE", "dropout"])
    }

    func testUnsupportedRegexIsRefused() throws {
        var root = base()
        root["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "\\d{3}"], "behavior": "Isolated", "invert": false]
        try assertRefused(root, mentioning: ["pre_tokenizer Split", "\\\\d{3}"])
        root = base()
        root["normalizer"] = ["type": "Replace", "pattern": ["Regex": "[ab]+"], "content": "x"]
        try assertRefused(root, mentioning: ["normalizer Replace", "[ab]+"])
    }

    func testUnknownModelAndPostProcessorAreRefused() throws {
        var root = base()
        root["model"] = ["type": "WordLevel", "vocab": ["a": 0], "unk_token": "a"] as [String: Any]
        try assertRefused(root, mentioning: ["model WordLevel", "not implemented"])
        root = base()
        root["post_processor"] = ["type": "Wrapped"]
        try assertRefused(root, mentioning: ["post_processor Wrapped", "not implemented"])
    }
}
