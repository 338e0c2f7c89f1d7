import Formats
import Foundation
import TestSupport
import XCTest

@testable import Retrieval

final class RunMergeTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("merge")
    }
    override func tearDownWithError() throws { folder.remove() }

    func write(_ text: String, _ name: String) throws -> String {
        let p = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// The run writer's float rule reads back to the same float, for many random bit patterns.
    func testFloatScoresRoundTripExactly() {
        var rng = DenseTestRandom(seed: 77)
        for _ in 0..<100_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard f.isFinite else { continue }
            let text = TrecScore.format(f)
            XCTAssertEqual(Float(text)?.bitPattern, (f == 0 ? Float(0) : f).bitPattern, "\(f) written as \(text)")
        }
    }

    /// K-way merge: score descending, then id bytes ascending; cut to N.
    func testMergeOrder() throws {
        let a = [ScoredDocument(id: "b", score: 3), ScoredDocument(id: "x", score: 1)]
        let b = [ScoredDocument(id: "a", score: 3), ScoredDocument(id: "é", score: 2), ScoredDocument(id: "Z", score: 1)]
        let m = try TopNMerge.merge([a, b], topN: 4)
        XCTAssertEqual(m.map(\.id), ["a", "b", "é", "Z"])
        XCTAssertEqual(try TopNMerge.merge([a, [], b], topN: 10).map(\.id), ["a", "b", "é", "Z", "x"])
    }

    /// Partials not in the search's layout are refused with file and line.
    func testMalformedPartialsAreRefused() throws {
        let cases: [(String, String)] = [
            ("q1 Q0 a 1 0.5 t\nq1 Q0 b 1 0.4 t\n", "rank 1 where 2"),
            ("q1 Q0 a 1 0.5 t\nq1 Q0 b 2 0.6 t\n", "should rank before"),
            ("q1 Q0 b 1 0.5 t\nq1 Q0 a 2 0.5 t\n", "should rank before"),
            ("q1 Q0 a 1 0.5 t\nq2 Q0 a 1 0.5 t\nq1 Q0 c 2 0.1 t\n", "comes back"),
            ("q1 Q0 a 1 nan t\n", "not a finite number"),
            ("q1 Q0 a 1 0.5\n", "expected 6"),
            ("q1 Q0 a 1 0.5 t\nq1 Q0 c 2 0.1 u\n", "tag"),
        ]
        for (i, (text, message)) in cases.enumerated() {
            let p = try write(text, "p\(i).run")
            XCTAssertThrowsError(try RunMerge.run(paths: [p], topN: 5, out: dir + "/o.run", quiet: true)) { e in
                XCTAssertTrue("\(e)".contains(message) && "\(e)".contains("p\(i).run:"), "\(e)")
            }
        }
        let p1 = try write("q1 Q0 a 1 0.5 t\nq2 Q0 b 1 0.5 t\n", "o1.run")
        let p2 = try write("q2 Q0 c 1 0.5 t\nq1 Q0 d 1 0.5 t\n", "o2.run")
        XCTAssertThrowsError(try RunMerge.run(paths: [p1, p2], topN: 5, out: dir + "/o.run", quiet: true)) { e in
            XCTAssertTrue("\(e)".contains("another order"), "\(e)")
        }
    }
}
