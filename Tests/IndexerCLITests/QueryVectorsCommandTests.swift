import Foundation
import TestSupport
import XCTest

/// `indexer search --write-query-vectors` once, then partial searches `--query-vectors`:
/// the merged run equals a whole search; vectors of another model or query file are refused.
final class QueryVectorsCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("qvec")
        let corpus = (0..<60).map { "doc\($0)\tsome text \($0 % 11) more \($0 % 5)" }.joined(separator: "\n") + "\n"
        try corpus.write(toFile: dir + "/c.tsv", atomically: true, encoding: .utf8)
        try "q1\tsome text 3\nq2\tmore 4\nq3\ttext 8\n".write(toFile: dir + "/q.tsv", atomically: true, encoding: .utf8)
        try "q1\tsome text 3\n".write(toFile: dir + "/q1.tsv", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { folder.remove() }

    func indexer(_ args: [String], dim: Int = 32) throws -> IndexerProcess.Result {
        try IndexerProcess.run(args, env: ["INDEXER_TEST_EMBEDDER": "hash-\(dim)"])
    }

    func search(_ extra: [String], queries: String = "q.tsv") throws -> IndexerProcess.Result {
        try indexer(["search", "--index", dir + "/idx", "--queries", dir + "/" + queries, "--quiet"] + extra)
    }

    func testVectorsOnceGiveTheWholeRunAndAreRefusedWhenForeign() throws {
        XCTAssertEqual(try indexer(["build", "--corpus", dir + "/c.tsv", "--out", dir + "/idx", "--shards", "3", "--quiet"]).status, 0)
        XCTAssertEqual(try search(["--write-query-vectors", dir + "/q.qvec"]).status, 0)
        for i in 0..<3 {
            let r = try search(["--query-vectors", dir + "/q.qvec", "--shard-id", "\(i)", "--top-n", "7", "--out", dir + "/p\(i).run"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let m = try indexer(["merge", "--top-n", "7", "--out", dir + "/m.run"] + (0..<3).map { dir + "/p\($0).run" })
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertEqual(try search(["--top-n", "7", "--out", dir + "/w.run"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.run")), try Data(contentsOf: URL(fileURLWithPath: dir + "/w.run")))

        let otherQueries = try search(["--query-vectors", dir + "/q.qvec", "--top-n", "7", "--out", dir + "/x.run"], queries: "q1.tsv")
        XCTAssertEqual(otherQueries.status, 2, otherQueries.stderr)
        XCTAssertTrue(otherQueries.stderr.contains("another query file"), otherQueries.stderr)

        // Vectors of another model (hash-16) against an index of hash-32.
        XCTAssertEqual(try indexer(["build", "--corpus", dir + "/c.tsv", "--out", dir + "/idx16", "--shards", "1", "--quiet"], dim: 16).status, 0)
        XCTAssertEqual(
            try indexer(["search", "--index", dir + "/idx16", "--queries", dir + "/q.tsv", "--write-query-vectors", dir + "/q16.qvec", "--quiet"], dim: 16)
                .status, 0)
        let otherModel = try search(["--query-vectors", dir + "/q16.qvec", "--top-n", "7", "--out", dir + "/x.run"])
        XCTAssertEqual(otherModel.status, 1, otherModel.stderr)
        XCTAssertTrue(otherModel.stderr.contains("come from model 'hash-embedder-v1-d16'"), otherModel.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.run"))

        let misuse = try search(["--write-query-vectors", dir + "/y.qvec", "--top-n", "3"])
        XCTAssertEqual(misuse.status, 2, misuse.stderr)
    }
}
