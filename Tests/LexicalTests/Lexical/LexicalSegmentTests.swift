import Formats
import TestSupport
import XCTest

@testable import Lexical

final class LexicalSegmentTests: XCTestCase {
    /// Random documents as term lists: a Zipf-ish vocabulary with multi-byte terms, empty
    /// documents, long documents and high term frequencies.
    static func randomDocuments(count: Int, seed: UInt64) -> [[[UInt8]]] {
        var rng = SplitMix(seed: seed)
        let vocabulary: [[UInt8]] =
            (0..<400).map { i in
                let base = ["a", "ab", "abc", "é", "e\u{301}", "ß", "日本", "x", "zz", "😀"][i % 10]
                return Array("\(base)\(i / 10)".utf8)
            } + [[0x61], [0x62]]
        return (0..<count).map { d -> [[UInt8]] in
            if d % 17 == 3 { return [] }
            let length = d % 31 == 0 ? 2000 : Int.random(in: 1...60, using: &rng)
            return (0..<length).map { _ in
                let r = Double.random(in: 0..<1, using: &rng)
                return vocabulary[min(vocabulary.count - 1, Int(r * r * r * Double(vocabulary.count)))]
            }
        }
    }

    func testRoundTripAndPostingsMatchBruteForce() throws {
        let docs = Self.randomDocuments(count: 700, seed: 42)
        var builder = LexicalSegmentBuilder()
        for d in docs { builder.addDocument(terms: d) }
        let segment = builder.finish(blockBytes: 512)  // many small blocks
        XCTAssertGreaterThan(segment.blocks.count, 5)

        // Every part round-trips through its bytes.
        let header = try LexicalSegmentHeader(bytes: segment.header.serialize())
        let lengths = try LexicalDocumentLengths(bytes: segment.documentLengths.serialize())
        let index = try LexicalTermIndex(bytes: segment.termIndex.serialize())
        let blocks = try segment.blocks.map { try LexicalTermBlock(bytes: $0.serialize()) }
        let loaded = try LexicalSegment(header: header, documentLengths: lengths, termIndex: index, blocks: blocks)
        XCTAssertEqual(loaded, segment)

        // Brute-force postings straight from the documents.
        var expected: [[UInt8]: [(Int, UInt32)]] = [:]
        for (d, terms) in docs.enumerated() {
            var counts: [[UInt8]: UInt32] = [:]
            for t in terms { counts[t, default: 0] += 1 }
            for (t, c) in counts { expected[t, default: []].append((d, c)) }
        }
        XCTAssertEqual(loaded.header.termCount, expected.count)
        XCTAssertEqual(loaded.header.documentCount, docs.count)
        XCTAssertEqual(loaded.header.sumTotalTermFrequency, docs.reduce(0) { $0 + $1.count })
        XCTAssertEqual(loaded.header.documentsWithTerms, docs.filter { !$0.isEmpty }.count)
        XCTAssertEqual(loaded.documentLengths.lengths, docs.map { UInt32($0.count) })
        for (term, list) in expected {
            guard let (b, i) = loaded.locate(term) else { XCTFail("missing term"); continue }
            var got: [(Int, UInt32)] = []
            try loaded.blocks[b].forEachPosting(i, maxDocument: docs.count) { got.append(($0, $1)) }
            XCTAssertEqual(got.map { $0.0 }, list.map { $0.0 })
            XCTAssertEqual(got.map { $0.1 }, list.map { $0.1 })
            XCTAssertEqual(Int(loaded.blocks[b].documentFrequencies[i]), list.count)
            XCTAssertEqual(loaded.blocks[b].totalTermFrequencies[i], list.reduce(0) { $0 + UInt64($1.1) })
        }
        // "é" precomposed and "e" + combining acute are different terms, as in Lucene.
        XCTAssertNotNil(loaded.locate(Array("é0".utf8)))
        XCTAssertNotNil(loaded.locate(Array("e\u{301}0".utf8)))
        XCTAssertNil(loaded.locate(Array("nope".utf8)))
        XCTAssertNil(loaded.locate([]))
        // Terms are in strictly increasing byte order across blocks.
        let all = loaded.blocks.flatMap { $0.terms }
        for i in 1..<all.count { XCTAssertTrue(all[i - 1].lexicographicallyPrecedes(all[i])) }
    }

    func testEdgeCases() throws {
        // Empty segment.
        let empty = LexicalSegmentBuilder().finish()
        XCTAssertEqual(empty.blocks.count, 0)
        let e2 = try LexicalSegment(
            header: LexicalSegmentHeader(bytes: empty.header.serialize()),
            documentLengths: LexicalDocumentLengths(bytes: empty.documentLengths.serialize()),
            termIndex: LexicalTermIndex(bytes: empty.termIndex.serialize()), blocks: [])
        XCTAssertEqual(e2, empty)
        // Large gaps and a huge term frequency.
        var b = LexicalSegmentBuilder()
        for _ in 0..<100_000 { b.addDocument(terms: []) }
        b.addDocument(terms: Array(repeating: Array("rare".utf8), count: 70_000))
        let s = b.finish()
        let block = try LexicalTermBlock(bytes: s.blocks[0].serialize())
        var got: [(Int, UInt32)] = []
        try block.forEachPosting(0, maxDocument: 100_001) { got.append(($0, $1)) }
        XCTAssertEqual(got.count, 1)
        XCTAssertEqual(got[0].0, 100_000)
        XCTAssertEqual(got[0].1, 70_000)
        // Postings pointing past the segment are rejected.
        XCTAssertThrowsError(try block.forEachPosting(0, maxDocument: 100) { _, _ in })
    }

    func testCorruptBytesAreRejected() throws {
        var builder = LexicalSegmentBuilder()
        for d in Self.randomDocuments(count: 50, seed: 7) { builder.addDocument(terms: d) }
        let segment = builder.finish()
        let bytes = segment.blocks[0].serialize()
        // Every truncation fails cleanly.
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            XCTAssertThrowsError(try LexicalTermBlock(bytes: Array(bytes[0..<cut])))
        }
        var badMagic = bytes
        badMagic[0] = 0x5A
        XCTAssertThrowsError(try LexicalTermBlock(bytes: badMagic))
        var badVersion = segment.header.serialize()
        badVersion[4] = 9
        XCTAssertThrowsError(try LexicalSegmentHeader(bytes: badVersion))
        XCTAssertThrowsError(try LexicalDocumentLengths(bytes: segment.documentLengths.serialize() + [0]))
        // Parts that disagree are rejected when assembled.
        var header = segment.header
        header.sumTotalTermFrequency += 1
        XCTAssertThrowsError(
            try LexicalSegment(
                header: header, documentLengths: segment.documentLengths,
                termIndex: segment.termIndex, blocks: segment.blocks))
    }
}
