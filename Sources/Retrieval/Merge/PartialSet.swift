import Formats
import Foundation

/// The check `indexer merge` makes before it merges: the partial runs are every shard of one
/// index, once each, searched with one query file (from their ``PartialSidecar``s).
public enum PartialSet {
    /// What the partials cover.
    public struct Coverage: Sendable, Equatable {
        /// Shards in the index (nil when no partial had a sidecar).
        public var shards: Int?
        /// Shards present, ascending.
        public var present: [Int]
        /// Shards of the index no partial covers, ascending.
        public var missing: [Int]
        /// Partials merged without a sidecar (only with `allowPartial`).
        public var unchecked: [String]
        /// True when every shard is present once and every partial was checked.
        public var isComplete: Bool { shards != nil && missing.isEmpty && unchecked.isEmpty }
    }

    /// Checks `paths` and returns their coverage. A partial without a sidecar, a run whose bytes
    /// differ from its sidecar's record, a partial of another index or query file, a shard given
    /// twice and a missing shard are refused (bad input, exit 2) naming the partial or the shard;
    /// `allowPartial` admits the missing shards and the partials without a sidecar.
    public static func check(paths: [String], allowPartial: Bool) throws -> Coverage {
        var sidecars: [(path: String, sidecar: PartialSidecar)] = []
        var unchecked: [String] = []
        for p in paths {
            guard let s = try PartialSidecar.read(besideRun: p) else {
                guard allowPartial else {
                    throw IndexerError.badInput(
                        "no sidecar \(PartialSidecar.path(for: p)): not a partial run of indexer search --shard-id, so its shard is unknown; merge it with --allow-partial (the merged run is then marked incomplete)",
                        path: p)
                }
                unchecked.append(p)
                continue
            }
            let digest = try SHA256.hex(ofFileAt: p)
            guard digest == s.runSHA256 else {
                throw IndexerError.badInput(
                    "the run's bytes differ from those recorded in \(PartialSidecar.path(for: p)) (rewritten after its search?); search the shard again",
                    path: p)
            }
            sidecars.append((p, s))
        }
        guard let reference = mostCommon(sidecars.map(\.sidecar)) else {
            return Coverage(shards: nil, present: [], missing: [], unchecked: unchecked)
        }
        let referencePath = sidecars.first { sameSearch($0.sidecar, reference) }!.path
        var seen: [Int: String] = [:]
        for (p, s) in sidecars {
            if let why = difference(s, reference) {
                throw IndexerError.badInput(
                    "is a partial run of another search than \(referencePath): \(why); every partial must come from one index and one query file", path: p)
            }
            if let other = seen.updateValue(p, forKey: s.shard) {
                throw IndexerError.badInput("is shard \(s.shard) of \(s.shards), as is \(other); give each shard's partial once", path: p)
            }
        }
        let missing = (0..<reference.shards).filter { seen[$0] == nil }
        if !missing.isEmpty && !allowPartial {
            let names = missing.map(String.init).joined(separator: ", ")
            let what = missing.count == 1 ? "shard \(names) of \(reference.shards) is" : "shards \(names) of \(reference.shards) are"
            throw IndexerError.badInput(
                "\(what) missing: no partial run of \(missing.count == 1 ? "it" : "them") among the \(paths.count) given (a failed or unfinished search?); give every shard's partial, or --allow-partial to merge an incomplete run (marked incomplete)",
                path: nil)
        }
        return Coverage(shards: reference.shards, present: seen.keys.sorted(), missing: missing, unchecked: unchecked)
    }

    /// The sidecar that most partials agree with (the first such on a tie).
    static func mostCommon(_ all: [PartialSidecar]) -> PartialSidecar? {
        var best: (PartialSidecar, Int)?
        for s in all {
            let n = all.filter { sameSearch($0, s) }.count
            if best == nil || n > best!.1 { best = (s, n) }
        }
        return best?.0
    }

    static func sameSearch(_ a: PartialSidecar, _ b: PartialSidecar) -> Bool { difference(a, b) == nil }

    /// What makes `s` a partial of another search than `r`, or nil.
    static func difference(_ s: PartialSidecar, _ r: PartialSidecar) -> String? {
        if s.index != r.index || s.shards != r.shards {
            return
                "index manifest \(s.index.prefix(12)) (\(s.shards) shards, model \(s.model)), not \(r.index.prefix(12)) (\(r.shards) shards, model \(r.model))"
        }
        if s.queries != r.queries { return "query file digest \(s.queries.prefix(12)), not \(r.queries.prefix(12))" }
        if s.retriever != r.retriever { return "retriever \(s.retriever), not \(r.retriever)" }
        return nil
    }

    /// The marker `indexer merge --allow-partial` writes beside an incomplete merged run.
    public static func markerPath(for run: String) -> String { run + ".incomplete.json" }

    /// Writes (incomplete) or removes (complete) the marker beside the merged run `out`.
    public static func mark(_ coverage: Coverage, mergedRun out: String) throws {
        guard out != "-", InputFile.isRegularFile(out) else { return }
        let marker = markerPath(for: out)
        if coverage.isComplete {
            if unlink(marker) != 0 && errno != ENOENT { throw IndexerError.io("cannot remove a stale marker", path: marker) }
            return
        }
        var o: [String: Any] = [
            "format": "indexer-incomplete-run", "version": 1, "present_shards": coverage.present,
            "missing_shards": coverage.missing, "unchecked_partials": coverage.unchecked,
        ]
        if let n = coverage.shards { o["shards"] = n }
        let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(data + Data("\n".utf8), to: marker)
    }
}
