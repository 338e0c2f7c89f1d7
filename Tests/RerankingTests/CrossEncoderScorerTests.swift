import Formats
import Foundation
import TestSupport
import XCTest

@testable import Reranking

/// The scorer the job uses against `transformers` logits, and end-to-end determinism with a
/// real (tiny, random) checkpoint.
final class CrossEncoderScorerTests: XCTestCase {
    /// Scores every golden record's (query, document) with the scorer; checks the tokenisation
    /// and that each score is within `tolerance` of the reference logit under `key`.
    func checkGolden(model: String, golden: String, key: String, tolerance: Float, maxLength: Int? = nil) throws -> Int {
        let records = try TestPaths.jsonLines(golden)
        XCTAssertFalse(records.isEmpty)
        let scorer = try CrossEncoderScorer(modelDirectory: model, maxLength: maxLength, threads: 2)
        var encoded: [EncodedPair] = []
        var expected: [Float] = []
        for (i, r) in records.enumerated() {
            let q = try XCTUnwrap(r["query"] as? String), d = try XCTUnwrap(r["document"] as? String)
            // HF's tokenizer reads text_pair="" as no pair at all ([CLS] q [SEP]), a Python
            // truthiness quirk; ours keeps the pair shape. The job never sends an empty
            // document from an index (the build refuses them); such records are left out.
            if d.isEmpty { continue }
            let e = scorer.encode(query: q, document: d)
            if let ids = (r["ids"] ?? r["input_ids"]) as? [Int] { XCTAssertEqual(e.ids.map(Int.init), ids, "record \(i + 1) ids") }
            encoded.append(e)
            expected.append(Float(try XCTUnwrap(r[key] as? Double)))
        }
        let scores = try PairPacker(batchSize: 16, threads: 2).score(encoded, with: scorer)
        XCTAssertGreaterThanOrEqual(encoded.count, records.count - 3)
        var worst: Float = 0
        for (i, (s, x)) in zip(scores, expected).enumerated() {
            worst = max(worst, abs(s - x))
            XCTAssertEqual(s, x, accuracy: tolerance, "record \(i + 1)")
        }
        print("\(golden): \(encoded.count) pairs, largest |swift - transformers| = \(worst)")
        return encoded.count
    }

    func testRandomCheckpointsMatchTransformers() throws {
        let golden = TestPaths.inferenceGolden + "/crossencoder-pairs.jsonl"
        guard FileManager.default.fileExists(atPath: golden) else { throw XCTSkip("the Inference golden files are not here") }
        _ = try checkGolden(model: TestPaths.inferenceGolden + "/cross-f32", golden: golden, key: "logit_f32", tolerance: 1e-4)
        _ = try checkGolden(model: TestPaths.inferenceGolden + "/cross-f16", golden: golden, key: "logit_f16", tolerance: 1e-4)
    }

    /// The default reranker on 500+ pairs against transformers' logits at the model's declared
    /// length (scripts/reference/make_reranker_golden.py writes the golden file).
    func testDefaultRerankerMatchesTransformersOn500Pairs() throws {
        let model = TestPaths.root + "/" + RerankModel.defaultFolder
        let golden = TestPaths.golden + "/reranker-pairs.jsonl.gz"
        guard FileManager.default.fileExists(atPath: model + "/model.safetensors"),
            FileManager.default.fileExists(atPath: golden)
        else {
            throw XCTSkip("the default reranker or its golden file is not here yet")
        }
        let n = try checkGolden(model: model, golden: golden, key: "logit", tolerance: 1e-4)
        XCTAssertGreaterThanOrEqual(n, 500)
    }

