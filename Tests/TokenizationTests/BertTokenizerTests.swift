import Foundation
import Tokenization
import XCTest

/// Checks ``BertTokenizer`` against HF `tokenizers` (golden file written by
/// scripts/reference/make_tokenizer_golden.py) and its documented API behaviour.
final class BertTokenizerTests: XCTestCase {
    /// Every golden record must match exactly: encode at 256 and 512, word pieces where
    /// recorded, and pair encodings with only_second truncation (or the longest_first fallback).
    func testGoldenEncodingsMatchHuggingFaceTokenizers() throws {
        let tokenizer = try TestSupport.tokenizer()
        let records = try TestSupport.jsonLines(try TestSupport.goldenPath("tokenizer_golden.jsonl.gz"))
        var singles = 0, pairs = 0, checks = 0, failures = 0, fallbacks = 0
        var firstFailure: String?
        var failedChecks: [String] = []

        func check(
            _ source: String, _ what: String, _ text: String, _ expected: [Int32]?, _ actual: [Int32],
            expectedTypes: [Int32]? = nil, actualTypes: [Int32]? = nil
        ) {
            checks += 1
            guard let expected else {
                failures += 1
                if firstFailure == nil { firstFailure = "\(source) \(what): golden record lacks ids" }
                return
            }
            if expected != actual || (expectedTypes != nil && expectedTypes != actualTypes) {
                failures += 1
                if failedChecks.count < 20 { failedChecks.append("\(source) \(what)") }
                if firstFailure == nil {
                    let prefix = zip(expected, actual).prefix { $0 == $1 }.count
                    firstFailure = """
                        \(source) \(what): first difference at index \(prefix)
                          text: \(text.debugDescription)
                          expected: \(expected)
                          actual:   \(actual)
                          expected types: \(expectedTypes.map { "\($0)" } ?? "-")
                          actual types:   \(actualTypes.map { "\($0)" } ?? "-")
                        """
                }
            }
        }

        for record in records {
            let source = record["source"] as? String ?? "?"
            switch record["kind"] as? String {
            case "single":
                singles += 1
                guard let text = record["text"] as? String else { XCTFail("\(source): no text"); continue }
                for n in [256, 512] {
                    let encoded = tokenizer.encode(text, maxLength: n)
                    check(
                        source, "encode(maxLength: \(n))", text, TestSupport.ids(record["ids\(n)"]), encoded.ids,
                        expectedTypes: [Int32](repeating: 0, count: encoded.ids.count), actualTypes: encoded.typeIds)
                }
                if record["pieces"] != nil {
                    check(source, "wordPieces", text, TestSupport.ids(record["pieces"]), tokenizer.wordPieces(text))
                }
            case "pair":
                pairs += 1
                guard let first = record["first"] as? String, let second = record["second"] as? String,
                    let encodings = record["encodings"] as? [[String: Any]]
                else {
                    XCTFail("\(source): malformed pair record")
                    continue
                }
                for e in encodings {
                    let n = (e["max"] as? NSNumber)?.intValue ?? 0
                    if e["fallback"] as? Bool == true { fallbacks += 1 }
                    let encoded = tokenizer.encodePair(first, second, maxLength: n)
                    check(
                        source, "encodePair(maxLength: \(n))", first + " || " + second, TestSupport.ids(e["ids"]),
                        encoded.ids, expectedTypes: TestSupport.ids(e["types"]), actualTypes: encoded.typeIds)
                }
            default:
                XCTFail("\(source): unknown record kind")
            }
        }
        print(
            "tokenizer golden: \(singles) texts, \(pairs) pairs, \(checks) encodings checked "
                + "(\(fallbacks) longest_first fallbacks), \(failures) mismatches")
        XCTAssertGreaterThanOrEqual(singles, 2000)
        XCTAssertGreaterThan(pairs, 600)
        XCTAssertGreaterThan(fallbacks, 0, "the golden file should exercise the only_second fallback")
        XCTAssertEqual(failures, 0, "failed: \(failedChecks.joined(separator: ", "))\nfirst: \(firstFailure ?? "")")
    }

