import Formats
import Foundation
import TestSupport
import XCTest

@testable import Reranking

final class RerankJobTests: XCTestCase {
    static let docs = Fixture.documents(40)
    static let textOf: [String: String] = Dictionary(uniqueKeysWithValues: docs.map { ($0.id, Fixture.combined($0)) })

    /// q1: 30 candidates listed in shuffled line order, with a first-stage score tie broken by
    /// rank; q2: 5 candidates; q3: 25 candidates.
    static func firstStage() -> (lines: [String], order: [String: [String]]) {
        var lines: [String] = []
        var order: [String: [String]] = [:]
        var rng = SplitMix(seed: 7)
        for (qid, n, offset) in [("q1", 30, 0), ("q2", 5, 11), ("q3", 25, 15)] {
            let ids = (0..<n).map { "d\(($0 * 7 + offset) % 40)" }
            order[qid] = ids
            var entries: [String] = []
            for (i, id) in ids.enumerated() {
                // Ranks 3 and 4 share a score: the rank field decides.
                let score = i == 4 ? 100.0 - 3 : 100.0 - Double(i)
                entries.append(runLine(qid, id, i + 1, score))
            }
            for i in stride(from: entries.count - 1, to: 0, by: -1) { entries.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            lines += entries
        }
        return (lines, order)
    }

    func fixture() throws -> (Fixture, [String: [String]]) {
        let (lines, order) = Self.firstStage()
        let f = try Fixture.make(
            self, docs: Self.docs,
            queries: [("q0", "unused query"), ("q3", "third"), ("q1", "first query"), ("q2", "second")],
            runLines: lines)
        return (f, order)
    }

    func options(_ f: Fixture, depth: Int, out: String, batch: Int = 32, tail: TailPolicy = .keep, docs: String? = nil) -> RerankOptions {
        var o = RerankOptions(
            candidatesPath: f.run, queriesPath: f.queries, docsPath: docs ?? f.corpus, depth: depth,
            outPath: f.dir + "/" + out)
        o.batchSize = batch
        o.tail = tail
        o.progress = false
        o.threads = 2
        return o
    }

    func rerank(_ o: RerankOptions, scorer: PairScorer) throws -> RerankSummary {
        let candidates = try CandidateSet(
            run: try TrecRun.read(path: o.candidatesPath),
            queries: try QueryReader.read(path: o.queriesPath), queriesPath: o.queriesPath)
        return try RerankJob.rerank(candidates, source: try DocumentTextSources.open(o.docsPath), scorer: scorer, options: o)
    }

    func testOnlyTheFirstKByFirstStageRankAreScoredAndTheTailKeepsItsOrder() throws {
        let (f, order) = try fixture()
        let scorer = RecordingScorer()
        let o = options(f, depth: 10, out: "out.run")
        let s = try rerank(o, scorer: scorer)
        XCTAssertEqual(scorer.pairsScored, 10 + 5 + 10)
        XCTAssertEqual(s.pairs, 25)
        // The scored documents are exactly the first K of each query (by score, rank), none other.
        let scoredTexts = scorer.batches.flatMap { $0 }.map { String(decoding: $0.ids.dropFirst().map { UInt8($0) }, as: UTF8.self) }
        let expectedTexts = ["q1", "q2", "q3"].flatMap { order[$0]!.prefix(10).map { Self.textOf[$0]! } }
        XCTAssertEqual(scoredTexts.sorted(), expectedTexts.sorted())

        let out = try TrecRun.read(path: o.outPath)
        XCTAssertEqual(out.queries.map(\.qid), ["q1", "q2", "q3"], "queries in run order")
        for (qid, entries) in out.queries {
            let first = order[qid]!
            let k = min(10, first.count)
            let head = Array(first.prefix(k))
            let expectedHead = head.indices.sorted { a, b in
                let sa = RecordingScorer.score(Self.textOf[head[a]]!, [:]), sb = RecordingScorer.score(Self.textOf[head[b]]!, [:])
                return sa != sb ? sa > sb : a < b
            }.map { head[$0] }
            XCTAssertEqual(entries.prefix(k).map(\.docid), expectedHead, qid)
            XCTAssertEqual(entries.dropFirst(k).map(\.docid), Array(first.dropFirst(k)), "tail in first-stage order")
            XCTAssertEqual(entries.map(\.rank), Array(1...entries.count))
            let headMin = entries.prefix(k).map(\.score).min()!
            for (i, e) in entries.dropFirst(k).enumerated() {
                XCTAssertEqual(Float(e.score), Float(headMin) - Float(1 + i), "tail score rule")
                XCTAssertLessThan(e.score, headMin)
            }
            let scores = entries.map(\.score)
            XCTAssertEqual(scores, scores.sorted(by: >), "scores never increase down the ranking")
            XCTAssertTrue(entries.allSatisfy { $0.tag == "rerank" })
        }
    }

    func testTailDrop() throws {
        let (f, order) = try fixture()
        let o = options(f, depth: 7, out: "drop.run", tail: .drop)
        _ = try rerank(o, scorer: RecordingScorer())
        let out = try TrecRun.read(path: o.outPath)
        for (qid, entries) in out.queries {
            XCTAssertEqual(Set(entries.map(\.docid)), Set(order[qid]!.prefix(7)))
        }
        XCTAssertEqual(out.entryCount, 7 + 5 + 7)
    }

    func testHeadTiesKeepFirstStageOrder() throws {
        let (f, order) = try fixture()
        // Every q2 document scores the same but one.
        let q2 = order["q2"]!
        var table: [String: Float] = [:]
        for id in q2 { table[Self.textOf[id]!] = 0.5 }
        table[Self.textOf[q2[3]]!] = 2
        let o = options(f, depth: 5, out: "ties.run")
        _ = try rerank(o, scorer: RecordingScorer(scoresByText: table))
        let out = try TrecRun.read(path: o.outPath)
        XCTAssertEqual(out.entries(for: "q2")!.map(\.docid), [q2[3], q2[0], q2[1], q2[2], q2[4]])
    }

    func testSameBytesForAnyBatchSizeAndLengthSortedBatches() throws {
        let (f, _) = try fixture()
        var outputs: [Data] = []
        for batch in [1, 8, 32] {
            let scorer = RecordingScorer()
            let o = options(f, depth: 20, out: "b\(batch).run", batch: batch)
            _ = try rerank(o, scorer: scorer)
            outputs.append(try XCTUnwrap(FileManager.default.contents(atPath: o.outPath)))
            XCTAssertTrue(scorer.batches.allSatisfy { $0.count <= batch })
            let lengths = scorer.batches.flatMap { $0 }.map(\.tokenCount)
            XCTAssertEqual(lengths, lengths.sorted(by: >), "pairs are fed longest first")
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func testManyQueriesOverSeveralChunks() throws {
        var lines: [String] = [], queries: [(String, String)] = []
        for q in 0..<130 {
            queries.append(("m\(q)", "query \(q)"))
            for r in 0..<12 { lines.append(runLine("m\(q)", "d\((q + r * 3) % 40)", r + 1, Double(20 - r))) }
        }
        let f = try Fixture.make(self, docs: Self.docs, queries: queries, runLines: lines)
        XCTAssertGreaterThan(130 * 10, RerankJob.chunkPairs, "the fixture must span chunks")
        var outputs: [Data] = []
        for batch in [1, 7] {
            var o = options(f, depth: 10, out: "m\(batch).run", batch: batch)
            o.timingsPath = f.dir + "/m\(batch).jsonl"
            let scorer = RecordingScorer()
            let s = try rerank(o, scorer: scorer)
            XCTAssertEqual(s.pairs, 1300)
            XCTAssertEqual(scorer.pairsScored, 1300)
            outputs.append(try XCTUnwrap(FileManager.default.contents(atPath: o.outPath)))
            let t = try RerankTimings.read(path: o.timingsPath!)
            XCTAssertEqual(t.map(\.qid), queries.map(\.0))
            XCTAssertTrue(t.allSatisfy { $0.pairs == 10 })
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(try TrecRun.read(path: f.dir + "/m1.run").queries.map(\.qid), queries.map(\.0))
    }

    func testShardAndCorpusSourcesGiveTheSameRun() throws {
        let (f, _) = try fixture()
        try f.buildIndex(Self.docs, shards: 3)
        let fromCorpus = RecordingScorer(), fromIndex = RecordingScorer()
        let a = options(f, depth: 12, out: "corpus.run")
        let b = options(f, depth: 12, out: "index.run", docs: f.index)
        _ = try rerank(a, scorer: fromCorpus)
        _ = try rerank(b, scorer: fromIndex)
        XCTAssertEqual(FileManager.default.contents(atPath: a.outPath), FileManager.default.contents(atPath: b.outPath))
        let lookup = try ShardTextSource(directory: f.index).lookup(["d1", "d3", "nope"], texts: ["d3"])
        XCTAssertEqual(lookup.present, ["d1", "d3"])
        XCTAssertEqual(lookup.texts, ["d3": Self.textOf["d3"]!])
        let corpus = try CorpusTextSource(path: f.corpus).lookup(["d1", "d3", "nope"], texts: ["d3"])
        XCTAssertEqual(corpus.present, ["d1", "d3"])
        XCTAssertEqual(corpus.texts, ["d3": Self.textOf["d3"]!])
    }

    func testTimingsOneLineAQueryWithPairsAndTokens() throws {
        let (f, order) = try fixture()
        var o = options(f, depth: 10, out: "t.run")
        o.timingsPath = f.dir + "/timings.jsonl"
        _ = try rerank(o, scorer: RecordingScorer())
        let t = try RerankTimings.read(path: f.dir + "/timings.jsonl")
        XCTAssertEqual(t.map(\.qid), ["q1", "q2", "q3"])
        for r in t {
            let head = order[r.qid]!.prefix(10)
            XCTAssertEqual(r.pairs, head.count)
            // RecordingScorer's pairs are the document's bytes plus one.
            XCTAssertEqual(r.tokens, head.reduce(0) { $0 + Self.textOf[$1]!.utf8.count + 1 })
            XCTAssertGreaterThanOrEqual(r.milliseconds, 0)
        }
    }

    // MARK: errors name the file and line

    func testUnknownDocumentIsAnErrorAtItsLine() throws {
        let f = try Fixture.make(
            self, docs: Self.docs, queries: [("q1", "x")],
            runLines: [runLine("q1", "d1", 1, 3), runLine("q1", "d2", 2, 2), runLine("q1", "ghost", 3, 1)])
        // Even in the tail, an unknown id means the run does not belong to these documents.
        assertIndexerError(
            try rerank(options(f, depth: 1, out: "o.run"), scorer: RecordingScorer()),
            path: f.run, line: 3, contains: "'ghost'")
        try f.buildIndex(Self.docs, shards: 2)
        assertIndexerError(
            try rerank(options(f, depth: 5, out: "o.run", docs: f.index), scorer: RecordingScorer()),
            path: f.run, line: 3, contains: "'ghost'")
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.dir + "/o.run"))
    }

    func testDuplicatePairIsAnError() throws {
        let f = try Fixture.make(
            self, docs: Self.docs, queries: [("q1", "x")],
            runLines: [runLine("q1", "d1", 1, 3), runLine("q1", "d2", 2, 2), runLine("q1", "d1", 3, 1)])
        assertIndexerError(
            try rerank(options(f, depth: 5, out: "o.run"), scorer: RecordingScorer()),
            path: f.run, line: 3, contains: "duplicate document 'd1'")
    }

    func testQueryMissingFromTheQueryFileIsAnError() throws {
        let f = try Fixture.make(
            self, docs: Self.docs, queries: [("q1", "x")],
            runLines: [runLine("q1", "d1", 1, 3), runLine("q9", "d2", 1, 2), runLine("q9", "d3", 2, 1)])
        assertIndexerError(
            try rerank(options(f, depth: 5, out: "o.run"), scorer: RecordingScorer()),
            path: f.run, line: 2, contains: "query 'q9'")
    }

    func testMalformedRunLineIsAnError() throws {
        let f = try Fixture.make(
            self, docs: Self.docs, queries: [("q1", "x")],
            runLines: [runLine("q1", "d1", 1, 3), "q1 Q0 d2 2 high first"])
        assertIndexerError(
            try rerank(options(f, depth: 5, out: "o.run"), scorer: RecordingScorer()),
            path: f.run, line: 2, contains: "score 'high'")
        let g = try Fixture.make(self, docs: Self.docs, queries: [("q1", "x")], runLines: [runLine("q1", "d1", 1, 3), "q1 Q0 d2 2"])
        assertIndexerError(
            try rerank(options(g, depth: 5, out: "o.run"), scorer: RecordingScorer()),
            path: g.run, line: 2, contains: "too few fields")
    }

    func testCorpusWithTheWantedIdTwiceIsAnError() throws {
        let docs = Self.docs + [("d2", "", "another d2")]
        let f = try Fixture.make(self, docs: docs, queries: [("q1", "x")], runLines: [runLine("q1", "d2", 1, 3)])
        assertIndexerError(
            try rerank(options(f, depth: 5, out: "o.run"), scorer: RecordingScorer()),
            path: f.corpus, line: 41, contains: "appears twice (first on line 3)")
    }

    func testBadSettingsAreUsageErrors() throws {
        let (f, _) = try fixture()
        for change in [{ (o: inout RerankOptions) in o.depth = 0 }, { $0.batchSize = 0 }, { $0.tag = "two words" }, { $0.threads = 0 }] {
            var o = options(f, depth: 5, out: "o.run")
            change(&o)
            XCTAssertThrowsError(try RerankJob.validate(o)) { XCTAssertEqual(($0 as? IndexerError)?.kind, .usage) }
        }
    }

    func testInterpolationStandardisesBothListsAndIgnoresTheirScale() {
        // Cross-encoder z: (-1, 0, 1) * sqrt(3/2); first stage z: (1, 0, -1) * sqrt(3/2).
        let ce: [Float] = [1, 2, 3], fs: [Double] = [30, 20, 10]
        let k = Float((3.0 / 2).squareRoot())
        XCTAssertEqual(ScoreInterpolation.combine(crossEncoder: ce, firstStage: fs, weight: 0), [-k, 0, k])
        XCTAssertEqual(ScoreInterpolation.combine(crossEncoder: ce, firstStage: fs, weight: 1), [k, 0, -k])
        XCTAssertEqual(ScoreInterpolation.combine(crossEncoder: ce, firstStage: fs, weight: 0.5), [0, 0, 0])
        let w = ScoreInterpolation.combine(crossEncoder: ce, firstStage: fs, weight: 0.25)
        XCTAssertEqual(w[0], -0.5 * k, accuracy: 1e-6)
        XCTAssertEqual(w[2], 0.5 * k, accuracy: 1e-6)
        // An affine change of the first stage's scale (BM25 vs cosine vs RRF) changes nothing.
        let other: [Double] = [30, 20, 10].map { 0.01 * $0 - 7 }
        XCTAssertEqual(ScoreInterpolation.combine(crossEncoder: ce, firstStage: other, weight: 0.25), w)
        // Equal scores standardise to zeros; an empty head stays empty.
        XCTAssertEqual(ScoreInterpolation.combine(crossEncoder: [4, 4], firstStage: [1, 2], weight: 0.5), [-0.5, 0.5])
        XCTAssertEqual(ScoreInterpolation.combine(crossEncoder: [], firstStage: [], weight: 0.5), [])
    }

    func testInterpolatedRerankOrdersTheHeadByTheMixAndLeavesTheTail() throws {
        let (f, order) = try fixture()
        var plain = options(f, depth: 10, out: "plain.run")
        var zero = options(f, depth: 10, out: "zero.run")
        zero.interpolate = 0
        _ = try rerank(plain, scorer: RecordingScorer())
        _ = try rerank(zero, scorer: RecordingScorer())
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: zero.outPath)), try Data(contentsOf: URL(fileURLWithPath: plain.outPath)))
        // Weight 1: the head keeps the first stage's order.
        plain.outPath = f.dir + "/one.run"
        plain.interpolate = 1
        _ = try rerank(plain, scorer: RecordingScorer())
        let one = try TrecRun.read(path: plain.outPath)
        for (qid, entries) in one.queries { XCTAssertEqual(entries.map(\.docid), order[qid]!, qid) }
        // A middle weight: exactly the order of the combined scores, tail untouched.
        plain.outPath = f.dir + "/mid.run"
        plain.interpolate = 0.4
        _ = try rerank(plain, scorer: RecordingScorer())
        let mid = try TrecRun.read(path: plain.outPath)
        let firstStage = try CandidateSet(
            run: try TrecRun.read(path: f.run), queries: try QueryReader.read(path: f.queries),
            queriesPath: f.queries)
        for q in firstStage.queries {
            let head = Array(q.entries.prefix(10))
            let ce = head.map { RecordingScorer.score(Self.textOf[$0.docid]!, [:]) }
            let mixed = ScoreInterpolation.combine(crossEncoder: ce, firstStage: head.map(\.score), weight: 0.4)
            let expected = head.indices.sorted { mixed[$0] != mixed[$1] ? mixed[$0] > mixed[$1] : $0 < $1 }.map { head[$0].docid }
            let got = try XCTUnwrap(mid.entries(for: q.qid))
            XCTAssertEqual(got.prefix(head.count).map(\.docid), expected, q.qid)
            XCTAssertEqual(got.prefix(head.count).map { Float($0.score) }, expected.map { d in mixed[head.firstIndex { $0.docid == d }!] })
            XCTAssertEqual(got.dropFirst(head.count).map(\.docid), q.entries.dropFirst(head.count).map(\.docid))
        }
        var bad = options(f, depth: 10, out: "bad.run")
        for w in [-0.1, 1.5, Double.nan] {
            bad.interpolate = w
            XCTAssertThrowsError(try RerankJob.validate(bad)) { XCTAssertEqual(($0 as? IndexerError)?.kind, .usage) }
        }
    }

    func testTailRuleBelowTheHead() {
        let r = RerankOrder.combine(head: ["a", "b", "c"], scores: [-2.5, 7, -2.5], tail: ["x", "y"], policy: .keep)
        XCTAssertEqual(r.map(\.docid), ["b", "a", "c", "x", "y"])
        XCTAssertEqual(r.map(\.score), [7, -2.5, -2.5, -3.5, -4.5])
        XCTAssertEqual(r.map(\.scored), [true, true, true, false, false])
        XCTAssertEqual(RerankOrder.combine(head: ["a"], scores: [1], tail: ["x"], policy: .drop).map(\.docid), ["a"])
    }
}
