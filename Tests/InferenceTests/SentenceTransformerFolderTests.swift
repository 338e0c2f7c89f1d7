import Foundation
import TestSupport
import XCTest

@testable import Formats
@testable import Inference

/// sentence-transformers folders (classic and 6.x layouts, Dense, with and without Normalize,
/// e5-style prompts) against sentence-transformers' own vectors
/// (scripts/reference/make-st-folder-golden.py).
final class SentenceTransformerFolderTests: XCTestCase {
    static var goldenDir: String { TestPaths.golden + "/st-folders" }

    /// The case folder: the shared base files plus the case's module files, in a temporary folder.
    func assemble(_ name: String) throws -> String {
        let dir = try temporaryFolder("inference-tests").path + "/" + name
        try FileManager.default.copyItem(atPath: Self.goldenDir + "/" + name, toPath: dir)
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.goldenDir + "/base") {
            try FileManager.default.copyItem(atPath: Self.goldenDir + "/base/" + file, toPath: dir + "/" + file)
        }
        return dir
    }

    func texts() throws -> [String] {
        try TestPaths.jsonLines(Self.goldenDir + "/texts.jsonl").map { $0["text"] as! String }
    }

    func check(_ name: String, dimension: Int, normalised: Bool, documentPrompt: String = "passage: ") throws {
        let encoder = try BiEncoder(modelDirectory: try assemble(name), threads: 2)
        XCTAssertEqual(encoder.dimension, dimension, name)
        XCTAssertEqual(encoder.maxLength, 64, name)
        XCTAssertEqual(encoder.prompts, Prompts(query: "query: ", document: documentPrompt), name)
        XCTAssertEqual(encoder.modules.normalises, normalised, name)
        let items = try texts()
        XCTAssertGreaterThanOrEqual(items.count, 300)
        for role in [TextRole.query, .document] {
            let (shape, golden) = try NPY.read(path: Self.goldenDir + "/\(name)-\(role == .query ? "queries" : "documents").npy")
            XCTAssertEqual(shape, [items.count, dimension])
            let got = try encoder.embed(items, as: role)
            var minCos = 1.0
            for i in 0..<items.count {
                let r = (i * dimension)..<((i + 1) * dimension)
                let c = cosine(got[r], golden[r])
                minCos = min(minCos, c)
                XCTAssertGreaterThanOrEqual(c, 0.99999, "\(name) \(role) text \(i)")
                if !normalised {
                    // Without Normalize the lengths are sentence-transformers' too.
                    let a = got[r].reduce(0) { $0 + Double($1) * Double($1) }, b = golden[r].reduce(0) { $0 + Double($1) * Double($1) }
                    XCTAssertEqual(a.squareRoot(), b.squareRoot(), accuracy: 1e-4 * b.squareRoot())
                }
            }
            print("\(name) \(role): \(items.count) texts, min cosine \(String(format: "%.9f", minCos))")
        }
    }

    func testClassicLayoutMeanNormalize() throws {
        // Its prompts are {"query", "passage"}: sentence-transformers 6.3's encode_document uses
        // no prompt for such a folder (its empty "document" placeholder wins), and neither do we.
        try check("classic", dimension: 32, normalised: true, documentPrompt: "")
    }

    func testSentenceTransformers6LayoutMeanAndClsDenseNormalize() throws {
        try check("st6", dimension: 24, normalised: true)
    }

    func testSentenceTransformers6LayoutWeightedMeanWithoutPromptDenseNoNormalize() throws {
        try check("st6-raw", dimension: 16, normalised: false)
    }

    func testPromptsOverridesAndFingerprints() throws {
        let dir = try assemble("st6")
        let declared = try BiEncoder(modelDirectory: dir, threads: 1)
        let overridden = try BiEncoder(modelDirectory: dir, threads: 1, queryPrompt: "search_query: ")
        XCTAssertEqual(overridden.prompts, Prompts(query: "search_query: ", document: "passage: "))
        XCTAssertNotEqual(declared.fingerprint, overridden.fingerprint, "the prompts are part of the fingerprint")
        let none = try BiEncoder(modelDirectory: dir, threads: 1, queryPrompt: "", documentPrompt: "")
        XCTAssertEqual(none.prompts, .none)
        XCTAssertNotEqual(none.fingerprint, declared.fingerprint)
        XCTAssertEqual(try none.embed(["a text"], as: .query), try none.embed(["a text"], as: .document))
        XCTAssertEqual(try declared.embed(["a text"], as: .document), try none.embed(["passage: a text"]))
    }

    func testDefaultModelKeepsItsFingerprintAndPipeline() throws {
        try TestPaths.requireMiniLM()
        let encoder = try BiEncoder(modelDirectory: TestPaths.miniLM, threads: 1)
        XCTAssertEqual(encoder.pooling.modes, [.mean])
        XCTAssertTrue(encoder.modules.normalises)
        XCTAssertEqual(encoder.prompts, .none)
        // The formula of the fingerprint before modules.json was read: existing indexes stay valid.
        let directory = try ModelDirectory(path: TestPaths.miniLM)
        XCTAssertEqual(
            encoder.fingerprint,
            directory.fingerprint(
                kind: "biencoder", extraFiles: ["1_Pooling/config.json"],
                settings: "pooling mean\nmax-length 256\nnormalise l2\n"))
    }

    func testDeclaredPromptRules() throws {
        let dir = try temporaryFolder("inference-tests").path
        func declared(_ json: String) throws -> Prompts {
            try json.write(toFile: dir + "/config_sentence_transformers.json", atomically: true, encoding: .utf8)
            return try Prompts.declared(directory: dir)
        }
        XCTAssertEqual(try declared(#"{"prompts": {"query": "q: ", "corpus": "c: "}}"#), Prompts(query: "q: ", document: ""))
        XCTAssertEqual(try declared(#"{"prompts": {"document": "d: ", "passage": "p: "}}"#), Prompts(query: "", document: "d: "))
        XCTAssertEqual(
            try declared(#"{"prompts": {"retrieval": "r: "}, "default_prompt_name": "retrieval"}"#),
            Prompts(query: "", document: "", text: "r: "))
        XCTAssertEqual(try declared(#"{"prompts": {}, "default_prompt_name": null}"#), .none)
        XCTAssertThrowsError(try declared(#"{"prompts": {"query": 3}}"#)) { XCTAssertTrue("\($0)".contains("prompts.query")) }
        XCTAssertThrowsError(try declared(#"{"prompts": {}, "default_prompt_name": "x"}"#)) {
            XCTAssertTrue("\($0)".contains("config_sentence_transformers.json"), "\($0)")
        }
    }

    func testModuleErrorsNameTheFileAndTheProblem() throws {
        let dir = try assemble("st6")
        func refuse(_ modules: String, _ expected: String) throws {
            try modules.write(toFile: dir + "/modules.json", atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try BiEncoder(modelDirectory: dir, threads: 1)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue("\(error)".contains("modules.json"), "\(error)")
            }
        }
        try refuse(
            #"[{"idx":0,"path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"path":"x","type":"sentence_transformers.models.LSTM"}]"#,
            "LSTM")
        try refuse(#"[{"idx":0,"path":"","type":"sentence_transformers.models.Transformer"}]"#, "no Pooling")
        try refuse(#"[{"idx":0,"path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]"#, "expected Transformer")
        try FileManager.default.removeItem(atPath: dir + "/2_Dense/model.safetensors")
        try Data("pickle".utf8).write(to: URL(fileURLWithPath: dir + "/2_Dense/pytorch_model.bin"))
        try FileManager.default.copyItem(atPath: Self.goldenDir + "/st6/modules.json", toPath: dir + "/modules.json.orig")
        try FileManager.default.removeItem(atPath: dir + "/modules.json")
        try FileManager.default.moveItem(atPath: dir + "/modules.json.orig", toPath: dir + "/modules.json")
        XCTAssertThrowsError(try BiEncoder(modelDirectory: dir, threads: 1)) { error in
            XCTAssertTrue("\(error)".contains("scripts/convert-to-safetensors"), "\(error)")
        }
    }

    func testAFolderWithOnlyPytorchWeightsIsRefusedNamingTheConversionCommand() throws {
        let dir = try assemble("classic")
        try FileManager.default.removeItem(atPath: dir + "/model.safetensors")
        try Data("pickle".utf8).write(to: URL(fileURLWithPath: dir + "/pytorch_model.bin"))
        XCTAssertThrowsError(try BiEncoder(modelDirectory: dir, threads: 1)) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .model)
            XCTAssertTrue("\(error)".contains("pytorch_model.bin") && "\(error)".contains("scripts/convert-to-safetensors \(dir)"), "\(error)")
        }
    }

    func testPoolingConfigLayouts() throws {
        XCTAssertEqual(
            try PoolingConfig(json: ["pooling_mode": "lasttoken", "embedding_dimension": 8], path: "p"),
            PoolingConfig(modes: [.lastToken], declaredWidth: 8))
        XCTAssertEqual(
            try PoolingConfig(json: ["pooling_mode": ["max", "mean_sqrt_len_tokens"], "include_prompt": false], path: "p"),
            PoolingConfig(modes: [.max, .meanSqrtLen], includePrompt: false))
        XCTAssertEqual(
            try PoolingConfig(
                json: [
                    "pooling_mode_mean_tokens": true, "pooling_mode_cls_token": true,
                    "word_embedding_dimension": 4,
                ], path: "p"),
            PoolingConfig(modes: [.cls, .mean], declaredWidth: 4))
        XCTAssertEqual(try PoolingConfig(json: [:], path: "p"), .mean)
        XCTAssertThrowsError(try PoolingConfig(json: ["pooling_mode": "median"], path: "p/config.json")) {
            XCTAssertTrue("\($0)".contains("median") && "\($0)".contains("p/config.json"), "\($0)")
        }
    }
}

/// Sharded safetensors (`model.safetensors.index.json`) give the single file's vectors.
final class ShardedWeightsTests: XCTestCase {
    /// cross-f32 with its weights split over two shards, in `dir`; returns the weight map.
    @discardableResult
    static func makeSharded(_ dir: String) throws -> [String: String] {
        let source = TestPaths.golden + "/cross-f32"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in ["config.json", "tokenizer.json", "vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(atPath: source + "/" + f, toPath: dir + "/" + f)
        }
        let whole = try SafeTensorsFile(path: source + "/model.safetensors")
        let names = whole.names
        var map: [String: String] = [:]
        for (k, half) in [names.prefix(names.count / 2), names.dropFirst(names.count / 2)].enumerated() {
            let file = "model-0000\(k + 1)-of-00002.safetensors"
            _ = try SafeTensorsBytes.write(
                half.map { ($0, whole.tensors[$0]!.dtype, whole.tensors[$0]!.shape, whole.bytes(whole.tensors[$0]!)) },
                to: dir + "/" + file)
            for n in half { map[n] = file }
        }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
        try index.write(to: URL(fileURLWithPath: dir + "/" + ShardedSafeTensors.indexName))
        return map
    }

    func testShardedCheckpointLoadsAsTheSingleFile() throws {
        let source = TestPaths.golden + "/cross-f32"
        let dir = try temporaryFolder("inference-tests").path + "/sharded"
        var map = try Self.makeSharded(dir)
        let names = map.keys.sorted()
        let a = try BiEncoder(modelDirectory: dir, threads: 1), b = try BiEncoder(modelDirectory: source, threads: 1)
        XCTAssertEqual(try a.embed(["a sharded text", "another"]), try b.embed(["a sharded text", "another"]))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("indexer-merged-") }, [],
            "the merged file is unlinked at once")
        map[names[0]] = "../elsewhere.safetensors"
        try JSONSerialization.data(withJSONObject: ["weight_map": map]).write(to: URL(fileURLWithPath: dir + "/" + ShardedSafeTensors.indexName))
        XCTAssertThrowsError(try BiEncoder(modelDirectory: dir, threads: 1)) {
            XCTAssertTrue("\($0)".contains("weight_map.\(names[0])") && "\($0)".contains(ShardedSafeTensors.indexName), "\($0)")
        }
    }
}
