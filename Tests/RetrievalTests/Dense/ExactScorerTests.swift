import CDenseKernels
import XCTest

@testable import Retrieval

final class ExactScorerTests: XCTestCase {
    func randomMatrix(_ rows: Int, _ dim: Int, _ rng: inout DenseTestRandom) -> [Float] {
        (0..<(rows * dim)).map { _ in rng.float() }
    }

    /// Every kernel score equals the scalar FMA chain, for odd shapes, whatever the batch.
    func testKernelEqualsScalarChainForAnyShape() {
        var rng = DenseTestRandom(seed: 42)
        for dim in [1, 7, 24, 384] {
            for nq in [1, 5, 6, 7, 13] {
                for rows in [1, 15, 16, 17, 100] {
                    let q = randomMatrix(nq, dim, &rng), v = randomMatrix(rows, dim, &rng)
                    let scorer = ExactScorer(queries: q, count: nq, dimension: dim)
                    v.withUnsafeBufferPointer { scorer.score(vectors: $0, rows: rows) }
                    for i in 0..<nq {
                        scorer.withScores(query: i, rows: rows) { s in
                            for r in 0..<rows {
                                let ref = ExactScorer.referenceScore(q[(i * dim)..<((i + 1) * dim)], v[(r * dim)..<((r + 1) * dim)])
                                XCTAssertEqual(s[r].bitPattern, ref.bitPattern, "dim \(dim) nq \(nq) rows \(rows) q \(i) r \(r) (\(ExactScorer.kernelName))")
                                // And it is a dot product: close to the double-precision value.
                                var d = 0.0
                                for k in 0..<dim { d += Double(q[i * dim + k]) * Double(v[r * dim + k]) }
                                XCTAssertEqual(Double(s[r]), d, accuracy: 1e-5 * Double(dim))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The portable kernel gives the same bits as the vector kernel on this machine.
    func testScalarKernelMatchesVectorKernel() {
        var rng = DenseTestRandom(seed: 9)
        let dim = 384, nq = 12, rows = 37
        let q = randomMatrix(nq, dim, &rng), v = randomMatrix(rows, dim, &rng)
        var packed = [Float](repeating: 0, count: dk_packed_count(rows, dim))
        dk_pack_f32(v, rows, dim, &packed)
        let ldc = 48
        var a = [Float](repeating: 0, count: nq * ldc), b = a
        dk_scores(q, nq, dim, packed, rows, &a, ldc)
        dk_scores_scalar(q, nq, dim, packed, rows, &b, ldc)
        for i in 0..<nq { for r in 0..<rows { XCTAssertEqual(a[i * ldc + r].bitPattern, b[i * ldc + r].bitPattern) } }
    }

    /// int8 codes are packed as exact floats.
    func testInt8CodesScoreAsTheirValues() {
        var rng = DenseTestRandom(seed: 3)
        let dim = 20, rows = 18
        let codes = (0..<(rows * dim)).map { _ in Int8(truncatingIfNeeded: Int(rng.next() % 255) - 127) }
        let q = randomMatrix(1, dim, &rng)
        let scorer = ExactScorer(queries: q, count: 1, dimension: dim)
        codes.withUnsafeBufferPointer { scorer.score(codes: $0, rows: rows) }
        scorer.withScores(query: 0, rows: rows) { s in
            for r in 0..<rows {
                let ref = ExactScorer.referenceScore(q[...], codes[(r * dim)..<((r + 1) * dim)].map { Float($0) }[...])
                XCTAssertEqual(s[r].bitPattern, ref.bitPattern)
            }
        }
    }

    /// The bounded top-N keeps the best under score-then-id order, ties included.
    func testTopNKeepsBestWithTies() {
        let ids = ["b", "a", "c", "é", "Z", "aa"]
        var rng = DenseTestRandom(seed: 5)
        for n in 0...7 {
            var top = TopN(capacity: n)
            let scores: [Float] = (0..<ids.count).map { _ in Float(rng.next() % 3) }
            for (i, s) in scores.enumerated() { top.offer(s, Int32(i), ids: ids) }
            let expected = scores.indices.sorted {
                scores[$0] != scores[$1] ? scores[$0] > scores[$1] : Array(ids[$0].utf8).lexicographicallyPrecedes(Array(ids[$1].utf8))
            }.prefix(n)
            XCTAssertEqual(top.sorted(ids: ids).map { Int($0.doc) }, Array(expected), "n \(n) scores \(scores)")
        }
    }
}
