import Foundation
import TestSupport
import XCTest

/// The cluster recipe of deploy/ simulated on this machine: N build workers started at once,
/// each told its shard by the scheduler's variable, N search workers writing partial runs,
/// then the reduce (merge) and the rerank; the runs must equal what `indexer run` makes.
final class ClusterSimulationTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }
    let embedder = ["INDEXER_TEST_EMBEDDER": "hash-16"]
    let shards = 3

    override func setUpWithError() throws {
        folder = try TemporaryFolder("cluster")
        try FileManager.default.createDirectory(atPath: dir + "/jobs", withIntermediateDirectories: true)
        let words = ["wing", "lift", "drag", "flow", "shock", "wave", "boundary", "layer", "heat", "jet", "nozzle", "mach"]
        var corpus = "", queries = "", qrels = "query-id\tcorpus-id\tscore\n"
        for d in 0..<90 {
            let text = (0..<10).map { words[(d * 5 + $0 * ($0 + d)) % words.count] }.joined(separator: " ")
            corpus += #"{"_id": "doc-\#(d)", "title": "", "text": "\#(text)"}"# + "\n"
        }
        for q in 0..<12 {
            queries += #"{"_id": "q\#(q)", "text": "\#(words[q]) \#(words[(q + 5) % words.count])"}"# + "\n"
            qrels += "q\(q)\tdoc-\(q * 7)\t1\n"
        }
        try corpus.write(toFile: dir + "/corpus.jsonl", atomically: true, encoding: .utf8)
        try queries.write(toFile: dir + "/queries.jsonl", atomically: true, encoding: .utf8)
        try qrels.write(toFile: dir + "/qrels.tsv", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    func data(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testWorkersAndReduceGiveTheSameRunsAsIndexerRun() throws {
        let reranker = Fixtures.tinyCrossEncoder
        let job = """
            {"name": "c", "corpus": "../corpus.jsonl", "queries": "../queries.jsonl", "qrels": "../qrels.tsv",
             "index": {"shards": \(shards), "vectors": "int8", "dir": "../job-index"}, "search": {"top_n": 25},
             "rerank": {"model": "\(reranker)", "depth": 6, "max_length": 64}, "output": "../job-out"}
            """
        try job.write(toFile: dir + "/jobs/c.json", atomically: true, encoding: .utf8)
        let r = try IndexerProcess.run(["run", dir + "/jobs/c.json", "--quiet"], env: embedder)
        XCTAssertEqual(r.status, 0, r.stderr)

        // Build: one worker per shard, all at once, shard from JOB_COMPLETION_INDEX (Kubernetes).
        let index = dir + "/cluster-index"
        let builders = try (0..<shards).map { i in
            try IndexerProcess(
                [
                    "build", "--corpus", dir + "/corpus.jsonl", "--out", index, "--shards", "\(shards)",
                    "--vectors", "int8", "--quiet", "--shard-id", "env",
                ],
                env: embedder.merging(["JOB_COMPLETION_INDEX": "\(i)"]) { $1 })
        }
        for (i, b) in builders.enumerated() {
            let res = b.finish()
            XCTAssertEqual(res.status, 0, "build worker \(i): \(res.stderr)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: index + "/manifest.json"), "the last worker writes the manifest")
        for i in 0..<shards {
            let name = String(format: "/shard-%04d-of-%04d.shard", i, shards)
            XCTAssertEqual(try data(index + name), try data(dir + "/job-index" + name), "shard \(i)")
        }

        // Search: one worker per shard (SLURM_ARRAY_TASK_ID), each a partial run.
        let searchers = try (0..<shards).map { i in
            try IndexerProcess(
                [
                    "search", "--index", index, "--queries", dir + "/queries.jsonl", "--qrels", dir + "/qrels.tsv",
                    "--top-n", "25", "--out", dir + "/partial-\(i).run", "--quiet", "--shard-id", "env",
                ],
                env: embedder.merging(["SLURM_ARRAY_TASK_ID": "\(i)"]) { $1 })
        }
        for (i, s) in searchers.enumerated() {
            let res = s.finish()
            XCTAssertEqual(res.status, 0, "search worker \(i): \(res.stderr)")
        }

        // The reduce, then the rerank, as deploy/ does them.
        let merged = try IndexerProcess.run(
            ["merge", "--top-n", "25", "--out", dir + "/candidates.run"]
                + (0..<shards).map { dir + "/partial-\($0).run" })
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try data(dir + "/candidates.run"), try data(dir + "/job-out/candidates.run"))
        let rr = try IndexerProcess.run([
            "rerank", "--candidates", dir + "/candidates.run", "--queries", dir + "/queries.jsonl",
            "--docs", index, "--model", reranker, "--depth", "6", "--max-length", "64",
            "--out", dir + "/reranked.run",
        ])
        XCTAssertEqual(rr.status, 0, rr.stderr)
        XCTAssertEqual(try data(dir + "/reranked.run"), try data(dir + "/job-out/reranked.run"))
    }

    func testGateFailureExitsThreeNamingTheMetric() throws {
        let job = """
            {"name": "g", "corpus": "../corpus.jsonl", "queries": "../queries.jsonl", "qrels": "../qrels.tsv",
             "index": {"dir": "../g-index"}, "search": {"top_n": 10}, "rerank": false, "output": "../g-out",
             "gates": {"ndcg@10": {"min": 0.999}}}
            """
        try job.write(toFile: dir + "/jobs/g.json", atomically: true, encoding: .utf8)
        let r = try IndexerProcess.run(["run", dir + "/jobs/g.json", "--quiet"], env: embedder)
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("gate ndcg@10") && r.stderr.contains("below the minimum 0.9990"), r.stderr)
        let bad = try IndexerProcess.run(["run", dir + "/jobs/g.json", "--set", "search.top_n=0"], env: embedder)
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("search.top_n"), bad.stderr)
    }
}
