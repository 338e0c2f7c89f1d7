import Formats
import Foundation
import Retrieval

/// `indexer fuse`: several runs into one candidate list.
struct FuseCommand: Command {
    static let name = "fuse"
    static let summary = "fuse runs (reciprocal rank fusion or min-max score sum) into one"
    static let usage = """
        usage: indexer fuse --method rrf|minmax [--k K] --top-n N --out RUN [--tag NAME] RUN...

        Combines runs (say a lexical and a dense run) into one candidate list for the reranker.
          rrf      reciprocal rank fusion: sum over runs of 1 / (K + rank), K default 60
          minmax   sum over runs of (score - min) / (max - min), per query and run (1 when all equal)
        A run's ranks come from sorting its lines by score descending, then document id
        ascending; a document missing from a run gets nothing from it. Fused lists are ordered
        by fused score descending, then document id ascending, and cut to N (docs/SEARCH.md).

          --top-n N     results a query
          --out RUN     the run file written
          --tag NAME    run tag (default fused-rrf or fused-minmax)
        """

    let paths: [String]
    let method: FusionMethod
    let topN: Int
    let out: String
    let tag: String

    init(arguments: [String]) throws {
        let a = try Arguments(arguments, options: ["--method", "--k", "--top-n", "--out", "--tag"])
        guard !a.positionals.isEmpty else { throw IndexerError(.usage, "no runs given") }
        paths = a.positionals
        let m = try a.choice("--method", ["rrf", "minmax"], default: "rrf")
        if m == "rrf" {
            let k = try a.double("--k", default: FusionMethod.defaultK)!
            guard k >= 0 else { throw IndexerError(.usage, "--k must not be negative") }
            method = .rrf(k: k)
        } else {
            guard a.string("--k") == nil else { throw IndexerError(.usage, "--k applies to --method rrf only") }
            method = .minMax
        }
        topN = try a.int("--top-n", in: 1...1_000_000) ?? { throw IndexerError(.usage, "missing --top-n") }()
        out = try a.required("--out")
        tag = a.string("--tag") ?? "fused-\(m)"
    }

    func run() throws {
        try OutputPath.refuseOverwriting(output: ("fused run", out), inputs: paths.map { ("run", $0) })
        let n = try RunFusion.run(paths: paths, method: method, topN: topN, out: out, tag: tag)
        Console.info("fused \(paths.count) runs: \(n) queries")
    }
}
