import Formats
import Foundation
import ShardStore
import TestSupport
import XCTest

@testable import Lexical

/// BM25 over lexical indexes stored in shard files: equal to a brute-force scorer, the same for
/// 1 and 4 shards, and per-shard searches (global statistics) merge into the full run.
final class LexicalShardSearchTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("lexical-shards")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    /// Documents with ids; every 25th repeats the text of the one before (exact score ties
    /// that only the id order breaks).
    static func corpus(_ n: Int = 600) -> [(id: String, text: String)] {
        var rng = SplitMix(seed: 11)
        let words = [
            "cell", "cells", "protein", "proteins", "the", "of", "IL-6", "3.5", "Cancer's", "tumour", "tumours",
            "β-cells", "rats", "rat", "mice", "dose", "gene", "expression", "risk", "trial", "naïve", "日本",
        ]
        var out: [(String, String)] = []
        for i in 0..<n {
            let id = "d\((i * 7919) % 100_003)"
            if i % 25 == 24 { out.append((id, out[i - 1].1)); continue }
            let len = i % 40 == 0 ? 0 : Int.random(in: 1...(i % 11 == 0 ? 200 : 30), using: &rng)
            out.append((id, (0..<len).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined(separator: " ")))
        }
        return out
    }

    static let queries = [
        "cell protein", "the of", "tumour tumour rats dose", "IL-6 β-cells 3.5", "cancer", "unknown words",
        "gene expression risk trial naïve 日本 mice", "cells",
    ]

    /// Writes `docs` into `shards` shard files by the sharding rule, with lexical indexes.
    func writeIndex(_ docs: [(id: String, text: String)], shards: Int, name: String, lexical: Bool = true) throws -> [ShardReader] {
        var writers: [ShardWriter] = []
        var builders: [LexicalSegmentBuilder] = []
        let analyzer = EnglishAnalyzer()
        for i in 0..<shards {
            let s = ShardSettings(
                shardIndex: i, shardCount: shards, dimension: 2, encoding: .f32, codec: .zstd,
                modelFingerprint: "test", buildSettings: "")
            writers.append(try ShardWriter(path: "\(dir)/\(name)/" + ShardFormat.fileName(index: i, count: shards), settings: s))
            builders.append(LexicalSegmentBuilder())
        }
        for d in docs {
            let s = DocumentKey.shard(of: d.id, count: shards)
            try writers[s].append(id: d.id, text: d.text, vector: [0, 1])
            builders[s].addDocument(text: d.text, analyzer: analyzer)
        }
        for i in 0..<shards {
            // Small term blocks, so that several blocks a shard are exercised.
            if lexical { try builders[i].finish(blockBytes: 64).write(to: writers[i]) }
            try writers[i].finish()
        }
        return try writers.map { try ShardReader(path: $0.path) }
    }

    /// BM25 as Lucene computes it, written out from the definition over the analysed texts:
    /// every document scored, sorted by score descending then id ascending (UTF-8 bytes).
    static func bruteForce(_ docs: [(id: String, text: String)], query: String, k1: Float = 0.9, b: Float = 0.4) -> [ScoredDocument] {
        let analyzer = EnglishAnalyzer()
        let analysed = docs.map { analyzer.analyze($0.text) }
        var df: [String: Int] = [:]
        for terms in analysed { for t in Set(terms) { df[t, default: 0] += 1 } }
        let n = analysed.filter { !$0.isEmpty }.count
        let avgdl = Float(Double(analysed.reduce(0) { $0 + $1.count }) / Double(n))
        // Lucene's norm: lengths up to 23 exact, then the largest value with 4 significant bits
        // (after subtracting 24) that does not exceed the length.
        func normLength(_ l: Int) -> Float {
            if l < 24 { return Float(l) }
            let v = l - 24
            let bits = Int.bitWidth - v.leadingZeroBitCount
            let kept = bits <= 4 ? v : (v >> (bits - 4)) << (bits - 4)
            return Float(24 + kept)
        }
        var counts: [(String, Int)] = []
        for t in analyzer.analyze(query) {
            if let i = counts.firstIndex(where: { $0.0 == t }) { counts[i].1 += 1 } else { counts.append((t, 1)) }
        }
        var out: [ScoredDocument] = []
        for (d, terms) in analysed.enumerated() {
            var sum = 0.0
            var matched = false
            for (t, c) in counts {
                let tf = terms.filter { $0 == t }.count
                guard tf > 0, let f = df[t] else { continue }
                matched = true
                let idf = Float(log(1 + (Double(n) - Double(f) + 0.5) / (Double(f) + 0.5)))
                let w = Float(c) * idf
                let inv: Float = 1 / (k1 * ((1 - b) + b * normLength(terms.count) / avgdl))
                sum += Double(w - w / (1 + Float(tf) * inv))
            }
            if matched { out.append(ScoredDocument(id: docs[d].id, score: Float(sum))) }
        }
        return out.sorted(by: { $0.precedes($1) })
    }

    func testScoresEqualBruteForceAndOneShardEqualsFour() throws {
        let docs = Self.corpus()
        let one = try LexicalShardSearch(shards: try writeIndex(docs, shards: 1, name: "one"), searched: [0])
        let readers = try writeIndex(docs, shards: 4, name: "four")
        XCTAssertTrue(readers.allSatisfy { $0.hasLexicalIndex && $0.count > 0 })
        let four = try LexicalShardSearch(shards: readers, searched: [0, 1, 2, 3])
        XCTAssertEqual(one.statistics, four.statistics)
        for k in [1, 10, 1000] {
            let a = try one.search(queries: Self.queries, topK: k)
            let b = try four.search(queries: Self.queries, topK: k, threads: 3)
            XCTAssertEqual(a, b, "k=\(k)")
            for (q, got) in zip(Self.queries, b) {
                let expected = Array(Self.bruteForce(docs, query: q).prefix(k))
                XCTAssertEqual(got.map(\.id), expected.map(\.id), "\(q) k=\(k)")
                XCTAssertEqual(got.map(\.score.bitPattern), expected.map(\.score.bitPattern), "\(q) k=\(k)")
            }
        }
        // Ties exist and are broken by id: the duplicated texts score equally.
        let full = try four.search(queries: ["cell protein"], topK: 1000)[0]
        XCTAssertTrue(zip(full, full.dropFirst()).contains { $0.score == $1.score })
        // Other parameters reach the scorer.
        let tuned = try LexicalShardSearch(shards: readers, searched: [0, 1, 2, 3], parameters: BM25Parameters(k1: 1.2, b: 0.75))
        let q = "tumour tumour rats dose"
        XCTAssertEqual(try tuned.search(queries: [q], topK: 50)[0], Array(Self.bruteForce(docs, query: q, k1: 1.2, b: 0.75).prefix(50)))
    }

    /// A worker that searches one shard (`--shard-id`) uses the statistics of all shards, so the
    /// per-shard top k merged by (score desc, id asc) is the single-machine top k.
    func testPartialSearchesMergeIntoTheFullRun() throws {
        let readers = try writeIndex(Self.corpus(), shards: 4, name: "four")
        let full = try LexicalShardSearch(shards: readers, searched: [0, 1, 2, 3]).search(queries: Self.queries, topK: 10)
        let partials = try (0..<4).map { try LexicalShardSearch(shards: readers, searched: [$0]).search(queries: Self.queries, topK: 10) }
        for q in Self.queries.indices {
            let merged = partials.flatMap { $0[q] }.sorted(by: { $0.precedes($1) }).prefix(10)
            XCTAssertEqual(Array(merged), full[q], Self.queries[q])
            XCTAssertEqual(merged.map(\.score.bitPattern), full[q].map(\.score.bitPattern))
        }
    }

    func testShardWithoutLexicalIndexIsAClearError() throws {
        let readers = try writeIndex(Self.corpus(20), shards: 1, name: "dense", lexical: false)
        XCTAssertFalse(readers[0].hasLexicalIndex)
        XCTAssertTrue(LexicalShardIndex.faults(readers[0]).isEmpty, "\(LexicalShardIndex.faults(readers[0]))")
        XCTAssertThrowsError(try LexicalShardSearch(shards: readers, searched: [0])) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .mismatch)
            XCTAssertTrue("\(e)".contains("index built without --lexical: rebuild with --lexical"), "\(e)")
        }
    }

    func testVerifyFindsStructuralFaultsThatChecksumsCannot() throws {
        let readers = try writeIndex(Self.corpus(50), shards: 1, name: "good")
        XCTAssertTrue(LexicalShardIndex.faults(readers[0]).isEmpty, "\(LexicalShardIndex.faults(readers[0]))")
        // A lexical block with valid checksums but a header that disagrees with the shard.
        let s = ShardSettings(shardIndex: 0, shardCount: 1, dimension: 2, encoding: .f32, codec: .lz4, modelFingerprint: "t")
        let w = try ShardWriter(path: dir + "/bad.shard", settings: s)
        try w.append(id: "a", text: "cell", vector: [0, 1])
        var b = LexicalSegmentBuilder()
        b.addDocument(text: "cell", analyzer: EnglishAnalyzer())
        b.addDocument(text: "protein", analyzer: EnglishAnalyzer())
        let seg = b.finish()
        try w.appendLexicalBlock(seg.header.serialize(), items: 1)
        try w.appendLexicalBlock(seg.documentLengths.serialize(), items: 1)
        try w.appendLexicalBlock(seg.termIndex.serialize(), items: 1)
        for block in seg.blocks { try w.appendLexicalBlock(block.serialize(), items: block.terms.count) }
        try w.finish()
        let r = try ShardReader(path: dir + "/bad.shard")
        XCTAssertTrue(r.verify().isEmpty, "\(r.verify())")
        let faults = LexicalShardIndex.faults(r)
        XCTAssertEqual(faults.count, 1)
        XCTAssertTrue("\(faults)".contains("lexical index covers 2 documents, the shard holds 1"), "\(faults)")
    }
}
