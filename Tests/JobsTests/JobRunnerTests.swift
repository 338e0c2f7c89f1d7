import Formats
import TestSupport
import XCTest

@testable import Jobs

enum SHA256Hex {
    static func file(_ path: String) throws -> String { SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: path))) }
}

/// End-to-end job runs on a small synthetic collection: the hash embedder stands in for the
/// bi-encoder (`INDEXER_TEST_EMBEDDER`), and the tiny random cross-encoder that the Inference
/// golden tests use stands in for the reranker, so the whole pipeline runs in seconds.
final class JobRunnerTests: XCTestCase {
    var folder: TemporaryFolder!
    var root: String { folder.path }
    let env = ["INDEXER_TEST_EMBEDDER": "hash-16", "INDEXER_QUIET": "1"]

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    override func setUpWithError() throws {
        folder = try TemporaryFolder("jobrunner")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/jobs", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        let words = ["wing", "lift", "drag", "flow", "shock", "wave", "boundary", "layer", "heat", "jet", "nozzle", "mach"]
        var corpus = "", queries = "", qrels = "query-id\tcorpus-id\tscore\n"
        for d in 0..<60 {
            let text = (0..<12).map { words[(d * 7 + $0 * ($0 + d)) % words.count] }.joined(separator: " ")
            corpus += #"{"_id": "d\#(d)", "title": "doc \#(d)", "text": "\#(text)"}"# + "\n"
        }
        for q in 0..<8 {
            queries += #"{"_id": "q\#(q)", "text": "\#(words[q]) \#(words[(q + 3) % words.count])"}"# + "\n"
            for d in [q, q + 10, q + 20] { qrels += "q\(q)\td\(d)\t\(1 + d % 2)\n" }
        }
        try corpus.write(toFile: root + "/data/corpus.jsonl", atomically: true, encoding: .utf8)
        try queries.write(toFile: root + "/data/queries.jsonl", atomically: true, encoding: .utf8)
        try qrels.write(toFile: root + "/data/qrels.tsv", atomically: true, encoding: .utf8)
        let reranker = Fixtures.tinyCrossEncoder
        let job = """
            {"name": "t", "corpus": "../data/corpus.jsonl", "queries": "../data/queries.jsonl",
             "qrels": "../data/qrels.tsv", "index": {"shards": 2, "vectors": "int8"},
             "search": {"top_n": 20}, "rerank": {"model": "\(reranker)", "depth": 5, "max_length": 64},
             "gates": {"recall@100": {"min": 0.0}}}
            """
        try job.write(toFile: root + "/jobs/t.json", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    func runJob(_ overrides: [String] = [], only: JobStep? = nil, force: Bool = false) throws -> JobOutcome {
        let spec = try JobSpec.load(path: root + "/jobs/t.json", overrides: overrides)
        return try JobRunner(spec: spec, options: JobRunOptions(only: only, force: force, quiet: true, environment: env)).run()
    }

    func status(_ o: JobOutcome) -> [String: String] {
        Dictionary(uniqueKeysWithValues: o.steps.map { ($0.step.rawValue, $0.status) })
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testSecondRunDoesNothingAndDeletedShardIsRebuiltAlone() throws {
        let first = try runJob()
        XCTAssertEqual(status(first), ["build": "ran", "search": "ran", "rerank": "ran", "eval": "ran", "report": "ran"])
        let out = root + "/out/t", index = root + "/shards/t"
        let reranked = try bytes(out + "/reranked.run")
        let shard0 = index + "/shard-0000-of-0002.shard", shard1 = index + "/shard-0001-of-0002.shard"
        let shard1Bytes = try bytes(shard1)
        XCTAssertFalse(reranked.isEmpty)
        XCTAssertNotNil(first.figures["ndcg@10"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/report/report.md"))
        let report = try JSONSerialization.jsonObject(with: try bytes(out + "/report/report.json")) as? [String: Any]
        let comparison = (report?["comparisons"] as? [[String: Any]])?.first
        XCTAssertEqual(comparison?["depth"] as? Int, 5, "the report speaks of the job's rerank depth, not the run's length")

        let second = try runJob()
        XCTAssertEqual(Set(status(second).values), ["skipped"])

        let inode0 = try FileManager.default.attributesOfItem(atPath: shard0)[.systemFileNumber] as? NSNumber
        try FileManager.default.removeItem(atPath: shard1)
        let third = try runJob()
        XCTAssertEqual(status(third)["build"], "ran")
        XCTAssertEqual(try bytes(shard1), shard1Bytes, "the rebuilt shard has the same bytes")
        let inode0After = try FileManager.default.attributesOfItem(atPath: shard0)[.systemFileNumber] as? NSNumber
        XCTAssertEqual(inode0, inode0After, "the intact shard was not rewritten")
        // Same index bytes, so the later steps' inputs did not change: skipped.
        XCTAssertEqual(status(third)["search"], "skipped")
        XCTAssertEqual(try bytes(out + "/reranked.run"), reranked)

        let log = try String(contentsOfFile: out + "/run-log.jsonl", encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").filter { $0.contains(#""status":"ran""#) }.count, 6)
    }

    func testChangedSettingRerunsOnlyWhatDependsOnIt() throws {
        _ = try runJob()
        let o = try runJob(["rerank.depth=3"])
        XCTAssertEqual(status(o), ["build": "skipped", "search": "skipped", "rerank": "ran", "eval": "ran", "report": "ran"])
        let forced = try runJob(["rerank.depth=3"], only: .search, force: true)
        XCTAssertEqual(status(forced), ["search": "ran"])
    }

    func testHybridJobBuildsLexicalShardsAndFusesBothLists() throws {
        let o = try runJob(["index.lexical=true", "search.retriever=hybrid", "rerank=false"])
        XCTAssertEqual(status(o)["search"], "ran")
        let run = try TrecRun.read(path: root + "/out/t/candidates.run")
        XCTAssertEqual(run.queries.count, 8)
        XCTAssertTrue(run.queries.allSatisfy { $0.entries.count == 20 })
        let hybridBytes = try bytes(root + "/out/t/candidates.run")
        let bm25 = try runJob(["index.lexical=true", "search.retriever=bm25", "rerank=false"])
        XCTAssertEqual(status(bm25)["build"], "skipped")
        XCTAssertEqual(status(bm25)["search"], "ran")
        XCTAssertNotEqual(try bytes(root + "/out/t/candidates.run"), hybridBytes, "bm25 alone is not the fused list")
    }

    func testEditedCorpusOfTheSameSizeRebuildsTheJobsIndex() throws {
        _ = try runJob()
        let shards = ["/shards/t/shard-0000-of-0002.shard", "/shards/t/shard-0001-of-0002.shard"].map { root + $0 }
        let before = try shards.map(bytes)
        let corpus = root + "/data/corpus.jsonl"
        var text = try String(contentsOfFile: corpus, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"doc 3\"", with: "\"doc X\"")
        try text.write(toFile: corpus, atomically: true, encoding: .utf8)
        let o = try runJob()
        XCTAssertEqual(status(o)["build"], "ran")
        XCTAssertNotEqual(try shards.map(bytes), before, "the index holds the edited corpus")
        let manifest = try String(contentsOfFile: root + "/shards/t/manifest.json", encoding: .utf8)
        XCTAssertTrue(manifest.contains(try SHA256Hex.file(corpus)), "the manifest names the new corpus")
    }

    func testEditedOutputIsRemade() throws {
        _ = try runJob()
        let path = root + "/out/t/candidates.run"
        try "q0 Q0 d1 1 1.0 x\n".write(toFile: path, atomically: true, encoding: .utf8)
        let o = try runJob()
        XCTAssertEqual(status(o)["search"], "ran")
        XCTAssertGreaterThan(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 1)
    }

    func testOutputEditedInPlaceAtTheSameSizeIsRemade() throws {
        _ = try runJob()
        let path = root + "/out/t/candidates.run"
        let original = try bytes(path)
        // Change one digit of the first score: same size, different content, later mtime.
        var edited = original
        let firstLine = try XCTUnwrap(String(data: original, encoding: .utf8)?.split(separator: "\n").first)
        let fields = firstLine.split(separator: " ")
        let scoreOffset = fields[0..<4].map { $0.utf8.count + 1 }.reduce(0, +)
        let i = try XCTUnwrap((scoreOffset..<scoreOffset + fields[4].utf8.count).first { edited[$0] >= 0x30 && edited[$0] <= 0x39 })
        edited[i] = edited[i] == 0x39 ? 0x38 : edited[i] + 1
        XCTAssertEqual(edited.count, original.count)
        let fh = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try fh.write(contentsOf: edited)
        try fh.close()
        XCTAssertNotEqual(try bytes(path), original)
        let o = try runJob()
        XCTAssertEqual(status(o)["search"], "ran", "a same-size edit is noticed")
        XCTAssertEqual(try bytes(path), original, "and the output is made again")
        XCTAssertEqual(status(try runJob())["search"], "skipped", "then the step is up to date again")
    }

    func testGateAboveTheFigureFailsNamingMetricFigureAndBound() throws {
        let o = try runJob(["gates.ndcg@10.min=0.999"])
        XCTAssertEqual(o.gateFailures.count, 1)
        let msg = try XCTUnwrap(o.gateFailures.first)
        XCTAssertTrue(msg.contains("ndcg@10") && msg.contains("0.9990"), msg)
        XCTAssertTrue(msg.contains(String(format: "%.4f", try XCTUnwrap(o.figures["ndcg@10"]))), msg)
    }

    func testMissingInputNamesTheFile() throws {
        XCTAssertThrowsError(try runJob(["corpus=/nonexistent/corpus.jsonl"])) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/corpus.jsonl"), "\(error)")
        }
    }
}
