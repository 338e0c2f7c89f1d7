import Formats
import Foundation
import ShardStore
import TestSupport
import XCTest

@testable import Reranking

/// Paths shared by the reranking tests.
enum TestPaths {
    /// The package root: three levels up from this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// The Inference helper's random tiny cross-encoders and their transformers logits.
    static let inferenceGolden = root + "/Tests/InferenceTests/Golden"
    /// This module's golden files.
    static let golden = root + "/Tests/RerankingTests/Golden"

    /// The JSON objects of a JSON-lines file.
    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        let reader = try LineReader(path: path)
        var out: [[String: Any]] = []
        while let line = try reader.nextLine() {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw IndexerError.badInput("not an object", path: path, line: reader.lineNumber)
            }
            out.append(object)
        }
        return out
    }
}

/// A scorer without a model: the score of a pair is a fixed function of its text, and every
/// batch it receives is recorded, so tests can count pairs and check batching.
final class RecordingScorer: PairScorer, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var batches: [[EncodedPair]] = []
    /// Scores keyed by document text (documents not listed score by their byte sum).
    let scoresByText: [String: Float]

    init(scoresByText: [String: Float] = [:]) {
        self.scoresByText = scoresByText
    }

    var fingerprint: String { "recording-scorer" }

    /// Ids: the document's UTF-8 bytes (so a pair's length is its document's length + 1).
    func encode(query: String, document: String) -> EncodedPair {
        let ids = [Int32(-1)] + document.utf8.map { Int32($0) }
        return EncodedPair(ids: ids, typeIds: [Int32](repeating: 0, count: ids.count))
    }

    func score(_ batch: [EncodedPair]) throws -> [Float] {
        lock.lock()
        batches.append(batch)
        lock.unlock()
        return batch.map { p in
            let text = String(decoding: p.ids.dropFirst().map { UInt8($0) }, as: UTF8.self)
            return RecordingScorer.score(text, scoresByText)
        }
    }

    static func score(_ text: String, _ table: [String: Float]) -> Float {
        table[text] ?? Float(text.utf8.reduce(0) { $0 + Int($1) } % 101) / 10
    }

    var pairsScored: Int { batches.reduce(0) { $0 + $1.count } }
}

/// A small collection written to files: corpus, queries, a first-stage run.
struct Fixture {
    var dir: String
    var corpus: String { dir + "/corpus.jsonl" }
    var queries: String { dir + "/queries.jsonl" }
    var run: String { dir + "/first.run" }
    var index: String { dir + "/index" }

    /// Documents d0...d(n-1) with texts "text of dK ..." of varied lengths.
    static func documents(_ n: Int) -> [(id: String, title: String, text: String)] {
        (0..<n).map { i in
            ("d\(i)", i % 3 == 0 ? "" : "Title \(i)", "text of d\(i) " + String(repeating: "word\(i % 7) ", count: 1 + (i * 37) % 23))
        }
    }

    static func combined(_ d: (id: String, title: String, text: String)) -> String {
        d.title.isEmpty ? d.text.trimmingCharacters(in: .whitespaces) : (d.title + " " + d.text).trimmingCharacters(in: .whitespaces)
    }

    /// Writes `docs`, `queries` and run `lines` (already formatted) under a fresh folder.
    static func make(
        _ test: XCTestCase, docs: [(id: String, title: String, text: String)], queries: [(String, String)],
        runLines: [String]
    ) throws -> Fixture {
        let f = Fixture(dir: try test.temporaryFolder("reranking-tests").path)
        func json(_ s: String) -> String {
            var o = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                default: o.unicodeScalars.append(u)
                }
            }
            return o + "\""
        }
        var c = ""
        for d in docs { c += "{\"_id\": \(json(d.id)), \"title\": \(json(d.title)), \"text\": \(json(d.text))}\n" }
        try c.write(toFile: f.corpus, atomically: true, encoding: .utf8)
        var q = ""
        for (id, text) in queries { q += "{\"_id\": \(json(id)), \"text\": \(json(text))}\n" }
        try q.write(toFile: f.queries, atomically: true, encoding: .utf8)
        try (runLines.joined(separator: "\n") + "\n").write(toFile: f.run, atomically: true, encoding: .utf8)
        return f
    }

    /// Builds a `shards`-shard index of `docs` (dummy vectors) in `index`.
    func buildIndex(_ docs: [(id: String, title: String, text: String)], shards n: Int) throws {
        try FileManager.default.createDirectory(atPath: index, withIntermediateDirectories: true)
        for i in 0..<n {
            let s = ShardSettings(
                shardIndex: i, shardCount: n, dimension: 4, encoding: .f32, codec: .zstd,
                vectorRowsPerBlock: 4, textBlockBytes: 64, modelFingerprint: "m", buildSettings: "")
            let w = try ShardWriter(path: index + "/" + ShardFormat.fileName(index: i, count: n), settings: s)
            for d in docs where DocumentKey.shard(of: d.id, count: n) == i {
                try w.append(id: d.id, text: Fixture.combined(d), vector: [1, 0, 0, 0])
            }
            _ = try w.finish()
        }
        try Manifest.make(directory: index, shardCount: n).write(directory: index)
    }
}

/// A TREC run line.
func runLine(_ qid: String, _ docid: String, _ rank: Int, _ score: Double, tag: String = "first") -> String {
    "\(qid) Q0 \(docid) \(rank) \(score) \(tag)"
}

/// Asserts that `body` throws an ``IndexerError`` at `path:line` whose message contains `text`.
func assertIndexerError(
    _ body: @autoclosure () throws -> Any, path: String, line: Int?, contains text: String,
    file: StaticString = #filePath, lineNumber: UInt = #line
) {
    do {
        _ = try body()
        XCTFail("expected an error mentioning '\(text)'", file: file, line: lineNumber)
    } catch let e as IndexerError {
        XCTAssertEqual(e.path, path, "\(e)", file: file, line: lineNumber)
        XCTAssertEqual(e.line, line, "\(e)", file: file, line: lineNumber)
        XCTAssertTrue(e.message.contains(text), "\(e)", file: file, line: lineNumber)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: lineNumber)
    }
}
