import Formats
import Foundation
import Indexing
import Inference
import ShardStore
import TestSupport
import XCTest

@testable import Retrieval

/// A seeded generator for the dense tests (xorshift64*).
struct DenseTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
    /// Uniform in [-1, 1).
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}

/// A scratch folder with helpers to build hash-embedded indexes and run searches.
final class DenseFixture {
    private let folder: TemporaryFolder
    var dir: String { folder.path }
    static let dimension = 24
    var environment: [String: String] { ["INDEXER_TEST_EMBEDDER": "hash-\(DenseFixture.dimension)"] }

    init() throws {
        folder = try TemporaryFolder("dense")
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A TSV corpus of `count` documents; every fifth repeats an earlier text, so its vector
    /// and therefore its scores tie exactly with that document's.
    func corpus(count: Int, seed: UInt64 = 7) throws -> String {
        var rng = DenseTestRandom(seed: seed)
        var lines: [String] = []
        var texts: [String] = []
        for i in 0..<count {
            let text = i % 5 == 4 && !texts.isEmpty ? texts[Int(rng.next() % UInt64(texts.count))] : "text \(rng.next() % 1000) \(i)"
            texts.append(text)
            // Ids in no particular order, some non-ASCII, to exercise the byte order.
            let id = ["d\(i)", "é\(i)", "Z\(i)", "a-\(count - i)"][i % 4]
            lines.append("\(id)\t\(text)")
        }
        return try write(lines.joined(separator: "\n") + "\n", "corpus-\(count)-\(seed).tsv")
    }

    /// Builds an index of `corpus` with `shards` shards.
    func build(_ corpus: String, name: String, shards: Int, encoding: VectorEncoding = .f32, rowsPerBlock: Int = 13) throws -> String {
        var o = BuildOptions(corpusPath: corpus, outDirectory: dir + "/" + name, shardCount: shards)
        o.encoding = encoding
        o.vectorRowsPerBlock = rowsPerBlock
        o.textBlockBytes = 512
        o.quiet = true
        _ = try IndexBuilder(options: o, embedder: HashEmbedder(dimension: DenseFixture.dimension), environment: [:]).run()
        return dir + "/" + name
    }

    /// Runs a search; returns the run file's bytes.
    @discardableResult
    func search(
        index: String, queries: String, topN: Int, out: String, batch: Int = 64, threads: Int = 1,
        shard: Int? = nil, qrels: String? = nil
    ) throws -> (bytes: Data, summary: SearchSummary) {
        var o = SearchOptions(indexDirectory: index, queriesPath: queries, topN: topN, outPath: dir + "/" + out)
        o.batchSize = batch
        o.threads = threads
        o.shardID = shard
        o.qrelsPath = qrels
        o.quiet = true
        let s = try SearchJob.run(o, environment: environment)
        return (try Data(contentsOf: URL(fileURLWithPath: dir + "/" + out)), s)
    }

    /// The run a brute-force search writes: every document of every shard decoded, scored with
    /// ``ExactScorer/referenceScore(_:_:)`` (int8: over the codes, times the scale), sorted by
    /// score descending then id bytes ascending, cut to N.
    func bruteForceRun(index: String, queries: [Query], topN: Int, tag: String = "indexer-dense") throws -> String {
        let manifest = try Manifest.load(directory: index)
        var docs: [(id: String, vector: [Float], scale: Float?)] = []
        for s in manifest.shards {
            let r = try ShardReader(path: index + "/" + s.file)
            let ids = try r.allIDs()
            for b in 0..<r.vectorBlockCount {
                let rows = r.rows(ofVectorBlock: b)
                if r.header.settings.encoding == .int8 {
                    let (codes, scales) = try r.int8Block(b)
                    for (k, row) in rows.enumerated() {
                        docs.append((ids[row], codes[(k * r.dimension)..<((k + 1) * r.dimension)].map { Float($0) }, scales[k]))
                    }
                } else {
                    let v = try r.vectors(block: b)
                    for (k, row) in rows.enumerated() { docs.append((ids[row], Array(v[(k * r.dimension)..<((k + 1) * r.dimension)]), nil)) }
                }
            }
        }
        let embedder = HashEmbedder(dimension: DenseFixture.dimension)
        var out = ""
        for q in queries where !q.text.allSatisfy({ $0.isWhitespace }) {
            let qv = try embedder.embedDocuments([q.text])
            var scored = docs.map { d -> (String, Float) in
                let s = ExactScorer.referenceScore(qv[...], d.vector[...])
                return (d.id, d.scale.map { s * $0 } ?? s)
            }
            scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            for (r, d) in scored.prefix(topN).enumerated() {
                out += "\(q.id) Q0 \(d.0) \(r + 1) \(TrecScore.format(d.1)) \(tag)\n"
            }
        }
        return out
    }
}
