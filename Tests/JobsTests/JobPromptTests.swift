import Formats
import ShardStore
import TestSupport
import XCTest

@testable import Jobs

/// A job with a real sentence-transformers folder (the tiny e5-style one of the Inference
/// golden tests): a prompt change, by job key or in the model's config, rebuilds the index.
final class JobPromptTests: XCTestCase {
    var folder: TemporaryFolder!
    var root: String { folder.path }
    let env = ["INDEXER_QUIET": "1"]

    override func setUpWithError() throws {
        folder = try TemporaryFolder("jobprompt")
        let fm = FileManager.default
        for d in ["jobs", "data"] { try fm.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true) }
        let golden = JobRunnerTests.packageRoot + "/Tests/InferenceTests/Golden/st-folders"
        try fm.copyItem(atPath: golden + "/st6", toPath: root + "/model")
        for f in try fm.contentsOfDirectory(atPath: golden + "/base") {
            try fm.copyItem(atPath: golden + "/base/" + f, toPath: root + "/model/" + f)
        }
        var corpus = "", queries = ""
        for d in 0..<30 { corpus += #"{"_id": "d\#(d)", "text": "the \#(d) wing and the flow \#(d * 7)"}"# + "\n" }
        for q in 0..<4 { queries += #"{"_id": "q\#(q)", "text": "wing \#(q)"}"# + "\n" }
        try corpus.write(toFile: root + "/data/corpus.jsonl", atomically: true, encoding: .utf8)
        try queries.write(toFile: root + "/data/queries.jsonl", atomically: true, encoding: .utf8)
        let job = """
            {"name": "p", "corpus": "../data/corpus.jsonl", "queries": "../data/queries.jsonl",
             "index": {"model": "../model"}, "search": {"top_n": 5}, "rerank": false}
            """
        try job.write(toFile: root + "/jobs/p.json", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    func run(_ overrides: [String] = []) throws -> [String: String] {
        let spec = try JobSpec.load(path: root + "/jobs/p.json", overrides: overrides)
        let o = try JobRunner(spec: spec, options: JobRunOptions(only: nil, force: false, quiet: true, environment: env)).run()
        return Dictionary(uniqueKeysWithValues: o.steps.map { ($0.step.rawValue, $0.status) })
    }

    func fingerprint() throws -> String {
        try Manifest.load(directory: root + "/shards/p").modelFingerprint
    }

    func testAPromptChangeRebuildsTheIndexAndSearchesWithIt() throws {
        XCTAssertEqual(try run()["build"], "ran")
        let declared = try fingerprint()
        XCTAssertEqual(try run()["build"], "skipped")
        let spec = try JobSpec.load(path: root + "/jobs/p.json", overrides: ["index.query_prompt=search: "])
        XCTAssertEqual(spec.index.queryPrompt, "search: ")
        let changed = try run(["index.query_prompt=search: "])
        XCTAssertEqual(changed["build"], "ran")
        XCTAssertEqual(changed["search"], "ran", "the search embeds with the job's prompt, so it matches the index")
        XCTAssertNotEqual(try fingerprint(), declared)
        XCTAssertEqual(try run(["index.query_prompt=search: "])["build"], "skipped")
        // The model's own prompts are an input too.
        let config = root + "/model/config_sentence_transformers.json"
        let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "passage: ", with: "doc: ")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["index.query_prompt=search: "])["build"], "ran")
    }

    func testHubModelsAreKeptAsWrittenAndPromptsMustBeStrings() throws {
        let job = #"{"corpus": "c", "queries": "q", "index": {"model": "hf:org/m@v1", "document_prompt": ""}, "rerank": {"model": "hf:org/r"}}"#
        try job.write(toFile: root + "/jobs/h.json", atomically: true, encoding: .utf8)
        let spec = try JobSpec.load(path: root + "/jobs/h.json", overrides: [])
        XCTAssertEqual(spec.index.model, "hf:org/m@v1")
        XCTAssertEqual(spec.index.documentPrompt, "")
        XCTAssertNil(spec.index.queryPrompt)
        XCTAssertEqual(spec.rerank?.model, "hf:org/r")
        try #"{"corpus": "c", "queries": "q", "index": {"query_prompt": 3}}"#.write(toFile: root + "/jobs/h.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try JobSpec.load(path: root + "/jobs/h.json", overrides: [])) {
            XCTAssertTrue("\($0)".contains("query_prompt"), "\($0)")
        }
    }
}
