import Formats
import Foundation
import Retrieval

/// `indexer merge`: partial runs of a distributed search into one run.
struct MergeCommand: Command {
    static let name = "merge"
    static let summary = "merge the partial runs of a distributed search into one run"
    static let synopsis = ["merge --top-n N --out RUN [--tag NAME] [--queries FILE] [--allow-partial] PARTIAL..."]
    static let about = """
        Reduces the partial runs written by 'indexer search --shard-id I' (one a shard) into the
        top N a query under the search's order (score descending, then document id ascending):
        the same bytes as one search over all shards, provided each partial was searched with a
        --top-n of at least N. Scores are read back exactly; a partial not in the search's own
        layout, a document in two partials, or partials from different query files are refused.
        Each partial's sidecar (RUN.partial.json) must show one index, one query file and every
        shard once: a missing shard, a shard given twice, a partial of another index or one
        without a sidecar is refused, naming it (exit 2).
        """
    static let options: [OptionSpec] = [
        .option("--top-n", "N", "results a query (1...1000000)"),
        .option("--out", "RUN", "the run file written (- for stdout)", path: true),
        .option("--tag", "NAME", "run tag", default: "the partials' tag"),
        .option(
            "--queries", "FILE",
            "the query file searched: fixes the order of queries that some partials lack (BM25 queries without a hit "
                + "in some shard) when the partials alone do not", path: true),
        .flag(
            "--allow-partial",
            "merge even if shards are missing or partials lack a sidecar; the merged run is then marked incomplete in "
                + "RUN.incomplete.json and a warning says so (a complete merge removes a stale marker)"),
        .logJSON,
    ]
    static let operands = Operands.paths

    let paths: [String]
    let topN: Int
    let out: String
    let tag: String?
    let queriesPath: String?
    let allowPartial: Bool

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard !a.positionals.isEmpty else { throw IndexerError(.usage, "no partial runs given") }
        paths = a.positionals
        topN = try a.int("--top-n", in: 1...1_000_000) ?? { throw IndexerError(.usage, "missing --top-n") }()
        out = try a.required("--out")
        tag = a.string("--tag")
        queriesPath = a.string("--queries")
        allowPartial = a.flag("--allow-partial")
    }

    func run() throws {
        try OutputPath.refuseOverwriting(
            output: ("merged run", out),
            inputs: paths.map { ("partial run", $0) } + (queriesPath.map { [("queries", $0)] } ?? []))
        let coverage = try PartialSet.check(paths: paths, allowPartial: allowPartial)
        let order = try queriesPath.map { try QueryReader.read(path: $0).map(\.id) }
        let s = try RunMerge.run(paths: paths, topN: topN, out: out, tag: tag, queryOrder: order)
        try PartialSet.mark(coverage, mergedRun: out)
        if !coverage.isComplete {
            let missing =
                coverage.missing.isEmpty ? "" : "shards \(coverage.missing.map(String.init).joined(separator: ", ")) of \(coverage.shards ?? 0) missing; "
            let unchecked = coverage.unchecked.isEmpty ? "" : "\(coverage.unchecked.count) partials without a sidecar; "
            Console.warning("\(out) is an INCOMPLETE merge (--allow-partial): \(missing)\(unchecked)marked in \(PartialSet.markerPath(for: out))")
        }
        Console.info("merged \(s.partials) partial runs: \(s.queries) queries, \(s.lines) lines")
    }
}
