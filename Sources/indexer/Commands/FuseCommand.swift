import Formats
import Foundation
import Retrieval

/// `indexer fuse`: several runs into one candidate list.
struct FuseCommand: Command {
    static let name = "fuse"
    static let summary = "fuse runs (reciprocal rank fusion or min-max score sum) into one"
    static let synopsis = ["fuse --method rrf|minmax [--rrf-k K] --top-n N --out RUN [--tag NAME] RUN..."]
    static let about = """
        Combines runs (say a lexical and a dense run) into one candidate list for the reranker.
          rrf      reciprocal rank fusion: sum over runs of 1 / (K + rank), K default 60
          minmax   sum over runs of (score - min) / (max - min), per query and run (1 when all equal)
        A run's ranks come from sorting its lines by score descending, then document id
        ascending; a document missing from a run gets nothing from it. Fused lists are ordered
        by fused score descending, then document id ascending, and cut to N (docs/SEARCH.md).
        """
    static let options: [OptionSpec] = [
        .option("--method", "M", "rrf or minmax", default: "rrf", choices: ["rrf", "minmax"]),
        OptionSpec(
            name: "--rrf-k", value: "K", help: "the RRF constant, a number >= 0 (--method rrf only)",
            defaultText: "\(Int(FusionMethod.defaultK))", deprecatedAliases: ["--k"]),
        .option("--top-n", "N", "results a query (1...1000000)"),
        .option("--out", "RUN", "the run file written (- for stdout)", path: true),
        .option("--tag", "NAME", "run tag", default: "fused-rrf or fused-minmax"),
        .logJSON,
    ]
    static let operands = Operands.paths

    let paths: [String]
    let method: FusionMethod
    let topN: Int
    let out: String
    let tag: String

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard !a.positionals.isEmpty else { throw IndexerError(.usage, "no runs given") }
        paths = a.positionals
        let m = try a.choice("--method", ["rrf", "minmax"], default: "rrf")
        if m == "rrf" {
            let k = try a.double("--rrf-k", default: FusionMethod.defaultK)!
            guard k >= 0 else { throw IndexerError(.usage, "--rrf-k must not be negative") }
            method = .rrf(k: k)
        } else {
            guard a.string("--rrf-k") == nil else { throw IndexerError(.usage, "--rrf-k applies to --method rrf only") }
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
