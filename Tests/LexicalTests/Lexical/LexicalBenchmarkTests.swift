import Formats
import Foundation
import ShardStore
import XCTest

@testable import Lexical

/// Throughput and size figures for the README; runs only with LEXICAL_BENCH=1 (use
/// scripts/bench-lexical, which builds in release). Asserts nothing about timing.
final class LexicalBenchmarkTests: XCTestCase {
    func testSciFactThroughputAndSize() throws {
        guard ProcessInfo.processInfo.environment["LEXICAL_BENCH"] != nil else {
            throw XCTSkip("set LEXICAL_BENCH=1 (scripts/bench-lexical)")
        }
        let c = try BEIRCollection.load("scifact")
        let allQueries = try QueryTexts.all(dataset: "scifact")
        let analyzer = EnglishAnalyzer()
        let clock = ContinuousClock()

        var builder = LexicalSegmentBuilder()
        let buildTime = clock.measure {
            for d in c.documents { builder.addDocument(text: d, analyzer: analyzer) }
        }
        let segment = builder.finish()
        var tokenCount = 0
        let tokenizeTime = clock.measure {
            for d in c.documents {
                let scalars = d.unicodeScalars.map { $0.value }
                StandardTokenizer.forEachToken(scalars) { _ in tokenCount += 1 }
            }
        }
        let analyzeDocsTime = clock.measure {
            for d in c.documents { analyzer.forEachTerm(d) { _ in tokenCount += 1 } }
        }
        let parts =
            [segment.header.serialize(), segment.documentLengths.serialize(), segment.termIndex.serialize()]
            + segment.blocks.map { $0.serialize() }
        let raw = parts.reduce(0) { $0 + $1.count }
        let zstd = try parts.reduce(0) { $0 + (try BlockCodec.zstd.compress($1, level: BlockCodec.defaultLevel)).count }
        let tokens = segment.header.sumTotalTermFrequency
        let searcher = LexicalSearcher(segments: [segment])
        var scratch = LexicalSearcher.Scratch()
        let queries = allQueries.map { LexicalQuery($0, analyzer: analyzer) }
        let rounds = 5
        var hits = 0
        let t1000 = clock.measure {
            for _ in 0..<rounds { for q in queries { hits += (try? searcher.search(q, topK: 1000, scratch: &scratch))?.count ?? 0 } }
        }
        let t10 = clock.measure {
            for _ in 0..<rounds { for q in queries { hits += (try? searcher.search(q, topK: 10, scratch: &scratch))?.count ?? 0 } }
        }
        let analyzeTime = clock.measure { for _ in 0..<rounds { for q in allQueries { _ = LexicalQuery(q, analyzer: analyzer) } } }
        func secs(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let n = Double(queries.count * rounds)
        print(
            String(
                format: "LEXBENCH scifact docs %d, terms %d, tokens %d; build %.3f s (%.0f docs/s)",
                c.documents.count, segment.header.termCount, tokens, secs(buildTime),
                Double(c.documents.count) / secs(buildTime)))
        print(
            String(
                format: "LEXBENCH of which tokenizer alone %.3f s, analyzer alone %.3f s",
                secs(tokenizeTime), secs(analyzeDocsTime)))
        print(
            String(
                format: "LEXBENCH index %d bytes raw (%.1f bytes/doc, %.2f bytes/token), zstd-3 %d bytes (%.1f bytes/doc)",
                raw, Double(raw) / Double(c.documents.count), Double(raw) / Double(tokens), zstd,
                Double(zstd) / Double(c.documents.count)))
        print(
            String(
                format: "LEXBENCH %d queries x %d: top-1000 %.0f q/s, top-10 %.0f q/s, query analysis alone %.0f q/s (1 thread)",
                queries.count, rounds, n / secs(t1000), n / secs(t10), n / secs(analyzeTime)))
        XCTAssertGreaterThan(hits, 0)
    }
}

/// All query texts of a BEIR dataset (not only a split's).
enum QueryTexts {
    static func all(dataset: String) throws -> [String] {
        let path = BEIRCollection.dataRoot().appendingPathComponent("\(dataset)/queries.jsonl").path
        return try QueryReader.read(path: path).map { $0.text }
    }
}
