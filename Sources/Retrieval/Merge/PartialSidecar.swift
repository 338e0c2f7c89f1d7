import Formats
import Foundation

/// `RUN.partial.json`: what a partial run is (which index, which shard of how many, which
/// queries), written by `indexer search --shard-id` beside its run and checked by `indexer merge`.
///
/// Format version 1 (docs/FORMATS.md). `runSHA256` ties the sidecar to the run's bytes, so a
/// run rewritten or replaced without its sidecar is refused.
public struct PartialSidecar: Codable, Equatable, Sendable {
    /// Always `indexer-partial-run`.
    public var format = "indexer-partial-run"
    /// The format version (1).
    public var version = 1
    /// SHA-256 of the index's `manifest.json` (it lists every shard's SHA-256).
    public var index: String
    /// The bi-encoder fingerprint of the index.
    public var model: String
    /// The shard searched.
    public var shard: Int
    /// Shards in the index.
    public var shards: Int
    /// SHA-256 of the query file searched, with the qrels file's when one filtered it.
    public var queries: String
    /// `dense` or `bm25`.
    public var retriever: String
    /// The search's `--top-n`.
    public var topN: Int
    /// SHA-256 of the run file.
    public var runSHA256: String

    enum CodingKeys: String, CodingKey {
        case format, version, index, model, shard, shards, queries, retriever
        case topN = "top_n", runSHA256 = "run_sha256"
    }

    /// The sidecar's path for a run at `run`.
    public static func path(for run: String) -> String { run + ".partial.json" }

    /// The digest that identifies a query file (and the qrels file that filtered it).
    public static func queryDigest(queries: String, qrels: String?) throws -> String {
        var s = try SHA256.hex(ofFileAt: queries)
        if let q = qrels { s += "+" + (try SHA256.hex(ofFileAt: q)) }
        return s
    }

    /// Writes the sidecar of `run` atomically (after the run itself is complete).
    public func write(besideRun run: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do { data = try e.encode(self) } catch {
            throw IndexerError(.internal, "cannot encode the partial-run sidecar: \(error)")
        }
        try AtomicFile.write(data + Data("\n".utf8), to: PartialSidecar.path(for: run))
    }

    /// Reads the sidecar of `run`: nil when there is none; a malformed one is a bad input.
    public static func read(besideRun run: String) throws -> PartialSidecar? {
        let p = path(for: run)
        guard FileManager.default.fileExists(atPath: p) else { return nil }
        let data = try InputFile.contents(p)
        let s: PartialSidecar
        do { s = try JSONDecoder().decode(PartialSidecar.self, from: data) } catch {
            throw IndexerError.badInput("not a partial-run sidecar (\(DecodingFailure.describe(error)))", path: p)
        }
        guard s.format == "indexer-partial-run", s.version == 1 else {
            throw IndexerError.badInput("format '\(s.format)' version \(s.version); this indexer reads indexer-partial-run version 1", path: p)
        }
        guard s.shards >= 1, (0..<s.shards).contains(s.shard) else {
            throw IndexerError.badInput("shard \(s.shard) of \(s.shards) is not a shard", path: p)
        }
        return s
    }
}
