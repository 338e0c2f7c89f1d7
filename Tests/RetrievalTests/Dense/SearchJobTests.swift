import CDenseKernels
import Formats
import Foundation
import ShardStore
import XCTest

@testable import Retrieval

final class SearchJobTests: XCTestCase {
    var fx: DenseFixture!

    override func setUpWithError() throws { fx = try DenseFixture() }
    override func tearDown() { fx = nil }

    func queryFile(_ n: Int) throws -> (path: String, queries: [Query]) {
        var lines: [String] = []
        for i in 0..<n {
            // Some queries repeat document texts, so they score 1 against them.
            let text = i % 3 == 0 ? "text \(i * 37 % 1000) \(i)" : "query number \(i)"
            lines.append("{\"_id\": \"q\(i)\", \"text\": \"\(text)\"}")
        }
        let path = try fx.write(lines.joined(separator: "\n") + "\n", "queries-\(n).jsonl")
        return (path, try QueryReader.read(path: path))
    }

    /// The run equals a brute-force reference, for f32 and int8 vectors, one and three shards.
    func testRunEqualsBruteForce() throws {
        let corpus = try fx.corpus(count: 90)
        let (qpath, queries) = try queryFile(20)
        for enc in [VectorEncoding.f32, .int8, .f16] {
            for shards in [1, 3] {
                let index = try fx.build(corpus, name: "idx-\(enc)-\(shards)", shards: shards, encoding: enc)
                let (bytes, summary) = try fx.search(index: index, queries: qpath, topN: 10, out: "run-\(enc)-\(shards)")
                let expected = try fx.bruteForceRun(index: index, queries: queries, topN: 10)
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected, "\(enc), \(shards) shards")
                XCTAssertEqual(summary.lines, 200)
                XCTAssertEqual(summary.documents, 90)
            }
        }
    }

    /// The same bytes for 1 and 3 shards, batch sizes 1/7/64, threads 1/2, and N beyond the
    /// document count (every document returned, ties ordered by id).
    func testSameBytesForAnyShardsBatchesAndThreads() throws {
        let corpus = try fx.corpus(count: 120, seed: 11)
        let (qpath, _) = try queryFile(15)
        for enc in [VectorEncoding.f32, .int8] {
            for topN in [7, 200] {
                var reference: Data?
                for shards in [1, 3] {
                    let index = try fx.build(corpus, name: "idx-\(enc)-\(shards)-\(topN)", shards: shards, encoding: enc, rowsPerBlock: shards == 1 ? 64 : 5)
                    for batch in [1, 7, 64] {
                        for threads in [1, 2] {
                            let (bytes, _) = try fx.search(index: index, queries: qpath, topN: topN, out: "run", batch: batch, threads: threads)
                            if let reference {
                                XCTAssertEqual(bytes, reference, "\(enc) N \(topN) shards \(shards) batch \(batch) threads \(threads)")
                            } else {
                                reference = bytes
                            }
                        }
                    }
                }
                // Duplicate texts tie exactly; N = 200 keeps every document, so the run holds ties.
                if topN == 200 { XCTAssertEqual(try TrecRun.read(path: fx.dir + "/run").entries(for: "q0")?.count, 120) }
            }
        }
    }

    /// More queries than one score group (768) still equal the brute force, and the batch
    /// size does not matter.
    func testManyQueriesAcrossGroups() throws {
        let corpus = try fx.corpus(count: 60, seed: 13)
        let (qpath, queries) = try queryFile(800)
        let index = try fx.build(corpus, name: "idx", shards: 2, encoding: .f32, rowsPerBlock: 4)
        let (bytes, _) = try fx.search(index: index, queries: qpath, topN: 3, out: "run", batch: 100, threads: 2)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), try fx.bruteForceRun(index: index, queries: queries, topN: 3))
        XCTAssertEqual(try fx.search(index: index, queries: qpath, topN: 3, out: "run2", batch: 799, threads: 1).bytes, bytes)
    }

    /// Partial runs (one a shard) merge into the one-machine run, byte for byte.
    func testMergeOfPartialRunsEqualsOneMachineRun() throws {
        let corpus = try fx.corpus(count: 100, seed: 5)
        let (qpath, _) = try queryFile(12)
        for enc in [VectorEncoding.f32, .int8] {
            let index = try fx.build(corpus, name: "idx-\(enc)", shards: 3, encoding: enc)
            let (whole, _) = try fx.search(index: index, queries: qpath, topN: 8, out: "whole.run")
            var partials: [String] = []
            for s in 0..<3 {
                try fx.search(index: index, queries: qpath, topN: 8, out: "part-\(s).run", shard: s)
                partials.append(fx.dir + "/part-\(s).run")
            }
            // Argument order does not matter.
            for order in [partials, partials.reversed()] {
                try RunMerge.run(paths: order, topN: 8, out: fx.dir + "/merged.run", quiet: true)
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fx.dir + "/merged.run")), whole, "\(enc)")
            }
            // The same partial twice is refused (a document in two partials).
            XCTAssertThrowsError(try RunMerge.run(paths: [partials[0], partials[0]], topN: 8, out: fx.dir + "/bad.run", quiet: true)) {
                XCTAssertTrue("\($0)".contains("appears in both"), "\($0)")
            }
        }
    }

    /// Empty queries are reported and skipped; the qrels filter keeps judged queries only.
    func testEmptyQueriesAndQrelsFilter() throws {
        let corpus = try fx.corpus(count: 30)
        let index = try fx.build(corpus, name: "idx", shards: 2)
        let q = try fx.write("q1\thello\nq2\t   \nq3\tworld\nq4\t\n", "q.tsv")
        let (bytes, s) = try fx.search(index: index, queries: q, topN: 3, out: "r.run")
        XCTAssertEqual(s.queries, 4)
        XCTAssertEqual(s.emptyQueries, 2)
        XCTAssertEqual(s.searched, 2)
        let run = try TrecRun.read(path: fx.dir + "/r.run")
        XCTAssertEqual(run.queries.map(\.qid), ["q1", "q3"])
        XCTAssertEqual(bytes.count > 0, true)
        let qrels = try fx.write("query-id\tcorpus-id\tscore\nq3\td1\t1\nq9\td2\t1\n", "qrels.tsv")
        try fx.search(index: index, queries: q, topN: 3, out: "judged.run", qrels: qrels)
        XCTAssertEqual(try TrecRun.read(path: fx.dir + "/judged.run").queries.map(\.qid), ["q3"])
    }

    /// Malformed query lines fail with file and line; a model other than the index's is refused.
    func testClearErrors() throws {
        let corpus = try fx.corpus(count: 20)
        let index = try fx.build(corpus, name: "idx", shards: 1)
        let badJSON = try fx.write("{\"_id\": \"q1\", \"text\": \"ok\"}\n{\"_id\": \"q2\", \"text\": \"broken}\n", "bad.jsonl")
        XCTAssertThrowsError(try fx.search(index: index, queries: badJSON, topN: 3, out: "x")) { e in
            XCTAssertTrue("\(e)".contains("bad.jsonl:2:"), "\(e)")
        }
        let noTab = try fx.write("q1\tfine\nq2 no tab here\n", "bad.tsv")
        XCTAssertThrowsError(try fx.search(index: index, queries: noTab, topN: 3, out: "x")) { e in
            XCTAssertTrue("\(e)".contains("bad.tsv:2:") && "\(e)".contains("no tab"), "\(e)")
        }
        var o = SearchOptions(indexDirectory: index, queriesPath: try fx.write("q\tx\n", "ok.tsv"), topN: 3, outPath: fx.dir + "/y")
        o.quiet = true
        XCTAssertThrowsError(try SearchJob.run(o, environment: ["INDEXER_TEST_EMBEDDER": "hash-16"])) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .mismatch, "\(e)")
            XCTAssertTrue("\(e)".contains("hash-embedder-v1-d24"), "\(e)")
        }
        o.shardID = 5
        XCTAssertThrowsError(try SearchJob.run(o, environment: fx.environment)) { e in
            XCTAssertEqual((e as? IndexerError)?.kind, .usage, "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fx.dir + "/y"))
    }
}

