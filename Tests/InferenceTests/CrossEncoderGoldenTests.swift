import Foundation
import XCTest

@testable import Inference

/// A random BertForSequenceClassification against transformers
/// (scripts/reference/make-crossencoder-golden.py), with f32 and f16 weights.
final class CrossEncoderGoldenTests: XCTestCase {
    struct Pair {
        var query: String, document: String
        var ids: [Int32], typeIds: [Int32]
        var logits: [String: Float]
    }

    static func pairs() throws -> [Pair] {
        try TestPaths.jsonLines(TestPaths.golden + "/crossencoder-pairs.jsonl").map { r in
            Pair(
                query: r["query"] as! String, document: r["document"] as! String,
                ids: (r["ids"] as! [NSNumber]).map { Int32(truncating: $0) },
                typeIds: (r["type_ids"] as! [NSNumber]).map { Int32(truncating: $0) },
                logits: ["f32": (r["logit_f32"] as! NSNumber).floatValue, "f16": (r["logit_f16"] as! NSNumber).floatValue])
        }
    }

    func checkLogits(_ got: [Float], _ pairs: [Pair], kind: String) {
        XCTAssertEqual(got.count, pairs.count)
        var maxDiff: Float = 0
        for (i, (g, p)) in zip(got, pairs).enumerated() {
            let want = p.logits[kind]!
            maxDiff = max(maxDiff, abs(g - want))
            XCTAssertEqual(g, want, accuracy: 1e-4, "\(kind) pair \(i)")
        }
        print("cross-encoder \(kind): \(pairs.count) pairs, max |logit diff| \(maxDiff)")
    }

    func testLogitsMatchTransformersOnReferenceTokenIds() throws {
        let pairs = try Self.pairs()
        XCTAssertGreaterThanOrEqual(pairs.count, 100)
        XCTAssertGreaterThan(pairs.filter { $0.ids.count == 512 }.count, 5, "golden set must exercise truncation")
        for kind in ["f32", "f16"] {
            let model = try CrossEncoder(modelDirectory: TestPaths.golden + "/cross-" + kind, threads: 2)
            checkLogits(try model.score(tokenIds: pairs.map(\.ids), typeIds: pairs.map(\.typeIds)), pairs, kind: kind)
        }
    }

    func testLogitsMatchTransformersEndToEnd() throws {
        // An empty document is left out: HF's tokenizer treats text_pair="" as no pair at
        // all ([CLS] q [SEP]), a Python truthiness quirk; ours keeps the pair shape
        // ([CLS] q [SEP] [SEP]). The encoder itself is checked on those pairs by
        // testLogitsMatchTransformersOnReferenceTokenIds.
        let pairs = try Self.pairs().filter { !$0.document.isEmpty }
        let model = try CrossEncoder(modelDirectory: TestPaths.golden + "/cross-f32", threads: 2)
        var mismatches = 0
        for p in pairs {
            let t = model.tokenizer.encodePair(p.query, p.document, maxLength: 512)
            if t.ids != p.ids || t.typeIds != p.typeIds { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0, "tokenizer disagrees with the HF tokenizer on some golden pairs")
        let got = try model.score(pairs.map { (query: $0.query, document: $0.document) })
        checkLogits(got, pairs, kind: "f32")
        XCTAssertEqual(model.tokenCount(pairs.map { (query: $0.query, document: $0.document) }), pairs.map(\.ids.count))
    }
}
