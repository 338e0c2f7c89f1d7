import Evaluation
import Formats
import Foundation
import Reranking

/// `indexer report`: does the reranker earn its latency on this data?
struct ReportCommand: Command {
    static let name = "report"
    static let summary = "decide whether reranking pays: headroom, gain, significance, cost"
    static let synopsis = [
        "report --qrels FILE --first-stage RUN --reranked RUN [--timings FILE] [--k 10] [--depth N] [--out DIR] [--all-judged]",
        "report --qrels FILE --first-stage RUN --sweep 10,20,50,100 --reranked RUN10 --reranked RUN20 ... "
            + "[--timings T10 --timings T20 ...]",
        "report --qrels FILE --first-stage RUN --reranked NAME=RUN... [--timings NAME=FILE...] [--baseline NAME=RUN...]",
    ]
    static let about = """
        Writes DIR/report.md (for people), DIR/report.json (the same figures), and with --sweep
        DIR/sweep.svg and DIR/sweep.csv (nDCG@k and latency against rerank depth). Prints the
        verdict: reranking pays | reranking hurts | the first stage is already precise |
        recall is the problem | gain not significant, with its reason; the thresholds are in the report.
        """
    static let options: [OptionSpec] = [
        .option("--qrels", "FILE", "judgments (TREC or BEIR TSV)", path: true),
        .option("--first-stage", "RUN", "the candidates the reranker reordered", path: true),
        .option(
            "--reranked", "RUN",
            "the reranked run (once per --sweep depth, in the same order), or NAME=RUN: one configuration of several "
                + "rerankers (a name repeated = that model at another depth)", path: true, repeatable: true),
        .option(
            "--timings", "FILE",
            "the rerank job's timings (JSON lines qid/pairs/tokens/ms), one per --reranked run; "
                + "NAME=FILE for named runs", path: true, repeatable: true),
        .option("--k", "K", "cutoff for nDCG/P/MRR at the top", default: "10"),
        .option("--depth", "N", "rerank depth without --sweep", default: "longest reranked list"),
        .option("--sweep", "LIST", "comma-separated depths, one per --reranked run"),
        .option("--out", "DIR", "output folder", default: "report", path: true),
        .option("--permutations", "N", "sign flips of the randomisation test", default: "10000"),
        .option("--seed", "N", "its seed", default: "20240601"),
        .option("--alpha", "P", "significance level", default: "0.05"),
        .option("--min-gain", "G", "smallest nDCG@k gain that counts", default: "0.01"),
        .option(
            "--latency-budget-ms", "B",
            "a run that pays but whose p95 rerank ms per query is over B is \"pays but does not fit\" (the verdict names a depth that fits)"),
        .option("--keep-gain", "F", "the sweep's cheapest depth keeps at least this share of the best gain", default: "0.9"),
        .flag("--all-judged", "judged queries missing from the first stage count as 0"),
        .option("--note", "TEXT", "a paragraph about the inputs, shown under the verdict"),
        .option(
            "--baseline", "NAME=RUN",
            "a cheaper alternative without a reranker (bm25, dense, hybrid); \"the baseline is better\" / "
                + "\"no better than the baseline\" when it wins", path: true, repeatable: true),
        .option("--queries", "FILE", "query texts for the per-query drill-down", path: true),
        .option("--index", "DIR", "document texts for the drill-down, from an index (first words of each)", path: true),
        .option("--corpus", "FILE", "document texts for the drill-down, from a corpus (excludes --index)", path: true),
        .option("--drill-down", "N", "queries listed on each side (lost most, won most; 0 = none)", default: "5"),
    ]
    static let notes = """
        With several named rerankers (--reranked NAME=RUN), the verdict is about the cheapest
        configuration (p50) indistinguishable from the best (paired randomisation test against the
        best, Holm-corrected); DIR/frontier.svg plots nDCG@k against ms per query with the Pareto
        frontier.
        """

