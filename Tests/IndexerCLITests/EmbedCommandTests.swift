import Foundation
import TestSupport
import XCTest

@testable import Formats

/// `indexer embed` run as a subprocess: output format, the BEIR document rule, exit codes.
final class EmbedCommandTests: XCTestCase {
    static let root = IndexerProcess.packageRoot
    /// A tiny BERT (2 layers, width 32) committed for the inference tests: fast to run.
    static let tinyModel = Fixtures.tinyCrossEncoder
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("embedcmd")
    }

    override func tearDown() {
        folder.remove()
    }

    func embed(_ args: [String]) throws -> IndexerProcess.Result {
        try IndexerProcess.run(["embed"] + args)
    }

    func write(_ lines: [String], _ name: String = "in.jsonl") throws -> String {
        let path = dir + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testWritesNpyWithBEIRDocumentRule() throws {
        let input = try write([
            #"{"_id": "d1", "title": "  Hello", "text": "world of tests  "}"#,
            #"{"text": "Hello world of tests"}"#,
            #"{"_id": "d2", "text": "no title here"}"#,
            #"{"text": "no title here"}"#,
            #"{"_id": "d3", "title": "", "text": ""}"#,
        ])
        let r = try embed(["--model", Self.tinyModel, "--input", input, "--out", dir + "/out.npy", "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let (shape, v) = try NPY.read(path: dir + "/out.npy")
        XCTAssertEqual(shape, [5, 32])
        let rows = (0..<5).map { Array(v[($0 * 32)..<(($0 + 1) * 32)]) }
        XCTAssertEqual(rows[0].map(\.bitPattern), rows[1].map(\.bitPattern), "title + \" \" + text, stripped")
        XCTAssertEqual(rows[2].map(\.bitPattern), rows[3].map(\.bitPattern))
        XCTAssertNotEqual(rows[0], rows[2])
        // A bare folder (no modules.json) has no Normalize module: mean pooling, not unit length,
        // as sentence-transformers makes of it (docs/MODELS.md).
        for row in rows { XCTAssertGreaterThan(abs(row.reduce(0) { $0 + $1 * $1 } - 1), 1e-3) }
        XCTAssertTrue(r.stderr.contains("5 texts"), r.stderr)
    }

    func testMatchesSentenceTransformersWithMiniLM() throws {
        let model = Self.root + "/models/all-MiniLM-L6-v2"
        guard FileManager.default.fileExists(atPath: model + "/model.safetensors") else { throw XCTSkip("no MiniLM") }
        let golden = Self.root + "/Tests/InferenceTests/Golden"
        let reader = try LineReader(path: golden + "/biencoder-texts.jsonl")
        var lines: [String] = []
        while let line = try reader.nextLine(), lines.count < 8 {
            let text = (try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any])["text"] as! String
            let data = try JSONSerialization.data(withJSONObject: ["text": text])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        let r = try embed(["--model", model, "--input", try write(lines), "--out", dir + "/m.npy", "--batch-size", "3", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let (shape, got) = try NPY.read(path: dir + "/m.npy")
        let (_, want) = try NPY.read(path: golden + "/biencoder-embeddings.npy")
        XCTAssertEqual(shape, [8, 384])
        for i in 0..<8 {
            var dot: Float = 0
            for j in 0..<384 { dot += got[i * 384 + j] * want[i * 384 + j] }
            XCTAssertGreaterThanOrEqual(dot, 0.99999, "row \(i)")
        }
    }

    func testMalformedLineExitsTwoNamingFileAndLine() throws {
        let input = try write([#"{"text": "fine"}"#, #"{"text": "also fine"}"#, #"{"text": "broken"#])
        let r = try embed(["--model", Self.tinyModel, "--input", input, "--out", dir + "/x.npy"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains(input + ":3: not valid JSON"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.npy"))
        let noText = try write([#"{"title": "t"}"#], "notext.jsonl")
        let r2 = try embed(["--model", Self.tinyModel, "--input", noText, "--out", dir + "/x.npy"])
        XCTAssertEqual(r2.status, 2)
        XCTAssertTrue(r2.stderr.contains(noText + ":1: no \"text\" field"), r2.stderr)
        var bad = Data(#"{"text": ""#.utf8)
        bad.append(contentsOf: [0xFF, 0xFE])
        bad.append(contentsOf: Array("\"}\n".utf8))
        try bad.write(to: URL(fileURLWithPath: dir + "/utf8.jsonl"))
        let r3 = try embed(["--model", Self.tinyModel, "--input", dir + "/utf8.jsonl", "--out", dir + "/x.npy"])
        XCTAssertEqual(r3.status, 2)
        XCTAssertTrue(r3.stderr.contains(":1: invalid UTF-8"), r3.stderr)
        let r4 = try embed(["--model", Self.tinyModel, "--input", dir + "/missing.jsonl", "--out", dir + "/x.npy"])
        XCTAssertEqual(r4.status, 2)  // a missing input is a bad argument (docs/FAILURES.md)
        XCTAssertTrue(r4.stderr.contains("missing.jsonl"), r4.stderr)
    }

    func testModelErrorsExitOne() throws {
        let input = try write([#"{"text": "fine"}"#])
        let r = try embed(["--model", dir + "/no-model", "--input", input, "--out", dir + "/x.npy"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("model folder does not exist"), r.stderr)
        // Weights cut in half.
        let broken = dir + "/broken"
        try FileManager.default.copyItem(atPath: Self.tinyModel, toPath: broken)
        let weights = try Data(contentsOf: URL(fileURLWithPath: broken + "/model.safetensors"))
        try weights.prefix(weights.count / 2).write(to: URL(fileURLWithPath: broken + "/model.safetensors"))
        let r2 = try embed(["--model", broken, "--input", input, "--out", dir + "/x.npy"])
        XCTAssertEqual(r2.status, 1)
        XCTAssertTrue(r2.stderr.contains(broken + "/model.safetensors") && r2.stderr.contains("run past the data section"), r2.stderr)
        // Wrong dtype for an encoder tensor: an I64 header entry where F32 is expected.
        let wrong = dir + "/wrong"
        try FileManager.default.copyItem(atPath: Self.tinyModel, toPath: wrong)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: wrong + "/model.safetensors")))
        let n = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        var header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        let key = "\"bert.embeddings.LayerNorm.bias\":{\"dtype\":\"F32\",\"shape\":[32]"
        XCTAssertTrue(header.contains(key), "golden header layout changed")
        header = header.replacingOccurrences(of: key, with: "\"bert.embeddings.LayerNorm.bias\":{\"dtype\":\"I32\",\"shape\":[32]")
        bytes.replaceSubrange(8..<(8 + n), with: Array(header.utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: wrong + "/model.safetensors"))
        let r3 = try embed(["--model", wrong, "--input", input, "--out", dir + "/x.npy"])
        XCTAssertEqual(r3.status, 1)
        XCTAssertTrue(r3.stderr.contains("'bert.embeddings.LayerNorm.bias' has dtype I32"), r3.stderr)
        let r4 = try embed(["--input", input])
        XCTAssertEqual(r4.status, 2)
        XCTAssertTrue(r4.stderr.contains("missing --out"), r4.stderr)
    }
}
