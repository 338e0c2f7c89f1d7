import Formats
import TestSupport
import XCTest

@testable import ShardStore

final class ManifestTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("manifest")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    func buildIndex(shards n: Int) throws -> [ShardFileTests.Doc] {
        let docs = ShardFileTests.docs(60, dim: 6)
        for i in 0..<n {
            let s = ShardSettings(
                shardIndex: i, shardCount: n, dimension: 6, encoding: .int8, codec: .zstd,
                vectorRowsPerBlock: 8, textBlockBytes: 100, modelFingerprint: "m", buildSettings: "")
            let w = try ShardWriter(path: dir + "/" + ShardFormat.fileName(index: i, count: n), settings: s)
            for d in docs where DocumentKey.shard(of: d.id, count: n) == i { try w.append(id: d.id, text: d.text, vector: d.vector) }
            try w.finish()
        }
        try Manifest.make(directory: dir, shardCount: n).write(directory: dir)
        return docs
    }

    func testManifestVerifyInspect() throws {
        let docs = try buildIndex(shards: 3)
        let m = try Manifest.load(directory: dir)
        XCTAssertEqual(m.documents, docs.count)
        XCTAssertEqual(m.shards.map(\.file), ["shard-0000-of-0003.shard", "shard-0001-of-0003.shard", "shard-0002-of-0003.shard"])
        for s in m.shards {
            let path = dir + "/" + s.file
            XCTAssertEqual(s.bytes, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            XCTAssertEqual(s.sha256, SHA256.hex([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path)))))
        }
        // Making it again gives the same bytes (no timestamps).
        XCTAssertEqual(try Manifest.make(directory: dir, shardCount: 3).encoded(), try m.encoded())
        let report = try IndexDirectory.verify(dir)
        XCTAssertEqual(report.faults.map(\.description), [])
        XCTAssertEqual(report.documents, docs.count)
        let text = try IndexDirectory.inspect(dir)
        XCTAssertTrue(text.contains("documents 60  shards 3"), text)
        XCTAssertTrue(text.contains("vectors"), text)
    }

    func testVerifyFindsAFlippedByte() throws {
        _ = try buildIndex(shards: 2)
        let path = dir + "/shard-0001-of-0002.shard"
        var d = try XCTUnwrap(FileManager.default.contents(atPath: path))
        d[d.count / 3] ^= 0x10
        try d.write(to: URL(fileURLWithPath: path))
        let report = try IndexDirectory.verify(dir)
        XCTAssertFalse(report.faults.isEmpty)
        XCTAssertTrue(report.faults.contains { $0.path == path }, "\(report.faults)")
    }

    func testMixedSettingsAreRefused() throws {
        _ = try buildIndex(shards: 2)
        let s = ShardSettings(
            shardIndex: 1, shardCount: 2, dimension: 6, encoding: .f16, codec: .zstd,
            vectorRowsPerBlock: 8, textBlockBytes: 100, modelFingerprint: "m", buildSettings: "")
        let w = try ShardWriter(path: dir + "/shard-0001-of-0002.shard", settings: s)
        try w.finish()
        XCTAssertThrowsError(try Manifest.make(directory: dir, shardCount: 2)) { err in
            XCTAssertTrue("\(err)".contains("vector encoding f16 vs int8"), "\(err)")
        }
        XCTAssertFalse(try IndexDirectory.verify(dir).faults.isEmpty)
    }

    /// verify and OpenIndex apply one set of rules: each fault that stops `open` is among
    /// verify's, word for word (swapped shards, an edited document total).
    func testVerifyAndOpenIndexAgree() throws {
        _ = try buildIndex(shards: 2)
        let a = dir + "/shard-0000-of-0002.shard", b = dir + "/shard-0001-of-0002.shard"
        let da = try XCTUnwrap(FileManager.default.contents(atPath: a)), db = try XCTUnwrap(FileManager.default.contents(atPath: b))
        try db.write(to: URL(fileURLWithPath: a))
        try da.write(to: URL(fileURLWithPath: b))
        var m = try Manifest.load(directory: dir)
        for i in m.shards.indices { m.shards[i].bytes = [db.count, da.count][i] }
        try m.write(directory: dir)
        for edit in [false, true] {
            if edit {
                m.documents += 1
                try m.write(directory: dir)
            }
            var opened: Error?
            XCTAssertThrowsError(try OpenIndex.open(dir)) { opened = $0 }
            let message = try XCTUnwrap(opened as? IndexerError).description
            XCTAssertTrue(message.contains(edit ? "its total says" : "swapped"), message)
            let faults = try IndexDirectory.verify(dir).faults.map(\.description)
            XCTAssertTrue(faults.contains(message), "\(message) not in \(faults)")
        }
    }
}
