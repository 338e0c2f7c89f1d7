import Foundation
import TestSupport
import XCTest

/// `indexer build / verify / inspect` run as subprocesses: crashes, concurrent workers, exits.
final class BuildCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("buildcmd")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    typealias Result = IndexerProcess.Result

    /// Starts `indexer ARGS` with the hash test embedder (vectors without meaning, fast).
    func start(_ args: [String], env extra: [String: String]) throws -> IndexerProcess {
        try IndexerProcess(args, env: ["INDEXER_TEST_EMBEDDER": "hash-64"].merging(extra) { $1 })
    }

    func finish(_ p: IndexerProcess) -> Result { p.finish() }

    @discardableResult
    func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        finish(try start(args, env: env))
    }

    func corpus(_ n: Int) throws -> String {
        let src = IndexerProcess.packageRoot + "/../shared/data/scifact/corpus.jsonl"
        guard let all = FileManager.default.contents(atPath: src) else { throw XCTSkip("no SciFact at \(src)") }
        let lines = all.split(separator: 0x0A, omittingEmptySubsequences: true).prefix(n)
        let path = dir + "/corpus.jsonl"
        try Data(lines.joined(separator: [0x0A]) + [0x0A]).write(to: URL(fileURLWithPath: path))
        return path
    }

    func files(_ d: String) throws -> [String: Data] {
        var m: [String: Data] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: d) { m[f] = FileManager.default.contents(atPath: d + "/" + f) }
        return m
    }

    func buildArgs(_ corpus: String, _ out: String, _ extra: [String] = []) -> [String] {
        ["build", "--corpus", corpus, "--out", out, "--shards", "2", "--vectors", "int8", "--quiet"] + extra
    }

    func testSIGKILLMidwayThenRerunGivesIdenticalShards() throws {
        let c = try corpus(300)
        let clean = dir + "/clean", crashed = dir + "/crashed"
        XCTAssertEqual(try run(buildArgs(c, clean)).status, 0)
        // The test hook sends SIGKILL to the build itself after 150 documents were written:
        // a real SIGKILL at a known point, so the test does not depend on timing.
        let killed = try run(buildArgs(c, crashed), env: ["INDEXER_TEST_KILL_AFTER_DOCS": "150"])
        XCTAssertTrue(killed.signal, "the build was not killed: status \(killed.status) \(killed.stderr)")
        XCTAssertEqual(killed.status, 9)
        let left = try FileManager.default.contentsOfDirectory(atPath: crashed)
        XCTAssertFalse(left.contains { !$0.hasPrefix(".") }, "a killed build left a file that looks finished: \(left)")
        XCTAssertFalse(left.isEmpty)
        // verify refuses the unfinished index.
        XCTAssertEqual(try run(["verify", crashed]).status, 1)
        let rerun = try run(buildArgs(c, crashed))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try files(crashed), try files(clean))
    }

    func testExternalSIGKILLThenRerunGivesIdenticalShards() throws {
        // A real kill from outside, as soon as the build has started writing. Whether it lands
        // early, late or after the build finished, the rerun must give the clean build's bytes.
        let c = try corpus(1500)
        let clean = dir + "/clean", crashed = dir + "/crashed"
        XCTAssertEqual(try run(buildArgs(c, clean)).status, 0)
        let t = try start(buildArgs(c, crashed), env: [:])
        for _ in 0..<2000 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: crashed)) ?? []
            if names.contains(where: { $0.contains(".tmp-") }) || !t.process.isRunning { break }
            usleep(5000)
        }
        kill(t.process.processIdentifier, SIGKILL)
        let killed = finish(t)
        let left = try FileManager.default.contentsOfDirectory(atPath: crashed)
        print("external kill landed mid-build: \(killed.signal); left \(left.count) files")
        if killed.signal {
            XCTAssertFalse(left.contains("manifest.json"), "a killed build wrote a manifest: \(left)")
        }
        let rerun = try run(buildArgs(c, crashed))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try files(crashed), try files(clean))
    }

    func testSIGKILLedWorkerResumesWithOtherShardKept() throws {
        let c = try corpus(200)
        let clean = dir + "/clean", crashed = dir + "/crashed"
        XCTAssertEqual(try run(buildArgs(c, clean)).status, 0)
        XCTAssertEqual(try run(buildArgs(c, crashed, ["--shard-id", "0"])).status, 0)
        let killed = try run(buildArgs(c, crashed, ["--shard-id", "1"]), env: ["INDEXER_TEST_KILL_AFTER_DOCS": "40"])
        XCTAssertTrue(killed.signal)
        let shard0 = FileManager.default.contents(atPath: crashed + "/shard-0000-of-0002.shard")
        let rerun = try run(["build", "--corpus", c, "--out", crashed, "--shards", "2", "--vectors", "int8"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("shard 0 of 2: finished and verified, skipped"), rerun.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: crashed + "/shard-0000-of-0002.shard"), shard0)
        XCTAssertEqual(try files(crashed), try files(clean))
    }

    func testConcurrentWorkersMakeTheSameIndexAsOneProcess() throws {
        let c = try corpus(300)
        let one = dir + "/one", many = dir + "/many"
        XCTAssertEqual(try run(["build", "--corpus", c, "--out", one, "--shards", "3", "--quiet"]).status, 0)
        // Three workers at once, as a Kubernetes Indexed Job would start them.
        let workers = try (0..<3).map { i in
            try start(
                ["build", "--corpus", c, "--out", many, "--shards", "3", "--quiet", "--shard-id", "env"],
                env: ["JOB_COMPLETION_INDEX": "\(i)"])
        }
        for w in workers {
            let r = finish(w)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        // Whichever finished last wrote the manifest; if two saw all shards at once, both wrote
        // the same bytes. A build without a worker id completes it in any case.
        XCTAssertEqual(try run(["build", "--corpus", c, "--out", many, "--shards", "3", "--quiet"]).status, 0)
        XCTAssertEqual(try files(many), try files(one))
        XCTAssertEqual(try files(one).count, 4)
    }

    func testVerifyCatchesAFlippedByteAndInspectReports() throws {
        let c = try corpus(120)
        let out = dir + "/idx"
        XCTAssertEqual(try run(buildArgs(c, out)).status, 0)
        let ok = try run(["verify", out])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let inspect = try run(["inspect", out])
        XCTAssertEqual(inspect.status, 0)
        XCTAssertTrue(inspect.stdout.contains("documents 120  shards 2"), inspect.stdout)
        for section in ["vectors", "ids", "texts"] { XCTAssertTrue(inspect.stdout.contains("\n" + section + " "), inspect.stdout) }
        let path = out + "/shard-0001-of-0002.shard"
        var d = try XCTUnwrap(FileManager.default.contents(atPath: path))
        d[d.count / 2] ^= 0x04
        try d.write(to: URL(fileURLWithPath: path))
        let bad = try run(["verify", out])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("shard-0001-of-0002.shard"), bad.stderr)
    }

    func testExitCodes() throws {
        let c = try corpus(10)
        XCTAssertEqual(try run(["build", "--corpus", c, "--out", dir + "/x"]).status, 2)  // no --shards
        XCTAssertEqual(try run(["build", "--corpus", c, "--out", dir + "/x", "--shards", "2", "--shard-id", "2"]).status, 2)
        XCTAssertEqual(try run(["build", "--corpus", c, "--out", dir + "/x", "--shards", "2", "--vectors", "f8"]).status, 2)
        let bad = dir + "/bad.jsonl"
        try Data("{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"1\", \"text\": \"b\"}\n".utf8).write(to: URL(fileURLWithPath: bad))
        let r = try run(["build", "--corpus", bad, "--out", dir + "/y", "--shards", "1"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.jsonl:2: duplicate document id '1' (first at line 1)"), r.stderr)
        XCTAssertEqual(try run(["verify", dir + "/nonexistent"]).status, 2)
    }
}
