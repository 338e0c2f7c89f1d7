import Foundation
import TestSupport
import XCTest

@testable import Inference

/// A text's vector must be bitwise the same alone or in any batch, for 1 or 2 threads.
final class DeterminismTests: XCTestCase {
    func testEmbeddingBytesDoNotDependOnBatchOrThreads() throws {
        try TestPaths.requireMiniLM()
        let golden = try BiEncoderGoldenTests.golden()
        // 14 texts of many lengths: short queries, hostile strings, truncated documents.
        let picked = stride(from: 3, to: golden.texts.count, by: 15).map { golden.texts[$0] }
        XCTAssertTrue(picked.contains { one256(golden, $0) }, "a truncated text must be among them")
        let d = 384
        let one = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 1)
        let two = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 2)
        var alone: [[Float]] = []
        for t in picked { alone.append(try one.embed([t], batchSize: 1)) }
        var rng = SplitMix(seed: 7)
        for (encoder, label) in [(one, "1 thread"), (two, "2 threads")] {
            for batchSize in [1, 7, 32] {
                // Mixed batches: the picked texts shuffled among other texts.
                var batch = picked.map { ($0, true) } + golden.texts.prefix(12).map { ($0, false) }
                batch.shuffle(using: &rng)
                let vectors = try encoder.embed(batch.map(\.0), batchSize: batchSize)
                var k = 0
                for (i, (text, isPicked)) in batch.enumerated() where isPicked {
                    let j = picked.firstIndex(of: text)!
                    let row = Array(vectors[(i * d)..<((i + 1) * d)])
                    XCTAssertEqual(
                        row.map(\.bitPattern), alone[j].map(\.bitPattern),
                        "\(label), batch size \(batchSize): text \(j) differs from its lone embedding")
                    k += 1
                }
                XCTAssertEqual(k, picked.count)
            }
        }
    }

    private func one256(_ golden: BiEncoderGoldenTests.Golden, _ text: String) -> Bool {
        golden.ids[golden.texts.firstIndex(of: text)!].count == 256
    }

    func testCrossEncoderScoresDoNotDependOnBatchOrThreads() throws {
        let pairs = try CrossEncoderGoldenTests.pairs().map { (query: $0.query, document: $0.document) }
        let one = try CrossEncoder(modelDirectory: TestPaths.golden + "/cross-f32", threads: 1)
        let two = try CrossEncoder(modelDirectory: TestPaths.golden + "/cross-f32", threads: 2)
        let alone = try pairs.prefix(20).map { try one.score([$0])[0] }
        let together = try two.score(Array(pairs.prefix(20).reversed()) + pairs.suffix(30), batchSize: 7)
        XCTAssertEqual(Array(together.prefix(20).reversed()).map(\.bitPattern), alone.map(\.bitPattern))
    }
}
