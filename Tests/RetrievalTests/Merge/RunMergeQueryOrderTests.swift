import Formats
import Foundation
import TestSupport
import XCTest

@testable import Retrieval

/// BM25 partial runs may lack a query that has no hit in their shard: the merge still finds the
/// query file's order when the partials fix it, asks for the query file when they do not, and
/// refuses contradictory partials.
final class RunMergeQueryOrderTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("merge-order")
    }

    override func tearDownWithError() throws { folder.remove() }

    /// A partial run listing `queries` in order, one document each.
    func partial(_ name: String, _ queries: [String], doc: String) throws -> String {
        let path = dir + "/" + name
        try Data(queries.map { "\($0) Q0 \(doc)-\($0) 1 1.5 t\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func qids(_ path: String) throws -> [String] {
        var out: [String] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let q = String(line.split(separator: " ")[0])
            if out.last != q { out.append(q) }
        }
        return out
    }

    func testOrderFromPartialsThatLackQueries() throws {
        let a = try partial("a", ["q1", "q3", "q4"], doc: "a")
        let b = try partial("b", ["q1", "q2", "q3"], doc: "b")
        try RunMerge.run(paths: [a, b], topN: 5, out: dir + "/m", quiet: true)
        XCTAssertEqual(try qids(dir + "/m"), ["q1", "q2", "q3", "q4"])
    }

    func testAmbiguousOrderNeedsTheQueryFile() throws {
        let a = try partial("a", ["q1", "q2"], doc: "a")
        let b = try partial("b", ["q1", "q3"], doc: "b")
        XCTAssertThrowsError(try RunMerge.run(paths: [a, b], topN: 5, out: dir + "/m", quiet: true)) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .usage)
            XCTAssertTrue("\(e)".contains("give --queries"), "\(e)")
        }
        // A query file that contradicts a partial (q3 before q1) is refused.
        XCTAssertThrowsError(try RunMerge.run(paths: [a, b], topN: 5, out: dir + "/m", quiet: true, queryOrder: ["q3", "q1", "q2"]))
        try RunMerge.run(paths: [a, b], topN: 5, out: dir + "/m", quiet: true, queryOrder: ["q0", "q1", "q3", "q2"])
        XCTAssertEqual(try qids(dir + "/m"), ["q1", "q3", "q2"])
    }

    func testContradictoryPartialsAreRefused() throws {
        let a = try partial("a", ["q1", "q2"], doc: "a")
        let b = try partial("b", ["q2", "q1"], doc: "b")
        XCTAssertThrowsError(try RunMerge.run(paths: [a, b], topN: 5, out: dir + "/m", quiet: true)) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .badInput)
        }
        XCTAssertThrowsError(try RunMerge.run(paths: [a], topN: 5, out: dir + "/m", quiet: true, queryOrder: ["q1"])) { e in
            XCTAssertTrue("\(e)".contains("not in the query file"), "\(e)")
        }
    }
}
