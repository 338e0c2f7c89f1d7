import Formats
import Foundation
import TestSupport
import XCTest

@testable import Jobs

/// Seeded mutations of a valid job file (issue #13): each is refused with an IndexerError
/// naming the job file, or loads; none crashes.
extension JobSpecTests {
    func testMutatedJobFilesAreRefusedOrLoad() throws {
        let valid =
            #"{"version": 1, "name": "fz", "corpus": "c.jsonl", "queries": "q.jsonl", "qrels": "qrels.tsv", "index": {"dir": "idx", "shards": 2, "vectors": "int8", "lexical": true}, "search": {"retriever": "hybrid", "top_n": 100}, "rerank": {"depth": 20, "tail": "keep"}, "eval": {"metrics": ["ndcg@10", "recall@100"]}, "gates": {"ndcg@10": {"min": 0.5}}}"#
        let path = try write(valid, name: "fuzz.json")
        var m = Mutations(of: Array(valid.utf8), seed: 13)
        var refused = 0
        for _ in 0..<2000 {
            let (bytes, what) = m.next()
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do { _ = try JobSpec.load(path: path) } catch let e as IndexerError {
                refused += 1
                XCTAssertEqual(e.path, path, "\(what): \(e)")
            }
        }
        XCTAssertGreaterThan(refused, 500)
    }
}