final class KernelChoiceTests: XCTestCase {
    override func tearDown() { _ = dk_limit_kernel(2) }

    /// AVX-512, AVX2 and the scalar loop write the same run bytes (on this machine's kernels).
    func testEveryKernelWritesTheSameRun() throws {
        let fx = try DenseFixture()
        let corpus = try fx.corpus(count: 70, seed: 3)
        let q = try fx.write((0..<13).map { "q\($0)\ttext \($0 * 7) \($0)" }.joined(separator: "\n") + "\n", "q.tsv")
        for enc in [VectorEncoding.f32, .int8] {
            let index = try fx.build(corpus, name: "idx-\(enc)", shards: 2, encoding: enc, rowsPerBlock: 40)
            var runs: [String: Data] = [:]
            for level in [2, 1, 0] {
                let used = dk_limit_kernel(Int32(level))
                let (bytes, _) = try fx.search(index: index, queries: q, topN: 9, out: "run-\(level)", threads: 2)
                runs[ExactScorer.kernelName] = bytes
                XCTAssertLessThanOrEqual(Int(used), level)
            }
            XCTAssertTrue(runs.keys.contains("scalar"))
            XCTAssertEqual(Set(runs.values).count, 1, "\(enc): kernels \(runs.keys.sorted()) disagree")
        }
    }
}
