import Formats
import TestSupport
import XCTest

@testable import Jobs

final class JobSpecTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = try temporaryFolder("jobspec").path("jobs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func write(_ json: String, name: String = "j.json") throws -> String {
        let p = dir + "/" + name
        try json.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func assertBadInput(_ json: String, mentions: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try write(json)
        XCTAssertThrowsError(try JobSpec.load(path: p), file: file, line: line) { error in
            let e = error as? IndexerError
            XCTAssertEqual(e?.kind, .badInput, file: file, line: line)
            XCTAssertEqual(e?.path, p, file: file, line: line)
            XCTAssertTrue("\(error)".contains(mentions), "\(error) does not mention \(mentions)", file: file, line: line)
        }
    }

    func testDefaultsAndPathsRelativeToTheJobFile() throws {
        let p = try write(#"{"corpus": "../data/c.jsonl", "queries": "/abs/q.jsonl"}"#, name: "demo.json")
        let s = try JobSpec.load(path: p)
        let root = URL(fileURLWithPath: dir).deletingLastPathComponent().standardizedFileURL.path
        XCTAssertEqual(s.name, "demo")
        XCTAssertEqual(s.corpus, root + "/data/c.jsonl")
        XCTAssertEqual(s.queries, "/abs/q.jsonl")
        XCTAssertNil(s.qrels)
        XCTAssertEqual(s.output, root + "/out/demo")
        XCTAssertEqual(s.index.directory, root + "/shards/demo")
        XCTAssertEqual(s.index.model, root + "/models/all-MiniLM-L6-v2")
        XCTAssertEqual(s.index.shards, 1)
        XCTAssertEqual(s.index.vectors.description, "f32")
        XCTAssertEqual(s.search.topN, 100)
        XCTAssertEqual(s.rerank?.depth, 20)
        XCTAssertEqual(s.rerank?.tail.rawValue, "keep")
        XCTAssertNil(s.rerank?.interpolate, "the model's declared weight")
    }

    func testRerankCanBeTurnedOff() throws {
        let s = try JobSpec.load(path: try write(#"{"corpus": "c", "queries": "q", "rerank": false}"#))
        XCTAssertNil(s.rerank)
        let t = try JobSpec.load(path: try write(#"{"corpus": "c", "queries": "q", "rerank": null}"#))
        XCTAssertNil(t.rerank)
    }

    func testUnknownKeysAreRefusedWithTheirName() throws {
        try assertBadInput(#"{"corpus": "c", "queries": "q", "shard": 4}"#, mentions: "\"shard\"")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "index": {"shardz": 4}}"#, mentions: "index.shardz")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "rerank": {"dept": 4}}"#, mentions: "rerank.dept")
    }

    func testBadValuesNameTheKey() throws {
        try assertBadInput(#"{"queries": "q"}"#, mentions: "corpus: is required")
        try assertBadInput(#"{"corpus": 3, "queries": "q"}"#, mentions: "corpus: must be a string")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "index": {"shards": 0}}"#, mentions: "index.shards")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "index": {"shards": 2.5}}"#, mentions: "index.shards: must be a whole number")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "index": {"vectors": "int4"}}"#, mentions: "index.vectors")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "index": {"lexical": "yes"}}"#, mentions: "index.lexical: must be true or false")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "search": {"top_n": 10}, "rerank": {"depth": 50}}"#, mentions: "rerank.depth")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "rerank": {"interpolate": 1.5}}"#, mentions: "rerank.interpolate: 1.5 is outside 0...1")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "rerank": {"interpolate": "half"}}"#, mentions: "rerank.interpolate: must be a number")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "version": 2}"#, mentions: "version")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "gates": {"ndcg@10": {"min": 0.5}}}"#, mentions: "qrels")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "qrels": "r", "gates": {"ndcg@10": {}}}"#, mentions: "gates.ndcg@10")
        try assertBadInput(#"{"corpus": "c", "queries": "q", "search": {"retriever": "bm25"}}"#, mentions: "lexical")
        try assertBadInput(#"[1, 2]"#, mentions: "JSON object")
        try assertBadInput(#"{"corpus": "c", "#, mentions: "not valid JSON")
    }

    func testOverridesApplyWithCurrentFolderPaths() throws {
        let p = try write(#"{"corpus": "c.jsonl", "queries": "q", "rerank": {"depth": 10}}"#)
        let s = try JobSpec.load(path: p, overrides: ["rerank.depth=50", "corpus=rel/c2.jsonl", "index.shards=3", "name=x1"])
        XCTAssertEqual(s.rerank?.depth, 50)
        XCTAssertEqual(s.index.shards, 3)
        XCTAssertEqual(s.name, "x1")
        XCTAssertEqual(s.corpus, FileManager.default.currentDirectoryPath + "/rel/c2.jsonl")
        XCTAssertThrowsError(try JobSpec.load(path: p, overrides: ["novalue"]))
        XCTAssertThrowsError(try JobSpec.load(path: p, overrides: ["index.bogus=1"]))
    }

    func testGatesNameMetricFigureAndBound() {
        let gates = [
            JobSpec.Gate(metric: "ndcg@10", min: 0.7, max: nil),
            JobSpec.Gate(metric: "recall@100", min: 0.5, max: 0.99),
            JobSpec.Gate(metric: "map", min: 0.1, max: nil),
        ]
        let f = Gates.check(gates, figures: ["ndcg@10": 0.6451, "recall@100": 0.925], run: "r.run")
        XCTAssertEqual(f.count, 2)
        XCTAssertTrue(f[0].contains("ndcg@10") && f[0].contains("0.6451") && f[0].contains("0.7000"), f[0])
        XCTAssertTrue(f[1].contains("map") && f[1].contains("not measured"), f[1])
        XCTAssertEqual(Gates.check(gates.dropLast(), figures: ["ndcg@10": 0.71, "recall@100": 0.9], run: "r").count, 0)
    }

    func testStepFingerprintChangesWithSettingsAndInputs() {
        let a = StepRecord.fingerprint(step: "search", settings: "top_n=100", inputs: ["q": "aa", "i": "bb"])
        XCTAssertEqual(a, StepRecord.fingerprint(step: "search", settings: "top_n=100", inputs: ["i": "bb", "q": "aa"]))
        XCTAssertNotEqual(a, StepRecord.fingerprint(step: "search", settings: "top_n=10", inputs: ["q": "aa", "i": "bb"]))
        XCTAssertNotEqual(a, StepRecord.fingerprint(step: "search", settings: "top_n=100", inputs: ["q": "ab", "i": "bb"]))
        XCTAssertNotEqual(a, StepRecord.fingerprint(step: "rerank", settings: "top_n=100", inputs: ["q": "aa", "i": "bb"]))
    }
}
