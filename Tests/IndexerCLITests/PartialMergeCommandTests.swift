import Foundation
import TestSupport
import XCTest

/// `indexer merge` refuses an incomplete, duplicated or foreign set of partial runs (their
/// `RUN.partial.json` sidecars), unless `--allow-partial`, which marks the output; the build's
/// default thread count follows the affinity mask.
final class PartialMergeCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("partialmerge")
        let corpus = (0..<80).map { "doc\($0)\tsome text \($0 % 13) more \($0 % 7)" }.joined(separator: "\n") + "\n"
        try corpus.write(toFile: dir + "/c.tsv", atomically: true, encoding: .utf8)
        try "q1\tsome text 3\nq2\tmore 5\nq3\ttext 9\n".write(toFile: dir + "/q.tsv", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { folder.remove() }

    func indexer(_ args: [String]) throws -> IndexerProcess.Result {
        try IndexerProcess.run(args, env: ["INDEXER_TEST_EMBEDDER": "hash-32"])
    }

    /// Builds a 4-shard index at `index` and searches each shard into `dir/NAME-I.run`.
    func partials(index: String, name: String, corpus: String? = nil) throws -> [String] {
        let b = try indexer(["build", "--corpus", corpus ?? dir + "/c.tsv", "--out", index, "--shards", "4", "--quiet"])
        XCTAssertEqual(b.status, 0, b.stderr)
        return try (0..<4).map { i in
            let out = dir + "/\(name)-\(i).run"
            let r = try indexer(["search", "--index", index, "--queries", dir + "/q.tsv", "--top-n", "5", "--shard-id", "\(i)", "--out", out, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            return out
        }
    }

    func merge(_ paths: [String], _ extra: [String] = [], out: String = "m.run") throws -> IndexerProcess.Result {
        try indexer(["merge", "--top-n", "5", "--out", dir + "/" + out] + extra + paths)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + name) }

    func testMissingDuplicatedAndForeignPartialsAreRefused() throws {
        let p = try partials(index: dir + "/idx", name: "p")
        let three = try merge([p[0], p[1], p[3]])
        XCTAssertEqual(three.status, 2, three.stderr)
        XCTAssertTrue(three.stderr.contains("shard 2 of 4 is missing"), three.stderr)
        XCTAssertFalse(exists("m.run"), "no merged run under its final name")

        let twice = try merge([p[0], p[1], p[2], p[3], p[1]])
        XCTAssertEqual(twice.status, 2, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("p-1.run") && twice.stderr.contains("is shard 1 of 4, as is"), twice.stderr)

        // Another index (one document fewer): its partial of shard 2 is named as foreign.
        let other = (0..<79).map { "doc\($0)\tsome text \($0 % 13) more \($0 % 7)" }.joined(separator: "\n") + "\n"
        try other.write(toFile: dir + "/c2.tsv", atomically: true, encoding: .utf8)
        let f = try partials(index: dir + "/idx2", name: "f", corpus: dir + "/c2.tsv")
        let foreign = try merge([p[0], p[1], f[2], p[3]])
        XCTAssertEqual(foreign.status, 2, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("f-2.run") && foreign.stderr.contains("another search"), foreign.stderr)

        // A run edited after its search no longer matches its sidecar.
        try FileHandle(forWritingAtPath: p[3])!.truncate(atOffset: 10)
        let edited = try merge(p)
        XCTAssertEqual(edited.status, 2, edited.stderr)
        XCTAssertTrue(edited.stderr.contains("p-3.run") && edited.stderr.contains("differ"), edited.stderr)
    }

    func testAllowPartialMarksTheOutputAndACompleteMergeClearsTheMark() throws {
        let p = try partials(index: dir + "/idx", name: "p")
        let whole = try indexer(["search", "--index", dir + "/idx", "--queries", dir + "/q.tsv", "--top-n", "5", "--out", dir + "/whole.run", "--quiet"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertFalse(exists("whole.run.partial.json"), "a whole search writes no sidecar")
        let noSidecar = try merge([dir + "/whole.run"])
        XCTAssertEqual(noSidecar.status, 2, noSidecar.stderr)
        XCTAssertTrue(noSidecar.stderr.contains("no sidecar"), noSidecar.stderr)

        let some = try merge([p[0], p[1], p[3]], ["--allow-partial"])
        XCTAssertEqual(some.status, 0, some.stderr)
        XCTAssertTrue(some.stderr.contains("INCOMPLETE merge") && some.stderr.contains("shards 2 of 4 missing"), some.stderr)
        let marker = try String(contentsOfFile: dir + "/m.run.incomplete.json", encoding: .utf8)
        XCTAssertTrue(marker.contains("\"missing_shards\" : [\n    2\n  ]"), marker)

        let all = try merge(p)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertFalse(exists("m.run.incomplete.json"), "a complete merge removes the stale mark")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.run")), try Data(contentsOf: URL(fileURLWithPath: dir + "/whole.run")))
    }

    /// Under `taskset -c 0` the default thread count is 1, and the build says so.
    func testBuildThreadsFollowTheAffinityMask() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") else { throw XCTSkip("no taskset") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        p.arguments = ["-c", "0", try IndexerProcess.binary, "build", "--corpus", dir + "/c.tsv", "--out", dir + "/t", "--shards", "1"]
        p.environment = ProcessInfo.processInfo.environment.merging(["INDEXER_TEST_EMBEDDER": "hash-8"]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("build: threads 1 (CPUs this process may use:") && text.contains("affinity 1"), text)
    }
}
