import Formats
import TestSupport
import XCTest

@testable import ShardStore

final class ShardFileTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("shardstore")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    struct Doc { var id: String; var text: String; var vector: [Float] }

    static func docs(_ n: Int, dim: Int, seed: UInt64 = 3) -> [Doc] {
        var rng = SplitMix(seed: seed)
        let words = ["alpha", "β-blocker", "naïve", "日本語", "protein", "", "emoji 🧬", "tab\tand\nnewline"]
        return (0..<n).map { i in
            let text = (0..<(Int(rng.next() % 12))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            return Doc(id: "doc-\(i * 7 + 1)", text: text, vector: (0..<dim).map { _ in rng.float() * 2 - 1 })
        }
    }

    func settings(
        _ enc: VectorEncoding = .f32, _ codec: BlockCodec = .zstd, dim: Int = 8, rows: Int = 7,
        textBytes: Int = 120, index: Int = 0, count: Int = 1
    ) -> ShardSettings {
        ShardSettings(
            shardIndex: index, shardCount: count, dimension: dim, encoding: enc, codec: codec, level: 3,
            vectorRowsPerBlock: rows, textBlockBytes: textBytes, modelFingerprint: "test-model", buildSettings: "k=v")
    }

    @discardableResult
    func write(_ docs: [Doc], _ s: ShardSettings, name: String = "a.shard") throws -> String {
        let path = dir + "/" + name
        let w = try ShardWriter(path: path, settings: s)
        for d in docs { try w.append(id: d.id, text: d.text, vector: d.vector) }
        try w.finish()
        return path
    }

    func testRoundTripEveryEncodingAndCodec() throws {
        let dim = 8
        let docs = Self.docs(45, dim: dim)
        for enc in VectorEncoding.allCases {
            for codec in BlockCodec.allCases {
                let path = try write(docs, settings(enc, codec, dim: dim), name: "\(enc)-\(codec).shard")
                let r = try ShardReader(path: path)
                XCTAssertEqual(r.count, docs.count)
                XCTAssertEqual(r.header.settings, settings(enc, codec, dim: dim))
                XCTAssertEqual(r.vectorBlockCount, 7)  // 45 rows in blocks of 7
                XCTAssertEqual(r.verify().map(\.description), [])
                var row = 0
                for b in 0..<r.vectorBlockCount {
                    let v = try r.vectors(block: b)
                    XCTAssertEqual(r.rows(ofVectorBlock: b).lowerBound, row)
                    for i in 0..<(v.count / dim) {
                        let want = docs[row + i].vector
                        let maxabs = want.map { abs($0) }.max()!
                        for j in 0..<dim {
                            let tol: Float = enc == .f32 ? 0 : enc == .f16 ? abs(want[j]) * 0x1p-11 + 0x1p-24 : maxabs / 254 * 1.0001
                            XCTAssertLessThanOrEqual(abs(v[i * dim + j] - want[j]), tol, "\(enc) row \(row + i)")
                        }
                    }
                    row += v.count / dim
                }
                XCTAssertEqual(row, docs.count)
                for (i, d) in docs.enumerated() {
                    XCTAssertEqual(try r.id(row: i), d.id)
                    XCTAssertEqual(try r.text(row: i), d.text)
                }
                // Random access by id, in an order that jumps between blocks.
                for i in stride(from: docs.count - 1, through: 0, by: -4) {
                    XCTAssertEqual(try r.row(forID: docs[i].id), i)
                    XCTAssertEqual(try r.text(forID: docs[i].id), docs[i].text)
                }
                XCTAssertNil(try r.row(forID: "doc-2"))
                XCTAssertNil(try r.text(forID: ""))
                XCTAssertEqual(try r.allIDs(), docs.map(\.id))
                if enc == .int8 {
                    let (codes, scales) = try r.int8Block(0)
                    XCTAssertEqual(codes.count, 7 * dim)
                    XCTAssertEqual(scales[0], docs[0].vector.map { abs($0) }.max()! / 127)
                    let deq = try r.vectors(block: 0)
                    XCTAssertEqual(deq[3], Float(codes[3]) * scales[0])
                }
            }
        }
    }

    func testEmptyShard() throws {
        let r = try ShardReader(path: try write([], settings()))
        XCTAssertEqual(r.count, 0)
        XCTAssertEqual(r.vectorBlockCount, 0)
        XCTAssertNil(try r.row(forID: "x"))
        XCTAssertTrue(r.verify().isEmpty)
    }

    func testSameInputSameBytes() throws {
        let docs = Self.docs(30, dim: 8)
        let a = try write(docs, settings(.int8), name: "a.shard")
        let b = try write(docs, settings(.int8), name: "b.shard")
        XCTAssertEqual(FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: b))
    }

    func testNoTemporaryFilesAndAbandonLeavesNothing() throws {
        try write(Self.docs(10, dim: 8), settings())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["a.shard"])
        let w = try ShardWriter(path: dir + "/b.shard", settings: settings())
        try w.append(id: "x", text: "y", vector: [Float](repeating: 0.5, count: 8))
        XCTAssertGreaterThan(try FileManager.default.contentsOfDirectory(atPath: dir).count, 1)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: dir).contains { ShardWriter.isTemporary(fileName: $0, of: "b.shard") })
        w.abandon()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["a.shard"])
    }

    func testEveryFlippedByteIsCaught() throws {
        // Every byte of a small shard is covered by some checksum or structural check: flipping
        // any one of them makes either the reader refuse the file or verify() report a fault.
        let path = try write(Self.docs(8, dim: 3), settings(.int8, .zstd, dim: 3, rows: 3, textBytes: 40))
        let good = try XCTUnwrap(FileManager.default.contents(atPath: path))
        XCTAssertGreaterThan(good.count, 300)
        let bad = dir + "/flipped.shard"
        var missed: [Int] = []
        for i in 0..<good.count {
            var d = good
            d[i] ^= 0x01
            try d.write(to: URL(fileURLWithPath: bad))
            do {
                let r = try ShardReader(path: bad)
                if r.verify().isEmpty { missed.append(i) }
            } catch let e as IndexerError {
                XCTAssertTrue([.corrupt, .mismatch].contains(e.kind), "byte \(i): \(e)")
            }
        }
        XCTAssertEqual(missed, [], "flips not caught at byte offsets \(missed)")
    }

    func testFlippedBlockByteCaughtByReaderOnRead() throws {
        let docs = Self.docs(20, dim: 8)
        let path = try write(docs, settings(.f32, .lz4, dim: 8, rows: 10))
        let r0 = try ShardReader(path: path)
        let e = r0.vectorBlocks[1]
        var d = try XCTUnwrap(FileManager.default.contents(atPath: path))
        d[e.offset + e.storedLength / 2] ^= 0x40
        try d.write(to: URL(fileURLWithPath: path))
        let r = try ShardReader(path: path)  // header, footer and directories are intact
        XCTAssertNoThrow(try r.vectors(block: 0))
        XCTAssertThrowsError(try r.vectors(block: 1)) { err in
            XCTAssertEqual((err as? IndexerError)?.kind, .corrupt)
            XCTAssertTrue("\(err)".contains("checksum mismatch"), "\(err)")
        }
    }

    func testTruncatedFileIsUnfinished() throws {
        let path = try write(Self.docs(20, dim: 8), settings())
        let d = try XCTUnwrap(FileManager.default.contents(atPath: path))
        try d.prefix(d.count - 5).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ShardReader(path: path)) { err in
            XCTAssertTrue("\(err)".contains("unfinished or truncated"), "\(err)")
        }
    }

    func testUnknownVersionIsRefusedClearly() throws {
        let path = try write(Self.docs(3, dim: 8), settings())
        var d = try XCTUnwrap(FileManager.default.contents(atPath: path))
        d[8] = 2  // version 2, checksum left alone: the version check comes first and says so
        try d.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ShardReader(path: path)) { err in
            XCTAssertEqual((err as? IndexerError)?.kind, .mismatch)
            XCTAssertTrue("\(err)".contains("version 2 is not supported"), "\(err)")
        }
    }

    func testDocumentKeyAndShardRule() {
        // SHA-256("abc") = ba7816bf8f01cfea... (FIPS 180-4), so the key is its first 8 bytes.
        XCTAssertEqual(DocumentKey.key("abc"), 0xBA78_16BF_8F01_CFEA)
        XCTAssertEqual(DocumentKey.shard(of: "abc", count: 1), 0)
        XCTAssertEqual(DocumentKey.shard(of: "abc", count: 7), Int(UInt64(0xBA78_16BF_8F01_CFEA) % 7))
        // The rule spreads ids roughly evenly.
        var counts = [0, 0, 0, 0]
        for i in 0..<4000 { counts[DocumentKey.shard(of: String(i), count: 4)] += 1 }
        for c in counts { XCTAssertGreaterThan(c, 850) }
    }
}
