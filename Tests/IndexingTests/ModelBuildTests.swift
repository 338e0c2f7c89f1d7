import Formats
import Inference
import ShardStore
import XCTest

@testable import Indexing

/// End to end with the real bi-encoder: the index bytes do not depend on threads, batch size
/// or how shards are split between workers, and what is stored is what the model says.
extension IndexBuilderTests {
    func modelPath() throws -> String {
        let path = packageRoot + "/models/all-MiniLM-L6-v2"
        guard FileManager.default.fileExists(atPath: path + "/model.safetensors") else { throw XCTSkip("no model at \(path)") }
        return path
    }

    func testModelBuildBytesDoNotDependOnThreadsBatchesOrWorkers() throws {
        let modelPath = try modelPath()
        let t = self
        let corpus = try t.scifactSlice(6)
        let one = try BiEncoder(modelDirectory: modelPath, threads: 1)
        let two = try BiEncoder(modelDirectory: modelPath, threads: 2)

        var a = t.options(corpus, "a", shards: 2, enc: .f32, batch: 5)
        a.vectorRowsPerBlock = 2
        _ = try IndexBuilder(options: a, embedder: one, environment: [:]).run()
        for i in [1, 0] {
            var b = t.options(corpus, "b", shards: 2, id: i, enc: .f32, batch: 16)
            b.vectorRowsPerBlock = 2
            _ = try IndexBuilder(options: b, embedder: two, environment: [:]).run()
        }
        XCTAssertEqual(try t.files("a"), try t.files("b"))
        XCTAssertEqual(try t.files("a").count, 3)

        // The stored vectors are the model's vectors of the stored texts, exactly (f32).
        let m = try Manifest.load(directory: t.dir + "/a")
        XCTAssertEqual(m.modelFingerprint, one.fingerprint)
        XCTAssertEqual(m.dimension, 384)
        let r = try ShardReader(path: t.dir + "/a/" + m.shards[0].file)
        let texts = try (0..<r.count).map { try r.text(row: $0) }
        let want = try one.embed(texts, batchSize: 3)
        var got: [Float] = []
        for b in 0..<r.vectorBlockCount { got += try r.vectors(block: b) }
        XCTAssertEqual(got, want)
        for row in 0..<r.count {
            let norm = got[(row * 384)..<((row + 1) * 384)].reduce(0) { $0 + $1 * $1 }
            XCTAssertEqual(norm, 1, accuracy: 1e-4)
        }
    }
}
