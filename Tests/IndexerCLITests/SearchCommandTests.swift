import Foundation
import TestSupport
import XCTest

/// `indexer search / merge / fuse` run as subprocesses: workers from the environment, the
/// reduce, warnings and exit codes.
final class SearchCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("searchcmd")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    /// Runs `indexer ARGS` with the hash test embedder.
    func indexer(_ args: [String], env extra: [String: String] = [:]) throws -> IndexerProcess.Result {
        try IndexerProcess.run(args, env: ["INDEXER_TEST_EMBEDDER": "hash-32"].merging(extra) { $1 })
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)) }

    func testWorkersFromEnvironmentMergeToTheWholeRun() throws {
        let corpus = try write((0..<60).map { "doc\($0)\tsome text \($0 % 17)" }.joined(separator: "\n") + "\n", "c.tsv")
        let queries = try write("q1\tsome text 3\nq2\t \nq3\tother\n", "q.tsv")
        XCTAssertEqual(try indexer(["build", "--corpus", corpus, "--out", dir + "/idx", "--shards", "3", "--quiet"]).status, 0)
        let whole = try indexer(["search", "--index", dir + "/idx", "--queries", queries, "--top-n", "5", "--out", dir + "/whole.run"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.stderr.contains("q.tsv:2: query 'q2' has no text"), whole.stderr)
        XCTAssertTrue(whole.stderr.contains("1 empty queries skipped"), whole.stderr)
        for (i, name) in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"].enumerated() {
            let r = try indexer(
                [
                    "search", "--index", dir + "/idx", "--queries", queries, "--top-n", "5", "--out", dir + "/p\(i).run", "--quiet",
                    "--shard-id", "env",
                ], env: [name: "\(i)"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertNotEqual(try bytes("p0.run"), try bytes("whole.run"))
        // Without --shard-id the scheduler's variables are ignored: the whole index is searched.
        let ignored = try indexer(
            ["search", "--index", dir + "/idx", "--queries", queries, "--top-n", "5", "--out", dir + "/all.run", "--quiet"],
            env: ["SLURM_ARRAY_TASK_ID": "1", "JOB_COMPLETION_INDEX": "2"])
        XCTAssertEqual(ignored.status, 0, ignored.stderr)
        XCTAssertEqual(try bytes("all.run"), try bytes("whole.run"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/all.run.partial.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/p0.run.partial.json"))
        let m = try indexer(["merge", "--top-n", "5", "--out", dir + "/merged.run", dir + "/p2.run", dir + "/p0.run", dir + "/p1.run"])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertEqual(try bytes("merged.run"), try bytes("whole.run"))
        let f = try indexer(["fuse", "--method", "rrf", "--top-n", "4", "--out", dir + "/fused.run", dir + "/whole.run", dir + "/p0.run"])
        XCTAssertEqual(f.status, 0, f.stderr)
        XCTAssertEqual(String(decoding: try bytes("fused.run"), as: UTF8.self).split(separator: "\n").count, 8)
    }

    func testUsageAndInputErrorsExit2() throws {
        let corpus = try write("a\tx\nb\ty\n", "c.tsv")
        XCTAssertEqual(try indexer(["build", "--corpus", corpus, "--out", dir + "/idx", "--shards", "1", "--quiet"]).status, 0)
        let noN = try indexer(["search", "--index", dir + "/idx", "--queries", corpus, "--out", dir + "/r"])
        XCTAssertEqual(noN.status, 2)
        XCTAssertTrue(noN.stderr.contains("missing --top-n"), noN.stderr)
        let bad = try write("q1\tok\nbroken line\n", "bad.tsv")
        let r = try indexer(["search", "--index", dir + "/idx", "--queries", bad, "--top-n", "3", "--out", dir + "/r"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.tsv:2:"), r.stderr)
        let shard = try indexer(
            [
                "search", "--index", dir + "/idx", "--queries", corpus, "--top-n", "3", "--out", dir + "/r",
                "--shard-id", "env",
            ], env: ["SLURM_ARRAY_TASK_ID": "4"])
        XCTAssertEqual(shard.status, 2, shard.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r"))
        let model = try indexer(
            ["search", "--index", dir + "/idx", "--queries", corpus, "--top-n", "3", "--out", dir + "/r"],
            env: ["INDEXER_TEST_EMBEDDER": "hash-8"])
        XCTAssertEqual(model.status, 1)
        XCTAssertTrue(model.stderr.contains("hash-embedder-v1-d32"), model.stderr)
        XCTAssertEqual(try indexer(["fuse", "--method", "borda", "--top-n", "3", "--out", dir + "/f", corpus]).status, 2)
    }
}