    func testDeclaredMaxLength() throws {
        let dir = try temporaryFolder("reranking-tests").path
        try #"{"max_position_embeddings": 256}"#.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try RerankModel.declaredMaxLength(modelDirectory: dir), 256, "no tokenizer_config: 512 capped by positions")
        try #"{"model_max_length": 128}"#.write(toFile: dir + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try RerankModel.declaredMaxLength(modelDirectory: dir), 128)
        try #"{"model_max_length": 1000000000000000019884624838656}"#.write(toFile: dir + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try RerankModel.declaredMaxLength(modelDirectory: dir), 256, "HF's no-limit placeholder")
        try "{".write(toFile: dir + "/tokenizer_config.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RerankModel.declaredMaxLength(modelDirectory: dir))
    }

    /// The Inference tests' tiny random cross-encoder, or a skip when it is not here.
    func tinyCheckpoint() throws -> String {
        let model = TestPaths.inferenceGolden + "/cross-f32"
        guard FileManager.default.fileExists(atPath: model + "/model.safetensors") else { throw XCTSkip("no tiny checkpoint") }
        return model
    }

    /// 30 documents and `queries` queries of `candidates` first-stage candidates each.
    func tinyFixture(queries: Int, candidates: Int) throws -> Fixture {
        var lines: [String] = []
        for q in 0..<queries {
            for r in 0..<candidates { lines.append(runLine("q\(q)", "d\((q * 5 + r * 7) % 30)", r + 1, Double(50 - r))) }
        }
        return try Fixture.make(
            self, docs: Fixture.documents(30),
            queries: (0..<queries).map { ("q\($0)", "text of word\($0) query \($0)") }, runLines: lines)
    }

    /// The whole job with a real checkpoint: the same bytes for batch sizes 1, 8, 32 and 1 or 2
    /// threads.
    func testJobOutputIsTheSameBytesForAnyBatchSizeAndThreadCount() throws {
        let model = try tinyCheckpoint()
        let f = try tinyFixture(queries: 4, candidates: 15)
        var outputs: [Data] = []
        for (batch, threads) in [(1, 1), (8, 2), (32, 2), (32, 1)] {
            var o = RerankOptions(
                candidatesPath: f.run, queriesPath: f.queries, docsPath: f.corpus, depth: 10,
                outPath: f.dir + "/out-\(batch)-\(threads).run")
            o.batchSize = batch
            o.threads = threads
            o.progress = false
            o.model = model
            o.maxLength = 64
            o.timingsPath = f.dir + "/timings-\(batch)-\(threads).jsonl"
            let s = try RerankJob.run(o)
            XCTAssertEqual(s.pairs, 40)
            outputs.append(try XCTUnwrap(FileManager.default.contents(atPath: o.outPath)))
            let timings = try RerankTimings.read(path: o.timingsPath!)
            XCTAssertEqual(timings.map(\.pairs), [10, 10, 10, 10])
            XCTAssertTrue(timings.allSatisfy { $0.tokens > 30 && $0.tokens <= 640 })
        }
        for o in outputs.dropFirst() { XCTAssertEqual(o, outputs[0]) }
        // Scores really came from the model: distinct values, not placeholders.
        let run = try TrecRun.read(path: f.dir + "/out-1-1.run")
        XCTAssertGreaterThan(Set(run.entries(for: "q0")!.prefix(10).map(\.score)).count, 5)
    }

    func testDeclaredInterpolation() throws {
        let dir = try temporaryFolder("reranking-tests").path
        try #"{"max_position_embeddings": 256}"#.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try RerankModel.declaredInterpolation(modelDirectory: dir), 0, "none declared: the cross-encoder alone")
        try #"{"indexer_interpolate": 0.25}"#.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try RerankModel.declaredInterpolation(modelDirectory: dir), 0.25)
        for bad in [#"{"indexer_interpolate": 2}"#, #"{"indexer_interpolate": "high"}"#] {
            try bad.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try RerankModel.declaredInterpolation(modelDirectory: dir)) {
                XCTAssertEqual(($0 as? IndexerError)?.path, dir + "/config.json")
            }
        }
        let shipped = TestPaths.root + "/" + RerankModel.defaultFolder
        if FileManager.default.fileExists(atPath: shipped + "/config.json") {
            XCTAssertEqual(try RerankModel.declaredInterpolation(modelDirectory: shipped), 0.2, "the default reranker's weight (model card)")
        }
    }

    /// A folder's declared weight is used when --interpolate is not given, and --interpolate 0
    /// turns it off.
    func testJobUsesTheModelsDeclaredInterpolationUnlessOverridden() throws {
        let tiny = try tinyCheckpoint()
        let f = try tinyFixture(queries: 3, candidates: 12)
        let model = f.dir + "/declaring-model"
        try FileManager.default.copyItem(atPath: tiny, toPath: model)
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/config.json"))) as? [String: Any])
        config["indexer_interpolate"] = 0.6
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: model + "/config.json"))
        func run(_ w: Double?, _ name: String) throws -> (Data, RerankSummary) {
            var o = RerankOptions(candidatesPath: f.run, queriesPath: f.queries, docsPath: f.corpus, depth: 10, outPath: f.dir + "/" + name)
            o.progress = false
            o.model = model
            o.maxLength = 64
            o.interpolate = w
            let s = try RerankJob.run(o)
            return (try XCTUnwrap(FileManager.default.contents(atPath: o.outPath)), s)
        }
        let (declared, s) = try run(nil, "declared.run")
        XCTAssertEqual(s.interpolate, 0.6)
        XCTAssertEqual(declared, try run(0.6, "explicit.run").0)
        let (alone, s0) = try run(0, "alone.run")
        XCTAssertEqual(s0.interpolate, 0)
        XCTAssertNotEqual(declared, alone, "the weight changes the head's scores")
    }
}
