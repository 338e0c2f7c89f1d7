import Foundation
import XCTest

@testable import Formats
@testable import Inference

/// all-MiniLM-L6-v2 against sentence-transformers (scripts/reference/make-biencoder-golden.py).
final class BiEncoderGoldenTests: XCTestCase {
    struct Golden {
        var texts: [String]
        var ids: [[Int32]]
        var vectors: [Float]
        var dimension: Int
    }

    static func golden() throws -> Golden {
        let rows = try TestPaths.jsonLines(TestPaths.golden + "/biencoder-texts.jsonl")
        let (shape, values) = try NPY.read(path: TestPaths.golden + "/biencoder-embeddings.npy")
        XCTAssertEqual(shape, [rows.count, 384])
        return Golden(
            texts: rows.map { $0["text"] as! String },
            ids: rows.map { ($0["ids"] as! [NSNumber]).map { Int32(truncating: $0) } },
            vectors: values, dimension: shape[1])
    }

    /// Compares every row; cosine ≥ 0.99999 for each text.
    func check(_ got: [Float], _ golden: Golden, label: String) {
        let d = golden.dimension
        XCTAssertEqual(got.count, golden.vectors.count)
        var minCos = 1.0, maxAbs: Float = 0, worst = -1
        for i in 0..<golden.texts.count {
            let a = got[(i * d)..<((i + 1) * d)], b = golden.vectors[(i * d)..<((i + 1) * d)]
            let c = cosine(a, b)
            if c < minCos { minCos = c; worst = i }
            for (x, y) in zip(a, b) { maxAbs = max(maxAbs, abs(x - y)) }
            XCTAssertGreaterThanOrEqual(c, 0.99999, "\(label): text \(i) \(golden.texts[i].prefix(60).debugDescription)")
        }
        print("\(label): \(golden.texts.count) texts, min cosine \(String(format: "%.9f", minCos)) (text \(worst)), max abs diff \(maxAbs)")
    }

    func testEncoderMatchesSentenceTransformersOnReferenceTokenIds() throws {
        try TestPaths.requireMiniLM()
        let golden = try Self.golden()
        XCTAssertGreaterThanOrEqual(golden.texts.count, 200)
        XCTAssertTrue(golden.ids.contains { $0.count == 256 }, "golden set must exercise truncation")
        let encoder = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 2)
        XCTAssertEqual(encoder.dimension, 384)
        XCTAssertEqual(encoder.maxLength, 256)
        check(try encoder.embed(tokenIds: golden.ids), golden, label: "ids")
    }

    func testTextsMatchSentenceTransformersEndToEnd() throws {
        try TestPaths.requireMiniLM()
        let golden = try Self.golden()
        let encoder = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 2)
        // The tokenizer first, so that a mismatch is blamed on the right module.
        var tokenizerMismatches = 0
        for (text, ids) in zip(golden.texts, golden.ids) where encoder.tokenizer.encode(text, maxLength: 256).ids != ids {
            tokenizerMismatches += 1
        }
        XCTAssertEqual(tokenizerMismatches, 0, "tokenizer disagrees with the HF tokenizer on some golden texts")
        // Every 4th text through the full path (the ids test covers the encoder on all).
        let picked = Array(stride(from: 0, to: golden.texts.count, by: 4))
        var subset = golden
        subset.texts = picked.map { golden.texts[$0] }
        subset.ids = picked.map { golden.ids[$0] }
        subset.vectors = picked.flatMap { golden.vectors[($0 * 384)..<(($0 + 1) * 384)] }
        check(try encoder.embed(subset.texts), subset, label: "texts")
    }
}
