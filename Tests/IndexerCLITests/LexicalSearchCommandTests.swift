import Foundation
import XCTest

/// `indexer build --lexical` and `indexer search --retriever bm25|hybrid` as subprocesses.
extension SearchCommandTests {
    func testBM25PartialsMergeAndHybridEqualsFuseOfTheTwoLists() throws {
        let words = ["cell", "protein", "gene", "risk", "dose", "trial", "mice", "cancer"]
        let corpus = try write(
            (0..<80).map { i in
                "doc\(i)\t" + (0..<(3 + i % 7)).map { words[($0 * 3 + i) % words.count] }.joined(separator: " ")
            }.joined(separator: "\n") + "\n", "c.tsv")
        let queries = try write("q1\tcell protein\nq2\tcancer risk of mice\nq3\tunknownword\n", "q.tsv")
        XCTAssertEqual(try indexer(["build", "--corpus", corpus, "--out", dir + "/idx", "--shards", "3", "--lexical", "--quiet"]).status, 0)
        let idx = dir + "/idx"
        let whole = try indexer(["search", "--index", idx, "--queries", queries, "--top-n", "10", "--retriever", "bm25", "--out", dir + "/bm25.run"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.stderr.contains("query 'q3' got no result (no document holds a query term)"), whole.stderr)
        XCTAssertTrue(whole.stderr.contains("bm25 queries/s"), whole.stderr)
        XCTAssertTrue(String(decoding: try bytes("bm25.run"), as: UTF8.self).hasPrefix("q1 Q0 "))
        for i in 0..<3 {
            let r = try indexer([
                "search", "--index", idx, "--queries", queries, "--top-n", "10", "--retriever", "bm25",
                "--shard-id", "\(i)", "--out", dir + "/p\(i).run", "--quiet",
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let m = try indexer(["merge", "--top-n", "10", "--out", dir + "/merged.run", dir + "/p0.run", dir + "/p1.run", dir + "/p2.run"])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertEqual(try bytes("merged.run"), try bytes("bm25.run"))
        // Other BM25 parameters change the scores.
        XCTAssertEqual(
            try indexer([
                "search", "--index", idx, "--queries", queries, "--top-n", "10", "--retriever", "bm25",
                "--k1", "1.2", "--b", "0.75", "--out", dir + "/tuned.run", "--quiet",
            ]).status, 0)
        XCTAssertNotEqual(try bytes("tuned.run"), try bytes("bm25.run"))

        // Hybrid = indexer fuse (RRF, k 60) of the BM25 and dense runs cut at the fusion depth.
        for (name, retriever) in [("b", "bm25"), ("d", "dense")] {
            XCTAssertEqual(
                try indexer([
                    "search", "--index", idx, "--queries", queries, "--top-n", "15", "--retriever", retriever,
                    "--out", dir + "/\(name)15.run", "--quiet",
                ]).status, 0)
        }
        let h = try indexer([
            "search", "--index", idx, "--queries", queries, "--top-n", "8", "--retriever", "hybrid",
            "--fusion-depth", "15", "--tag", "t", "--out", dir + "/hybrid.run", "--quiet",
        ])
        XCTAssertEqual(h.status, 0, h.stderr)
        let f = try indexer([
            "fuse", "--method", "rrf", "--top-n", "8", "--tag", "t", "--out", dir + "/fused.run",
            dir + "/b15.run", dir + "/d15.run",
        ])
        XCTAssertEqual(f.status, 0, f.stderr)
        XCTAssertEqual(try bytes("hybrid.run"), try bytes("fused.run"))

        // Hybrid cannot search one shard; BM25 options need a BM25 retriever.
        let one = try indexer([
            "search", "--index", idx, "--queries", queries, "--top-n", "5", "--retriever", "hybrid",
            "--shard-id", "0", "--out", dir + "/x.run",
        ])
        XCTAssertEqual(one.status, 2)
        XCTAssertTrue(one.stderr.contains("indexer fuse"), one.stderr)
        XCTAssertEqual(
            try indexer([
                "search", "--index", idx, "--queries", queries, "--top-n", "5", "--k1", "2",
                "--out", dir + "/x.run",
            ]).status, 2)
    }

    func testBM25OnAnIndexBuiltWithoutLexicalSaysRebuild() throws {
        let corpus = try write("a\tcell\nb\tprotein\n", "c.tsv")
        XCTAssertEqual(try indexer(["build", "--corpus", corpus, "--out", dir + "/idx", "--shards", "1", "--quiet"]).status, 0)
        let r = try indexer(["search", "--index", dir + "/idx", "--queries", corpus, "--top-n", "3", "--retriever", "bm25", "--out", dir + "/r"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("index built without --lexical: rebuild with --lexical"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r"))
    }
}
