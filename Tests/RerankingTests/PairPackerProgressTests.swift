import Formats
import XCTest

@testable import Reranking

/// The packer tells its caller the pairs of each batch as it is scored, so that rerank's
/// progress counts pairs, not ~1,000-pair chunks.
final class PairPackerProgressTests: XCTestCase {
    /// Scores a pair by its length; records the batch sizes it was given.
    final class LengthScorer: PairScorer {
        var batches: [Int] = []
        let fingerprint = "length"
        func encode(query: String, document: String) -> EncodedPair {
            let n = query.count + document.count
            return EncodedPair(ids: [Int32](repeating: 1, count: n), typeIds: [Int32](repeating: 0, count: n))
        }
        func score(_ batch: [EncodedPair]) throws -> [Float] {
            batches.append(batch.count)
            return batch.map { Float($0.tokenCount) }
        }
    }

    func testEveryBatchIsReportedWithItsPairs() throws {
        let scorer = LengthScorer()
        let pairs = (0..<23).map { (query: "q", document: String(repeating: "d", count: $0 + 1)) }
        let packer = try PairPacker(batchSize: 5, threads: 1)
        var reported: [Int] = []
        let scores = try packer.score(packer.encode(pairs, with: scorer), with: scorer) { reported.append($0) }
        XCTAssertEqual(reported, [5, 5, 5, 5, 3])
        XCTAssertEqual(reported, scorer.batches)
        XCTAssertEqual(scores, (0..<23).map { Float($0 + 2) }, "scores come back in input order")
    }
}
