import Formats
import Lexical
import ShardStore
import XCTest

@testable import Indexing

/// `indexer build --lexical`: every shard carries a lexical index of the embedded text, the
/// setting is part of the shard settings (a resumed build with the other choice is refused),
/// and the index searches like an in-memory index of the same texts.
extension IndexBuilderTests {
    func testLexicalBuildResumeRefusalAndSearch() throws {
        let t = self
        let corpus = try t.scifactSlice(120)
        var o = t.options(corpus, "lex", shards: 3)
        o.lexical = true
        try t.build(o)
        let dir = o.outDirectory
        let readers = try (0..<3).map { try ShardReader(path: dir + "/" + ShardFormat.fileName(index: $0, count: 3)) }
        XCTAssertTrue(readers.allSatisfy { $0.hasLexicalIndex })
        XCTAssertTrue(readers.allSatisfy { $0.header.settings.buildSettings.hasSuffix(";" + IndexBuilder.lexicalSetting) })
        let faults = try IndexDirectory.verify(dir, shardChecks: LexicalShardIndex.faults).faults
        XCTAssertTrue(faults.isEmpty, "\(faults)")
        let m = try Manifest.load(directory: dir)
        XCTAssertTrue(m.buildSettings.contains(IndexBuilder.lexicalSetting))

        // The same texts in one in-memory segment give the same scores for every document.
        let docs = try (0..<3).flatMap { s in try (0..<readers[s].count).map { (try readers[s].id(row: $0), try readers[s].text(row: $0)) } }
        let memory = LexicalIndex.build(documents: docs.map { $0.1 })
        let search = try LexicalShardSearch(shards: readers, searched: [0, 1, 2])
        for q in ["cancer risk", "vitamin D deficiency", "the protein of cells"] {
            let got = try search.search(queries: [q], topK: 1000)[0]
            let expected = try memory.search(q, topK: 1000).map { ScoredDocument(id: docs[$0.document].0, score: $0.score) }
                .sorted(by: { $0.precedes($1) })
            XCTAssertFalse(got.isEmpty, q)
            XCTAssertEqual(got, expected, q)
        }

        // Resuming without --lexical (or a dense index with it) is refused, never overwritten.
        let before = try t.files("lex")
        XCTAssertThrowsError(try t.build(t.options(corpus, "lex", shards: 3))) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .mismatch)
            XCTAssertTrue("\(e)".contains("lexical"), "\(e)")
        }
        XCTAssertEqual(try t.files("lex"), before)
        try t.build(t.options(corpus, "dense", shards: 2, id: 0))
        var withLexical = t.options(corpus, "dense", shards: 2)
        withLexical.lexical = true
        XCTAssertThrowsError(try t.build(withLexical)) { e in XCTAssertTrue("\(e)".contains("lexical"), "\(e)") }
        // Without --lexical the shards have no lexical index, and BM25 says so.
        let dense = try ShardReader(path: t.dir + "/dense/" + ShardFormat.fileName(index: 0, count: 2))
        XCTAssertFalse(dense.hasLexicalIndex)
        XCTAssertThrowsError(try LexicalShardIndex(reader: dense)) { e in
            XCTAssertTrue("\(e)".contains(LexicalShardIndex.missingMessage), "\(e)")
        }
    }
}
