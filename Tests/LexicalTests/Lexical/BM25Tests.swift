import Foundation
import TestSupport
import XCTest

@testable import Lexical

final class BM25Tests: XCTestCase {
    func testSmallFloatNorms() {
        // Exact up to byte 39 (Lucene's BM25 explanation calls larger ones approximate).
        for i in 0...39 { XCTAssertEqual(LuceneSmallFloat.byte4ToInt(LuceneSmallFloat.intToByte4(i)), i) }
        // Worked by hand from SmallFloat: 100 - 24 = 76 = 0b1001100 -> shift 3, mantissa 001 -> byte 33 + 24.
        XCTAssertEqual(LuceneSmallFloat.intToByte4(100), 57)
        XCTAssertEqual(LuceneSmallFloat.byte4ToInt(57), 96)
        XCTAssertEqual(LuceneSmallFloat.intToByte4(Int(Int32.max)), 255)
        XCTAssertEqual(LuceneSmallFloat.byte4ToInt(255), 24 + 15 << 27)
        var previous = -1
        for b in 0...255 {
            let v = LuceneSmallFloat.byte4ToInt(UInt8(b))
            XCTAssertGreaterThan(v, previous)  // strictly increasing
            XCTAssertEqual(Int(LuceneSmallFloat.intToByte4(v)), b)  // representable values round-trip
            previous = v
        }
        for i in stride(from: 0, to: 100_000, by: 7) {
            let decoded = LuceneSmallFloat.byte4ToInt(LuceneSmallFloat.intToByte4(i))
            XCTAssertLessThanOrEqual(decoded, i)  // rounds down
            XCTAssertGreaterThan(decoded * 8 + 8, i)  // within a 4-bit mantissa step
        }
    }

    /// Lucene's idf and the BM25 term score against the textbook formulas, with b = 0 (no length
    /// effect): score = idf * tf / (tf + k1).
    func testFormulas() {
        let stats = LexicalCollectionStatistics(documentsWithTerms: 1000, sumTotalTermFrequency: 50_000)
        let bm = BM25(parameters: BM25Parameters(k1: 0.9, b: 0), statistics: stats)
        for df in [1, 10, 500, 1000] {
            let expected = log(1 + (1000 - Double(df) + 0.5) / (Double(df) + 0.5))
            XCTAssertEqual(Double(bm.idf(documentFrequency: df)), expected, accuracy: 1e-6 * expected)
            for tf: UInt32 in [1, 2, 7, 100] {
                let s = bm.score(weight: bm.weight(documentFrequency: df), termFrequency: tf, norm: 57)
                let t = expected * Double(tf) / (Double(tf) + 0.9)
                XCTAssertEqual(Double(s), t, accuracy: 1e-6 * t)
            }
        }
        XCTAssertEqual(BM25(statistics: stats).averageLength, 50)
        XCTAssertEqual(BM25Parameters(), BM25Parameters(k1: 0.9, b: 0.4))
    }

