import Formats
import Foundation
import XCTest

@testable import Retrieval

final class RunFusionTests: XCTestCase {
    func run(_ lines: [(String, String, Double)]) -> TrecRun {
        var r = TrecRun()
        for (i, l) in lines.enumerated() { r.append(RunEntry(qid: l.0, docid: l.1, rank: i + 1, score: l.2, tag: "t")) }
        return r
    }

    /// RRF by hand: ranks come from scores (not the rank column), missing documents add 0,
    /// ties in the fused score go to the smaller id.
    func testReciprocalRankFusion() {
        let lexical = run([("q", "a", 9), ("q", "b", 7), ("q", "c", 7)])  // ranks a1 b2 c3
        let dense = run([("q", "c", 0.2), ("q", "d", 0.9), ("q2", "z", 1)])  // ranks d1 c2
        let fused = RunFusion.fuse([lexical, dense], method: .rrf(k: 60), topN: 10)
        XCTAssertEqual(fused.map(\.qid), ["q", "q2"])
        let q = fused[0].results
        let expected: [(String, Double)] = [("c", 1.0 / 63 + 1.0 / 62), ("a", 1.0 / 61), ("d", 1.0 / 61), ("b", 1.0 / 62)]
        XCTAssertEqual(q.map(\.id), expected.map(\.0))
        for (got, want) in zip(q, expected) { XCTAssertEqual(got.score, want.1, accuracy: 1e-15) }
        XCTAssertEqual(RunFusion.fuse([lexical, dense], method: .rrf(k: 60), topN: 2)[0].results.map(\.id), ["c", "a"])
    }

    /// Min-max: each run normalised per query to [0, 1]; equal scores give 1.
    func testMinMaxSum() {
        let a = run([("q", "x", 10), ("q", "y", 5), ("q", "z", 0)])
        let b = run([("q", "y", 3), ("q", "w", 1), ("r", "k", 4), ("r", "m", 4)])
        let fused = RunFusion.fuse([a, b], method: .minMax, topN: 10)
        XCTAssertEqual(fused[0].results.map(\.id), ["y", "x", "w", "z"])
        XCTAssertEqual(fused[0].results.map(\.score), [1.5, 1, 0, 0])
        XCTAssertEqual(fused[1].results.map(\.id), ["k", "m"])
        XCTAssertEqual(fused[1].results.map(\.score), [1, 1])
    }
}
