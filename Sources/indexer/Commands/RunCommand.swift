import Formats
import Foundation
import Jobs

/// `indexer run`: a job file's whole pipeline, each step skipped when its inputs did not change.
struct RunCommand: Command {
    static let name = "run"
    static let summary = "run a job file's pipeline: build, search, rerank, eval, report"
    static let synopsis = ["run JOB.json [--only build|search|rerank|eval|report] [--force] [--set KEY=VALUE]... [--quiet]"]
    static let about = """
        Runs build -> search -> rerank -> eval -> report as the job file describes (docs/JOBS.md).
        Each step records what it was made from (input hashes, settings, model) in
        OUTPUT/.state/; a step whose inputs did not change is skipped, so a cron run after a crash
        or with nothing new does only what is missing. Every step is logged to OUTPUT/run-log.jsonl.
        """
    static let options: [OptionSpec] = [
        .option("--only", "STEP", "run this step alone (its inputs must exist)", choices: JobStep.allCases.map(\.rawValue)),
        .flag("--force", "run steps even when nothing changed"),
        .option(
            "--set", "KEY=VALUE",
            "override a job key (dotted, e.g. --set rerank.depth=50, --set corpus=/data/scifact/corpus.jsonl; paths relative to here)",
            repeatable: true),
        .quiet("no progress on standard error"),
        .logJSON,
    ]
    static let operands = Operands.paths
    static let notes = """
        exit codes: 0 success, 1 a step failed, 2 bad job file or arguments,
                    3 a quality gate failed (the message names the metric, the figure and the bound)
        """

    let jobPath: String
    let overrides: [String]
    let options: JobRunOptions

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.count == 1 else { throw IndexerError(.usage, "give exactly one JOB file") }
        jobPath = a.positionals[0]
        overrides = a.strings("--set")
        var o = JobRunOptions(force: a.flag("--force"), quiet: a.flag("--quiet"))
        if let s = a.string("--only") {
            guard let step = JobStep(rawValue: s) else {
                throw IndexerError(.usage, "--only takes one of \(JobStep.allCases.map(\.rawValue).joined(separator: "|")), not '\(s)'")
            }
            o.only = step
        }
        options = o
    }

    func run() throws {
        let spec = try JobSpec.load(path: jobPath, overrides: overrides)
        let outcome = try JobRunner(spec: spec, options: options).run()
        var out = "job \(spec.name):\n"
        for s in outcome.steps {
            let t = s.status == "ran" ? String(format: " (%.1f s)", s.seconds) : ""
            out += "  \(s.step.rawValue): \(s.status)\(t)\n"
        }
        if outcome.steps.allSatisfy({ $0.status != "ran" }) { out += "nothing to do: every step is up to date\n" }
        for key in outcome.figures.keys.sorted() {
            out += String(format: "  %@ = %.4f\n", key, outcome.figures[key]!)
        }
        try StandardOutput.write(out)
        if !outcome.gateFailures.isEmpty {
            for f in outcome.gateFailures { Console.error(f) }
            let n = outcome.gateFailures.count
            throw IndexerError(.gateFailed, "\(n) quality gate\(n == 1 ? "" : "s") failed")
        }
    }
}