    /// The searcher's scores and ranking against a brute-force scorer that reads the analyzed
    /// documents directly (no postings, no heap): score(d) = sum over distinct query terms of
    /// count * idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)), dl the decoded norm length.
    func testSearcherMatchesBruteForce() throws {
        var rng = SplitMix(seed: 99)
        let words = [
            "alpha", "beta", "gamma", "delta", "cells", "cell", "protein", "proteins", "the", "of",
            "IL-6", "3.5", "Cancer's", "tumour", "tumours", "β-cells", "rats", "rat", "mice", "dose",
        ]
        let docs: [String] = (0..<400).map { i in
            let n = i % 50 == 0 ? 0 : Int.random(in: 1...(i % 9 == 0 ? 300 : 40), using: &rng)
            return (0..<n).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined(separator: " ")
        }
        let queries = [
            "cell protein", "the of", "tumour tumour rats dose", "IL-6 β-cells 3.5", "cancer", "unknown words",
            "alpha beta gamma delta cells proteins mice",
        ]
        let analyzer = EnglishAnalyzer()
        let analyzed = docs.map { analyzer.analyze($0) }
        var documentFrequency: [String: Int] = [:]
        for terms in analyzed { for t in Set(terms) { documentFrequency[t, default: 0] += 1 } }
        for params in [BM25Parameters(), BM25Parameters(k1: 1.2, b: 0.75), BM25Parameters(k1: 2, b: 1)] {
            let searcher = LexicalIndex.build(documents: docs, shardCount: 1, parameters: params)
            let n = analyzed.filter { !$0.isEmpty }.count
            let avgdl = Double(analyzed.reduce(0) { $0 + $1.count }) / Double(n)
            // Lucene's single-precision steps, written out independently of BM25.swift.
            let avgdlF = Float(avgdl), k1F = params.k1, bF = params.b
            for q in queries {
                var counts: [String: Int] = [:]
                for t in analyzer.analyze(q) { counts[t, default: 0] += 1 }
                var expected: [(Int, Double)] = []
                var expectedLucene: [Int: Float] = [:]
                for (d, terms) in analyzed.enumerated() {
                    let dl = Double(LuceneSmallFloat.byte4ToInt(LuceneSmallFloat.intToByte4(terms.count)))
                    var score = 0.0
                    var luceneSum = 0.0
                    for (t, c) in counts.sorted(by: { $0.key < $1.key }) {
                        let tf = Double(terms.filter { $0 == t }.count)
                        guard tf > 0, let dfInt = documentFrequency[t] else { continue }
                        let df = Double(dfInt)
                        let idf = log(1 + (Double(n) - df + 0.5) / (df + 0.5))
                        let k1 = Double(params.k1), b = Double(params.b)
                        score += Double(c) * idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))
                        let weight = Float(c) * Float(idf)
                        let normInverse = 1 / (k1F * ((1 - bF) + bF * Float(dl) / avgdlF))
                        luceneSum += Double(weight - weight / (1 + Float(tf) * normInverse))
                    }
                    if score > 0 {
                        expected.append((d, score))
                        expectedLucene[d] = Float(luceneSum)
                    }
                }
                let hits = try searcher.search(q, topK: 1000)
                XCTAssertEqual(hits.count, expected.count, q)
                let byDoc = Dictionary(uniqueKeysWithValues: expected)
                for h in hits {
                    guard let e = byDoc[h.document] else { XCTFail("unexpected doc \(h.document) for \(q)"); continue }
                    XCTAssertEqual(Double(h.score), e, accuracy: 1e-6 * e, q)  // textbook BM25 in double
                    XCTAssertEqual(h.score, expectedLucene[h.document], q)  // Lucene's float steps: exact
                }
                // Ranking rule: score descending, then document ascending.
                for i in 1..<max(1, hits.count) {
                    XCTAssertTrue(LexicalHit.ranksBefore(hits[i - 1], hits[i]), q)
                }
                // Top-k is a prefix of the full ranking.
                XCTAssertEqual(try searcher.search(q, topK: 5), Array(hits.prefix(5)), q)
            }
        }
    }

    /// One segment and four segments give identical hits, bit for bit, and per-shard statistics
    /// sum to the single-shard ones.
    func testShardedEqualsSingle() throws {
        let docs = LexicalSegmentTests.randomDocuments(count: 900, seed: 5)
            .map { $0.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ") }
        let one = LexicalIndex.build(documents: docs, shardCount: 1)
        let four = LexicalIndex.build(documents: docs, shardCount: 4)
        XCTAssertEqual(four.segments.count, 4)
        XCTAssertEqual(one.bm25.statistics, four.bm25.statistics)
        XCTAssertEqual(
            one.bm25.statistics,
            four.segments.map { LexicalCollectionStatistics(headers: [$0.header]) }.reduce(
                LexicalCollectionStatistics(documentsWithTerms: 0, sumTotalTermFrequency: 0), +))
        XCTAssertEqual(one.bm25.averageLength, four.bm25.averageLength)
        let queries = ["a0 ab1", "日本3 é0", "x5 x5 zz9 a", "😀2", "abc10 abc11 abc12 e\u{301}1", "b"]
        for q in queries {
            let query = LexicalQuery(q, analyzer: one.analyzer)
            for t in query.terms { XCTAssertEqual(one.documentFrequency(t), four.documentFrequency(t)) }
            let a = try one.search(q, topK: 100), b = try four.search(q, topK: 100)
            XCTAssertFalse(a.isEmpty, q)
            XCTAssertEqual(a, b, q)
            XCTAssertEqual(a.map { $0.score.bitPattern }, b.map { $0.score.bitPattern }, q)
        }
        XCTAssertEqual(try one.search(queries: queries, topK: 10), try four.search(queries: queries, topK: 10))
        // Any thread count gives the same results.
        XCTAssertEqual(
            try four.search(queries: queries + queries, topK: 50, threads: 3),
            try four.search(queries: queries + queries, topK: 50, threads: 1))
    }

    func testQueryTermsCountOncePerDistinctTermWithBoost() {
        let q = LexicalQuery("Cells cell CELL's the proteins", analyzer: EnglishAnalyzer())
        XCTAssertEqual(q.terms.map { String(decoding: $0, as: UTF8.self) }, ["cell", "protein"])
        XCTAssertEqual(q.counts, [3, 1])
    }
}
