import Formats
import TestSupport
import XCTest

@testable import ShardStore

/// The optional lexical sections: stored as opaque compressed blocks, read back exactly,
/// covered by checksums, and absent (not an error) in shards built without them.
final class LexicalSectionTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("shardstore-lex")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    func settings(_ codec: BlockCodec) -> ShardSettings {
        ShardSettings(
            shardIndex: 0, shardCount: 1, dimension: 3, encoding: .int8, codec: codec, level: 3,
            vectorRowsPerBlock: 3, textBlockBytes: 40, modelFingerprint: "test-model", buildSettings: "k=v")
    }

    static func docs() -> [ShardFileTests.Doc] { ShardFileTests.docs(4, dim: 3) }

    func write(lexical: Bool, _ codec: BlockCodec, name: String) throws -> String {
        let path = dir + "/" + name
        let w = try ShardWriter(path: path, settings: settings(codec))
        for d in Self.docs() { try w.append(id: d.id, text: d.text, vector: d.vector) }
        if lexical { for (i, b) in lexicalBlocks().enumerated() { try w.appendLexicalBlock(b, items: i < 3 ? 1 : 10 + i) } }
        try w.finish()
        return path
    }

    func lexicalBlocks() -> [[UInt8]] {
        [Array("header".utf8), [UInt8](repeating: 7, count: 40), Array("index".utf8), (0..<30).map { UInt8($0 % 13) }, [1, 2, 3]]
    }

    func testLexicalBlocksRoundTripWithEveryCodec() throws {
        for codec in [BlockCodec.zstd, .lz4, .none] {
            let r = try ShardReader(path: try write(lexical: true, codec, name: "\(codec).shard"))
            XCTAssertTrue(r.hasLexicalIndex)
            XCTAssertEqual(r.lexicalBlockCount, 5)
            for (i, b) in lexicalBlocks().enumerated() {
                XCTAssertEqual(try r.lexicalBlock(i), b)
                XCTAssertEqual(r.lexicalBlockItems(i), i < 3 ? 1 : 10 + i)
            }
            XCTAssertTrue(r.verify().isEmpty, "\(r.verify())")
            XCTAssertTrue(r.sectionStats().contains { $0.name == "lexical" && $0.blocks == 5 && $0.rawBytes == 40 + 6 + 5 + 30 + 3 })
            // The dense part is untouched by the extra sections.
            XCTAssertEqual(try r.allIDs(), Self.docs().map(\.id))
        }
        let plain = try ShardReader(path: try write(lexical: false, .zstd, name: "plain.shard"))
        XCTAssertFalse(plain.hasLexicalIndex)
        XCTAssertEqual(plain.lexicalBlockCount, 0)
        XCTAssertFalse(plain.sectionStats().contains { $0.name == "lexical" })
    }

    func testEveryFlippedByteOfAShardWithLexicalBlocksIsCaught() throws {
        let path = try write(lexical: true, .zstd, name: "lex.shard")
        let good = try XCTUnwrap(FileManager.default.contents(atPath: path))
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
}
