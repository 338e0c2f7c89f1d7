import Foundation
import TestSupport
import XCTest

@testable import Inference

/// bf16 and int8 vectors and scores are bitwise the same alone or in any batch, for 1 or 2
/// threads, and stay close to fp32.
final class QuantisedDeterminismTests: XCTestCase {
    func testQuantisedEmbeddingsDoNotDependOnBatchOrThreads() throws {
        try TestPaths.requireMiniLM()
        let golden = try BiEncoderGoldenTests.golden()
        let picked = stride(from: 3, to: golden.texts.count, by: 40).map { golden.texts[$0] }
        let others = Array(golden.texts.prefix(6))
        let d = 384
        let fp32 = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 2).embed(picked)
        for p in [Precision.bf16, .int8] {
            let one = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 1, precision: p)
            let two = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 2, precision: p)
            let alone = try picked.map { try one.embed([$0], batchSize: 1) }
            let batch = try two.embed(others + picked.reversed(), batchSize: 5)
            for (i, v) in alone.enumerated() {
                let row = picked.count - 1 - i + others.count
                XCTAssertEqual(Array(batch[(row * d)..<((row + 1) * d)]).map(\.bitPattern), v.map(\.bitPattern), "\(p) text \(i)")
                let cos = zip(v, fp32[(i * d)..<((i + 1) * d)]).map { $0 * $1 }.reduce(0, +)
                XCTAssertGreaterThan(cos, p == .bf16 ? 0.9999 : 0.998, "\(p) text \(i) vs fp32")
            }
        }
    }

    func testQuantisedCrossEncoderScoresDoNotDependOnBatchOrThreads() throws {
        let pairs = try CrossEncoderGoldenTests.pairs().map { (query: $0.query, document: $0.document) }
        for p in [Precision.bf16, .int8] {
            let one = try CrossEncoder(modelDirectory: TestPaths.golden + "/cross-f32", threads: 1, precision: p)
            let two = try CrossEncoder(modelDirectory: TestPaths.golden + "/cross-f32", threads: 2, precision: p)
            let alone = try pairs.prefix(10).map { try one.score([$0])[0] }
            let together = try two.score(Array(pairs.prefix(10).reversed()) + pairs.suffix(20), batchSize: 7)
            XCTAssertEqual(Array(together.prefix(10).reversed()).map(\.bitPattern), alone.map(\.bitPattern), "\(p)")
        }
    }
}
