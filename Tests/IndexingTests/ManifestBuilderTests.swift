import Formats
import Inference
import ShardStore
import XCTest

@testable import Indexing

/// The manifest's `builder` field: written by a build, shown by inspect, optional on read (an
/// index built before it still opens), and never a reason to rewrite an old manifest.
final class ManifestBuilderTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "builder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Builds 30 small documents into `DIR/index` (2 shards) with the hash embedder.
    func build() throws {
        let corpus = dir + "/corpus.jsonl"
        let lines = (0..<30).map { #"{"_id": "d\#($0)", "text": "text of document \#($0)"}"# }
        try (lines.joined(separator: "\n") + "\n").write(toFile: corpus, atomically: true, encoding: .utf8)
        var o = BuildOptions(corpusPath: corpus, outDirectory: dir + "/index", shardCount: 2, shardID: nil)
        o.quiet = true
        _ = try IndexBuilder(options: o, embedder: HashEmbedder(dimension: 8), environment: [:]).run()
    }

    var manifestPath: String { dir + "/index/" + Manifest.fileName }

    func testBuildRecordsTheBuilderAndInspectShowsIt() throws {
        try build()
        let m = try Manifest.load(directory: dir + "/index")
        XCTAssertEqual(m.builder, "indexer \(IndexerVersion.current)")
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        XCTAssertTrue(text.contains(#""builder" : "indexer \#(IndexerVersion.current)""#), text)
        XCTAssertTrue(try IndexDirectory.inspect(dir + "/index").contains("\nbuilder indexer \(IndexerVersion.current)\n"))
    }

    func testAManifestWithoutABuilderOpensAndIsKeptByARebuild() throws {
        try build()
        // The manifest as indexer 0.2 wrote it: the same keys but "builder".
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
        XCTAssertNotNil(json.removeValue(forKey: "builder"))
        var old = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        old.append(0x0A)
        try old.write(to: URL(fileURLWithPath: manifestPath))

        let m = try Manifest.load(directory: dir + "/index")
        XCTAssertNil(m.builder)
        XCTAssertEqual(try IndexDirectory.verify(dir + "/index").faults.map(\.description), [])
        XCTAssertTrue(try IndexDirectory.inspect(dir + "/index").contains("\nbuilder unknown (written before manifests named their builder)\n"))
        XCTAssertTrue(try Manifest.make(directory: dir + "/index", shardCount: 2).sameIndex(as: m))
        // Building again finds every shard finished: the old manifest keeps its bytes, so the
        // fingerprints of job steps that read it do not change.
        try build()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: manifestPath)), old)
    }
}
