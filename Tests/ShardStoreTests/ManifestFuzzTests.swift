import Formats
import Foundation
import TestSupport
import XCTest

@testable import ShardStore

/// Seeded mutations of a real manifest (issue #13): `OpenIndex.open` refuses each with an
/// IndexerError or opens the same index; it never crashes or opens a part of the index.
extension ManifestTests {
    func testMutatedManifestsAreRefusedOrMeanTheSameIndex() throws {
        let docs = try buildIndex(shards: 3)
        let path = dir + "/" + Manifest.fileName
        let valid = try Manifest.load(directory: dir)
        var m = Mutations(of: Array(try Data(contentsOf: URL(fileURLWithPath: path))), seed: 11)
        var refused = 0
        for _ in 0..<2000 {
            let (bytes, what) = m.next()
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let index = try OpenIndex.open(dir)
                // Only the SHA-256 values may differ unnoticed: `indexer verify` reads whole files for them;
                // and the builder, which only says which indexer wrote the manifest.
                var opened = index.manifest, expected = valid
                for i in opened.shards.indices { opened.shards[i].sha256 = ""; expected.shards[i].sha256 = "" }
                XCTAssertTrue(opened.sameIndex(as: expected), what)
                opened.builder = nil
                expected.builder = nil
                XCTAssertEqual(opened, expected, what)
                XCTAssertEqual(index.orderedReaders.reduce(0) { $0 + $1.count }, docs.count, what)
            } catch let e as IndexerError {
                refused += 1
                XCTAssertFalse(e.description.contains("DecodingError") || e.description.contains("Debug description"), "\(what): \(e)")
            }
        }
        XCTAssertGreaterThan(refused, 1000)
    }
}