    /// Special ids are those of their lines in vocab.txt (0-based), read independently.
    func testSpecialIdsMatchVocabularyLines() throws {
        let tokenizer = try TestSupport.tokenizer()
        let vocab = try String(contentsOfFile: TestSupport.modelDirectory + "/vocab.txt", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        func line(_ token: String) -> Int32? { vocab.firstIndex(of: Substring(token)).map(Int32.init) }
        XCTAssertEqual(tokenizer.clsId, line("[CLS]"))
        XCTAssertEqual(tokenizer.sepId, line("[SEP]"))
        XCTAssertEqual(tokenizer.padId, line("[PAD]"))
        XCTAssertEqual(tokenizer.unkId, line("[UNK]"))
        XCTAssertEqual(tokenizer.vocabularySize, vocab.filter { !$0.isEmpty }.count)
    }

    /// Encodings are [CLS] pieces [SEP], never longer than maxLength (when maxLength >= 2).
    func testEncodeShapeAndTruncation() throws {
        let tokenizer = try TestSupport.tokenizer()
        let text = String(repeating: "tokenization is fun. ", count: 100)
        let pieces = tokenizer.wordPieces(text)
        XCTAssertGreaterThan(pieces.count, 300)
        for n in [2, 3, 10, 128, 256, 512, 10_000] {
            let e = tokenizer.encode(text, maxLength: n)
            let kept = min(pieces.count, n - 2)
            XCTAssertEqual(e.ids, [tokenizer.clsId] + pieces.prefix(kept) + [tokenizer.sepId], "maxLength \(n)")
            XCTAssertEqual(e.typeIds, [Int32](repeating: 0, count: kept + 2))
        }
        // Below the special tokens' own length, the special tokens are still there.
        XCTAssertEqual(tokenizer.encode(text, maxLength: 0).ids, [tokenizer.clsId, tokenizer.sepId])
        XCTAssertEqual(tokenizer.encode("", maxLength: 512).ids, [tokenizer.clsId, tokenizer.sepId])
    }

    /// Pair encodings keep the whole first text and cut the second, with segment ids 0 then 1.
    func testPairShapeOnlySecond() throws {
        let tokenizer = try TestSupport.tokenizer()
        let query = "what is tokenization"
        let doc = String(repeating: "a document about word pieces. ", count: 50)
        let q = tokenizer.wordPieces(query), d = tokenizer.wordPieces(doc)
        for n in [16, 64, 512] {
            let e = tokenizer.encodePair(query, doc, maxLength: n)
            let kept = min(d.count, n - 3 - q.count)
            XCTAssertEqual(e.ids, [tokenizer.clsId] + q + [tokenizer.sepId] + d.prefix(kept) + [tokenizer.sepId])
            XCTAssertEqual(e.typeIds, [Int32](repeating: 0, count: q.count + 2) + [Int32](repeating: 1, count: kept + 1))
            XCTAssertLessThanOrEqual(e.ids.count, n)
        }
        // A first text that leaves no room: both are cut and the total still fits.
        let longQuery = String(repeating: "query words ", count: 40)
        for n in [8, 16, 64] {
            let e = tokenizer.encodePair(longQuery, doc, maxLength: n)
            XCTAssertEqual(e.ids.count, n)
            XCTAssertEqual(e.ids.filter { $0 == tokenizer.sepId }.count, 2)
            XCTAssertEqual(e.typeIds.count, n)
        }
    }

    /// The tokenizer is immutable: concurrent use gives the same ids as serial use.
    func testConcurrentUseIsDeterministic() throws {
        let tokenizer = try TestSupport.tokenizer()
        let texts = (0..<64).map { "Document \($0): Ångström résumé 北京 \($0 * 7919) [SEP] end." }
        let serial = texts.map { tokenizer.encode($0, maxLength: 32) }
        let results = UnsafeMutableBufferPointer<TokenizedText>.allocate(capacity: texts.count)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: texts.count) { i in
            (results.baseAddress! + i).initialize(to: tokenizer.encode(texts[i], maxLength: 32))
        }
        XCTAssertEqual(Array(results), serial)
    }
}
