import Foundation
import TestSupport
import XCTest

@testable import Formats

/// `--log-json FILE` through the built binary: whole JSON lines, a start and an end event in
/// the run log's schema, the exit code of a failure, warnings, and outputs left unchanged.
final class JSONLogCommandTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "jsonlog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// `indexer ARGS` with the hash test embedder (fast vectors without meaning).
    func run(_ args: [String]) throws -> IndexerProcess.Result {
        try IndexerProcess.run(args, env: ["INDEXER_TEST_EMBEDDER": "hash-64"])
    }

    /// A corpus of `n` documents, the third one empty (a warning at build time).
    func corpus(_ n: Int) throws -> String {
        let lines = (0..<n).map { i in
            i == 2 ? #"{"_id": "d2", "text": ""}"# : #"{"_id": "d\#(i)", "title": "t\#(i)", "text": "words of document \#(i)"}"#
        }
        let path = dir + "/corpus.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every line of the log, each parsed as a JSON object (a half line fails the test).
    func events(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "the log ends in a whole line")
        return try text.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    func testBuildLogsStartWarningsAndEndAndWritesTheSameIndex() throws {
        let c = try corpus(40)
        let log = dir + "/log.jsonl"
        let logged = try run(["build", "--corpus", c, "--out", dir + "/a", "--shards", "2", "--log-json", log])
        XCTAssertEqual(logged.status, 0, logged.stderr)
        let plain = try run(["build", "--corpus", c, "--out", dir + "/b", "--shards", "2"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        for f in try FileManager.default.contentsOfDirectory(atPath: dir + "/b") where !f.hasPrefix(".") {
            XCTAssertEqual(FileManager.default.contents(atPath: dir + "/a/" + f), FileManager.default.contents(atPath: dir + "/b/" + f), f)
        }
        let e = try events(log)
        XCTAssertEqual(e.first?["event"] as? String, "start")
        XCTAssertEqual(e.first?["command"] as? String, "build")
        XCTAssertEqual(e.first?["indexer_version"] as? String, IndexerVersion.current)
        XCTAssertEqual(e.first?["arguments"] as? [String], ["--corpus", c, "--out", dir + "/a", "--shards", "2"])
        XCTAssertEqual(e.last?["event"] as? String, "end")
        XCTAssertEqual(e.last?["exit"] as? Int, 0)
        XCTAssertNil(e.last?["error"])
        XCTAssertNotNil(e.last?["seconds"] as? Double)
        let warnings = e.filter { $0["event"] as? String == "warning" }.compactMap { $0["message"] as? String }
        XCTAssertTrue(warnings.contains { $0.contains("document 'd2' is empty") }, "\(warnings)")
        // The build's closing progress event: every document, of the documents to build.
        let progress = try XCTUnwrap(e.last { $0["event"] as? String == "progress" })
        XCTAssertEqual(progress["finished"] as? Bool, true)
        XCTAssertEqual(progress["done"] as? Int, 40)
        XCTAssertEqual(progress["total"] as? Int, 40)
        XCTAssertEqual(progress["unit"] as? String, "docs")
        XCTAssertEqual(Set(e.compactMap { $0["v"] as? Int }), [1])
        XCTAssertEqual(Set(e.compactMap { $0["run"] as? String }).count, 1, "one run id for the whole command")
        XCTAssertEqual(e.filter { $0["time"] is String }.count, e.count)
    }

    func testFailingCommandsEndEventCarriesItsExitAndTheLogIsAppended() throws {
        let log = dir + "/log.jsonl"
        let missing = dir + "/no-such-corpus.jsonl"
        let r = try run(["build", "--corpus", missing, "--out", dir + "/a", "--shards", "1", "--log-json=" + log])
        XCTAssertEqual(r.status, 2, r.stderr)
        let bad = try run(["search", "--index", dir + "/a", "--queries", missing, "--out", dir + "/run.txt", "--log-json", log])
        XCTAssertNotEqual(bad.status, 0, bad.stderr)
        let e = try events(log)
        XCTAssertEqual(e.map { $0["event"] as? String }, ["start", "end", "start", "end"])
        XCTAssertEqual(e[1]["exit"] as? Int, 2)
        XCTAssertTrue((e[1]["error"] as? String)?.contains(missing) == true, "\(e[1])")
        XCTAssertEqual(e[3]["exit"] as? Int, Int(bad.status))
        XCTAssertEqual(e[2]["command"] as? String, "search")
        XCTAssertNotEqual(e[0]["run"] as? String, e[2]["run"] as? String)
    }

    func testLogJSONNeedsAFileAndOnlyLongCommandsTakeIt() throws {
        let r = try run(["build", "--corpus", dir + "/c.jsonl", "--out", dir + "/a", "--log-json"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--log-json needs a FILE"), r.stderr)
        // inspect is not a long command: the option is its own parser's to refuse.
        let i = try run(["inspect", dir, "--log-json", dir + "/log.jsonl"])
        XCTAssertEqual(i.status, 2, i.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/log.jsonl"))
    }

    func testPartialLastLineIsDroppedBeforeTheNextEvent() throws {
        let log = dir + "/log.jsonl"
        try #"{"event":"start","v":1}"#.appending("\n{\"event\":\"en").write(toFile: log, atomically: true, encoding: .utf8)
        let r = try run(["build", "--corpus", dir + "/none.jsonl", "--out", dir + "/a", "--shards", "1", "--log-json", log])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("its last line was cut short"), r.stderr)
        XCTAssertEqual(try events(log).map { $0["event"] as? String }, ["start", "start", "end"])
    }
}
