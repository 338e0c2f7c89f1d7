import Formats
import Inference
import ShardStore
import TestSupport
import XCTest

@testable import Indexing

/// The package root, three levels up from this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

final class IndexBuilderTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("indexing")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    /// The first `n` lines of SciFact's corpus, written to a file in the test folder.
    func scifactSlice(_ n: Int) throws -> String {
        let src = packageRoot + "/../shared/data/scifact/corpus.jsonl"
        guard FileManager.default.fileExists(atPath: src) else { throw XCTSkip("no SciFact at \(src)") }
        let r = try LineReader(path: src)
        var out: [UInt8] = []
        for _ in 0..<n { guard let l = try r.nextLine() else { break }; out += l + [0x0A] }
        let path = dir + "/corpus.jsonl"
        try Data(out).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func options(_ corpus: String, _ out: String, shards: Int, id: Int? = nil, enc: VectorEncoding = .int8, batch: Int = 16) -> BuildOptions {
        var o = BuildOptions(corpusPath: corpus, outDirectory: dir + "/" + out, shardCount: shards, shardID: id)
        o.encoding = enc
        o.batchSize = batch
        o.vectorRowsPerBlock = 32
        o.textBlockBytes = 4096
        o.quiet = true
        return o
    }

    @discardableResult
    func build(_ o: BuildOptions, dim: Int = 16) throws -> BuildSummary {
        try IndexBuilder(options: o, embedder: HashEmbedder(dimension: dim), environment: [:]).run()
    }

    func files(_ out: String) throws -> [String: Data] {
        let d = dir + "/" + out
        var m: [String: Data] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: d) { m[f] = FileManager.default.contents(atPath: d + "/" + f) }
        return m
    }

    func testRoundTripOfScifactSlice() throws {
        let corpus = try scifactSlice(200)
        try build(options(corpus, "a", shards: 3, enc: .f16))
        let m = try Manifest.load(directory: dir + "/a")
        XCTAssertEqual(m.documents, 200)
        let embedder = HashEmbedder(dimension: 16)
        let reader = try CorpusReader(path: corpus)
        let shards = try (0..<3).map { try ShardReader(path: dir + "/a/" + ShardFormat.fileName(index: $0, count: 3)) }
        var perShardRow = [0, 0, 0]
        while let doc = try reader.next() {
            let s = DocumentKey.shard(of: doc.id, count: 3)
            let r = shards[s]
            // Corpus order within the shard, texts exactly, vectors within f16 error.
            XCTAssertEqual(try r.id(row: perShardRow[s]), doc.id)
            XCTAssertEqual(try r.text(forID: doc.id), doc.combinedText)
            let want = try embedder.embedDocuments([doc.combinedText])
            let got = try r.vector(row: perShardRow[s])
            for j in 0..<16 { XCTAssertEqual(got[j], want[j], accuracy: abs(want[j]) * 0x1p-11 + 1e-7) }
            perShardRow[s] += 1
        }
        XCTAssertEqual(perShardRow.reduce(0, +), 200)
        XCTAssertEqual(try IndexDirectory.verify(dir + "/a").faults.map(\.description), [])
    }

    func testWorkersPerShardEqualOneMachineAndBatchSizeDoesNotMatter() throws {
        let corpus = try scifactSlice(150)
        try build(options(corpus, "one", shards: 3, batch: 7))
        for i in [2, 0, 1] {
            let s = try build(options(corpus, "many", shards: 3, id: i, batch: 64))
            XCTAssertEqual(s.built, [i])
            XCTAssertEqual(s.manifestWritten, i == 1)
        }
        let one = try files("one"), many = try files("many")
        XCTAssertEqual(one.keys.sorted(), ["manifest.json", "shard-0000-of-0003.shard", "shard-0001-of-0003.shard", "shard-0002-of-0003.shard"])
        XCTAssertEqual(one, many)
    }

    func testResumeSkipsFinishedShardsAndRemovesLeftovers() throws {
        let corpus = try scifactSlice(100)
        try build(options(corpus, "fresh", shards: 2))
        try build(options(corpus, "resumed", shards: 2, id: 1))
        let junk = dir + "/resumed/.shard-0000-of-0002.shard.vectors.tmp-99999"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: junk))
        let s = try build(options(corpus, "resumed", shards: 2))
        XCTAssertEqual(s.skipped, [1])
        XCTAssertEqual(s.built, [0])
        XCTAssertTrue(s.manifestWritten)
        XCTAssertFalse(FileManager.default.fileExists(atPath: junk))
        XCTAssertEqual(try files("fresh"), try files("resumed"))
        // A third run has nothing to do and changes nothing.
        let again = try build(options(corpus, "resumed", shards: 2))
        XCTAssertEqual(again.built, [])
        XCTAssertEqual(try files("fresh"), try files("resumed"))
    }

    func testOtherSettingsOrModelAreRefused() throws {
        let corpus = try scifactSlice(40)
        try build(options(corpus, "a", shards: 2, id: 0))
        // Another encoding: the finished shard 0 is refused, named, and left as it was.
        let before = try files("a")
        XCTAssertThrowsError(try build(options(corpus, "a", shards: 2, enc: .f32))) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .mismatch)
            XCTAssertTrue("\(e)".contains("vector encoding f32 vs int8"), "\(e)")
            XCTAssertTrue("\(e)".contains("use a new --out or delete"), "\(e)")
        }
        // Another model.
        XCTAssertThrowsError(try build(options(corpus, "a", shards: 2), dim: 8)) { e in
            XCTAssertTrue("\(e)".contains("model fingerprint"), "\(e)")
        }
        // Another shard count.
        XCTAssertThrowsError(try build(options(corpus, "a", shards: 3))) { e in
            XCTAssertTrue("\(e)".contains("another shard count"), "\(e)")
        }
        XCTAssertEqual(try files("a"), before)
    }

    func testEditedCorpusOfTheSameSizeIsRefusedOnResume() throws {
        let corpus = try scifactSlice(40)
        try build(options(corpus, "a", shards: 2, id: 0))
        let before = try files("a")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: corpus)))
        let i = try XCTUnwrap(bytes.lastIndex(of: UInt8(ascii: "e")))
        bytes[i] = UInt8(ascii: "E")  // one letter of one document's text; same size
        try Data(bytes).write(to: URL(fileURLWithPath: corpus))
        XCTAssertThrowsError(try build(options(corpus, "a", shards: 2, id: 0))) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .mismatch)
            XCTAssertTrue("\(e)".contains("corpus-sha256"), "\(e)")
        }
        XCTAssertEqual(try files("a"), before, "the old shard is left as it was")
    }

    func testCorruptFinishedShardIsNotSkipped() throws {
        let corpus = try scifactSlice(40)
        try build(options(corpus, "a", shards: 1))
        let path = dir + "/a/shard-0000-of-0001.shard"
        var d = try XCTUnwrap(FileManager.default.contents(atPath: path))
        d[d.count / 2] ^= 1
        try d.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try build(options(corpus, "a", shards: 1))) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .corrupt)
            XCTAssertTrue("\(e)".contains("delete it to rebuild it"), "\(e)")
        }
    }

    func testBadInputIsReportedWithLinesAndNothingIsFinished() throws {
        let corpus = try write(
            """
            {"_id": "a", "title": "T", "text": "one"}
            {"_id": "b", "text": "two"
            {"title": "x", "text": "no id"}
            {"_id": "c", "title": "no text"}
            {"_id": "a", "text": "again"}
            {"_id": "", "text": "empty id"}
            {"_id": "d", "title": "", "text": ""}
            {"_id": "e", "text": "five"}

            """, "bad.jsonl")
        var bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: corpus)))
        bytes += Array("{\"_id\": \"f\", \"text\": \"bad \u{E9}\"}\n".utf8)
        bytes[bytes.count - 5] = 0xFF  // breaks the UTF-8 of é on line 9
        try Data(bytes).write(to: URL(fileURLWithPath: corpus))
        let b = IndexBuilder(options: options(corpus, "bad", shards: 2), embedder: HashEmbedder(dimension: 4), environment: [:])
        XCTAssertThrowsError(try b.run()) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .badInput)
            XCTAssertEqual((e as? IndexerError)?.kind.exitCode, 2)
        }
        XCTAssertEqual(b.corpusErrors.map(\.line), [2, 3, 4, 5, 6, 9])
        XCTAssertTrue(b.corpusErrors.allSatisfy { $0.path == corpus })
        XCTAssertTrue(b.corpusErrors[3].message.contains("duplicate document id 'a' (first at line 1)"), b.corpusErrors[3].message)
        XCTAssertTrue(b.corpusErrors[4].message.contains("empty document id"))
        XCTAssertTrue(b.corpusErrors[5].message.contains("UTF-8"), b.corpusErrors[5].message)
        XCTAssertEqual(b.corpusWarnings.count, 1)
        XCTAssertTrue(b.corpusWarnings[0].hasPrefix("\(corpus):7: document 'd' is empty"), b.corpusWarnings[0])
        // No shard, no temporary file, no manifest.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/bad"), [])
    }

    func testEmptyDocumentIsIndexedAndTSVAndGzipWork() throws {
        let tsv = try write("1\tfirst passage\n2\t\n3\tthird passage\n", "c.tsv")
        let s = try build(options(tsv, "t", shards: 1))
        XCTAssertEqual(s.documents, 3)
        let r = try ShardReader(path: dir + "/t/shard-0000-of-0001.shard")
        XCTAssertEqual(try r.allIDs(), ["1", "2", "3"])
        XCTAssertEqual(try r.text(forID: "2"), "")
        XCTAssertEqual(try r.text(forID: "3"), "third passage")

        let corpus = try scifactSlice(30)
        let gz = dir + "/corpus.jsonl.gz"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(corpus)' > '\(gz)'"]
        try p.run()
        p.waitUntilExit()
        try build(options(corpus, "plain", shards: 2))
        try build(options(gz, "gz", shards: 2))
        // Same documents, same shards; only the corpus size in the build settings differs.
        for i in 0..<2 {
            let a = try ShardReader(path: dir + "/plain/" + ShardFormat.fileName(index: i, count: 2))
            let b = try ShardReader(path: dir + "/gz/" + ShardFormat.fileName(index: i, count: 2))
            XCTAssertEqual(try a.allIDs(), try b.allIDs())
            XCTAssertEqual(try (0..<a.vectorBlockCount).map { try a.vectors(block: $0) }, try (0..<b.vectorBlockCount).map { try b.vectors(block: $0) })
        }
    }

    func testWorkerShardFromEnvironmentOnlyOnRequest() throws {
        let env = ["JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "3"]
        XCTAssertNil(try BuildOptions.workerShard(nil, shardCount: 4, environment: env), "scheduler variables are ignored without --shard-id")
        XCTAssertEqual(try BuildOptions.workerShard("2", shardCount: 4, environment: env), 2)
        XCTAssertEqual(try BuildOptions.workerShard("env", shardCount: 4, environment: env), 1)
        XCTAssertEqual(try BuildOptions.workerShard("env", shardCount: 4, environment: ["SLURM_ARRAY_TASK_ID": "3"]), 3)
        XCTAssertEqual(try BuildOptions.workerShard("env", shardCount: nil, environment: ["SLURM_ARRAY_TASK_ID": "7"]), 7)
        XCTAssertThrowsError(try BuildOptions.workerShard("env", shardCount: 4, environment: ["SLURM_ARRAY_TASK_ID": "4"])) { e in
            XCTAssertTrue("\(e)".contains("SLURM_ARRAY_TASK_ID=4 is not a shard of 4"), "\(e)")
        }
        XCTAssertThrowsError(try BuildOptions.workerShard("env", shardCount: 4, environment: ["JOB_COMPLETION_INDEX": "x"]))
        XCTAssertThrowsError(try BuildOptions.workerShard("env", shardCount: 4, environment: [:])) { e in
            XCTAssertTrue("\(e)".contains("neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID"), "\(e)")
        }
        XCTAssertThrowsError(try BuildOptions.workerShard("-1", shardCount: 4, environment: [:]))
    }

    func testReplayOfAnF32IndexGivesTheSameShardsAsTheEmbedder() throws {
        let corpus = try scifactSlice(80)
        try build(options(corpus, "f32", shards: 2, enc: .f32))
        try build(options(corpus, "direct", shards: 2, enc: .int8))
        let replay = try ReplayEmbedder(indexDirectory: dir + "/f32")
        XCTAssertEqual(replay.fingerprint, HashEmbedder(dimension: 16).fingerprint)
        _ = try IndexBuilder(options: options(corpus, "replayed", shards: 2, enc: .int8), embedder: replay, environment: [:]).run()
        XCTAssertEqual(try files("replayed"), try files("direct"))
        XCTAssertThrowsError(try ReplayEmbedder(indexDirectory: dir + "/direct"))
    }
}