    let request: ReportOptions

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
        var reranked = a.strings("--reranked")
        guard !reranked.isEmpty else { throw IndexerError(.usage, "missing --reranked") }
        var timings = a.strings("--timings")
        let named = try Self.namedRuns(reranked, timings)
        if let named { reranked = named.map(\.run.path); timings = named.compactMap(\.timings) }
        var r = ReportOptions(
            qrelsPath: try a.required("--qrels"), firstStagePath: try a.required("--first-stage"),
            rerankedPaths: reranked, timingsPaths: timings, outDir: a.string("--out") ?? "report")
        r.names = named?.map(\.run.name)
        r.baselines = try a.strings("--baseline").map { try Self.split($0, flag: "--baseline") }
        r.queriesPath = a.string("--queries")
        r.drillDown = try a.int("--drill-down", default: 5, in: 0...1000) ?? 5
        r.documentTexts = try Self.texts(index: a.string("--index"), corpus: a.string("--corpus"))
        r.k = try a.int("--k", default: 10, in: 1...100_000) ?? 10
        r.depth = try a.int("--depth", in: 1...10_000_000)
        if let list = a.list("--sweep") {
            let depths = try list.map { s -> Int in
                guard let d = Int(s), d > 0 else { throw IndexerError(.usage, "--sweep takes positive whole depths, not '\(s)'") }
                return d
            }
            guard depths.count == reranked.count else {
                throw IndexerError(.usage, "--sweep has \(depths.count) depths but \(reranked.count) --reranked runs were given")
            }
            guard Set(depths).count == depths.count else { throw IndexerError(.usage, "--sweep repeats a depth") }
            guard named == nil else {
                throw IndexerError(.usage, "--sweep applies to unnamed --reranked runs; NAME=RUN runs take their depth from their timings or run")
            }
            guard r.depth == nil else { throw IndexerError(.usage, "--depth and --sweep exclude each other") }
            r.sweep = depths
        } else if reranked.count > 1 && named == nil {
            throw IndexerError(.usage, "several --reranked runs need --sweep with their depths")
        }
        guard timings.isEmpty || timings.count == reranked.count else {
            throw IndexerError(.usage, "give one --timings per --reranked run (\(reranked.count)), not \(timings.count)")
        }
        r.permutations = try a.int("--permutations", default: 10_000, in: 1...10_000_000) ?? 10_000
        r.seed = UInt64(try a.int("--seed", default: 20_240_601, in: 0...Int.max) ?? 20_240_601)
        r.thresholds.alpha = try a.double("--alpha", default: 0.05) ?? 0.05
        guard r.thresholds.alpha > 0 && r.thresholds.alpha < 1 else { throw IndexerError(.usage, "--alpha must be between 0 and 1") }
        r.thresholds.minimumGain = try a.double("--min-gain", default: 0.01) ?? 0.01
        if let b = try a.double("--latency-budget-ms") {
            guard b > 0 && b.isFinite else { throw IndexerError(.usage, "--latency-budget-ms must be a positive number of milliseconds") }
            r.thresholds.latencyBudgetMs = b
        }
        r.thresholds.keepGain = try a.double("--keep-gain", default: 0.9) ?? 0.9
        guard r.thresholds.keepGain > 0 && r.thresholds.keepGain <= 1 else { throw IndexerError(.usage, "--keep-gain must be in (0, 1]") }
        r.rules.allJudged = a.flag("--all-judged")
        r.note = a.string("--note")
        request = r
    }

    /// `--reranked NAME=RUN` runs with their `--timings NAME=FILE` (in order per name); nil when
    /// the runs are unnamed. Mixing the forms, or a timings name without a run, is a usage error.
    static func namedRuns(_ reranked: [String], _ timings: [String]) throws -> [(run: NamedRun, timings: String?)]? {
        let runs = try reranked.map { try split($0, flag: "--reranked", optional: true) }
        guard runs.contains(where: { $0.name != "" }) else { return nil }
        guard runs.allSatisfy({ $0.name != "" }) else { throw IndexerError(.usage, "--reranked: give every run as NAME=RUN, or none") }
        var byName: [String: [String]] = [:]
        for t in timings {
            let x = try split(t, flag: "--timings")
            guard runs.contains(where: { $0.name == x.name }) else { throw IndexerError(.usage, "--timings \(t): no --reranked run is named '\(x.name)'") }
            byName[x.name, default: []].append(x.path)
        }
        var used: [String: Int] = [:]
        let out = runs.map { run -> (run: NamedRun, timings: String?) in
            let i = used[run.name, default: 0]
            used[run.name] = i + 1
            let t = byName[run.name] ?? []
            return (run, i < t.count ? t[i] : nil)
        }
        guard out.allSatisfy({ $0.timings != nil }) || out.allSatisfy({ $0.timings == nil }) else {
            throw IndexerError(.usage, "--timings: give one NAME=FILE per --reranked NAME=RUN, or none")
        }
        return out
    }

    /// NAME=PATH (a name without '/'); with `optional`, a plain path gives an empty name.
    static func split(_ s: String, flag: String, optional: Bool = false) throws -> NamedRun {
        if let eq = s.firstIndex(of: "="), !s[..<eq].isEmpty, !s[..<eq].contains("/"), s.index(after: eq) < s.endIndex {
            return NamedRun(name: String(s[..<eq]), path: String(s[s.index(after: eq)...]))
        }
        guard optional else { throw IndexerError(.usage, "\(flag) takes NAME=FILE, not '\(s)'") }
        return NamedRun(name: "", path: s)
    }

    /// Document texts for the drill-down from `--index` (the shards) or `--corpus`.
    static func texts(index: String?, corpus: String?) throws -> (@Sendable (Set<String>) throws -> [String: String])? {
        guard index == nil || corpus == nil else { throw IndexerError(.usage, "--index and --corpus exclude each other") }
        guard let path = index ?? corpus else { return nil }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue == (index != nil) else {
            throw IndexerError(.usage, index != nil ? "--index: no index folder at '\(path)'" : "--corpus: no corpus file at '\(path)'")
        }
        return { ids in try DocumentTextSources.open(path).lookup(ids, texts: ids).texts }
    }

    func run() throws {
        let text = try DecisionReport.run(request)
        try StandardOutput.write(text)
    }
}
