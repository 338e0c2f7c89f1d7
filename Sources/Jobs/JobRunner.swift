import Evaluation
import Formats
import Foundation
import Indexing
import Inference
import Reranking
import Retrieval
import ShardStore

/// The steps of a job, in pipeline order.
public enum JobStep: String, CaseIterable, Sendable {
    case build, search, rerank, eval, report
}

/// How `indexer run` was asked to run a job.
public struct JobRunOptions: Sendable {
    /// Run only this step (its inputs must exist).
    public var only: JobStep?
    /// Run steps even when their inputs did not change.
    public var force = false
    /// No progress output.
    public var quiet = false
    /// The environment the steps see (tests pass their own).
    public var environment: [String: String]
    public init(
        only: JobStep? = nil, force: Bool = false, quiet: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.only = only
        self.force = force
        self.quiet = quiet
        // A job builds and searches every shard on this machine, whatever a scheduler set.
        var env = environment
        env["JOB_COMPLETION_INDEX"] = nil
        env["SLURM_ARRAY_TASK_ID"] = nil
        self.environment = env
    }
}

/// What a job run did.
public struct JobOutcome: Sendable {
    /// Each step and whether it ran ("ran"), was skipped ("skipped"), or does not apply.
    public var steps: [(step: JobStep, status: String, seconds: Double)] = []
    /// The final run's figures, metric name → value.
    public var figures: [String: Double] = [:]
    /// One line per gate that failed, naming the metric, the figure and the bound.
    public var gateFailures: [String] = []
    /// The final run (reranked if the job reranks, else the candidates).
    public var finalRun: String = ""
}

/// Runs a job file's pipeline, skipping every step whose inputs did not change.
public final class JobRunner {
    let spec: JobSpec
    let options: JobRunOptions
    let stateDir: String
    let log: RunLog
    let hashes: FileFingerprints

    /// Where each step writes, under the job's output folder.
    public struct Paths: Sendable {
        public var candidates: String
        public var reranked: String
        public var timings: String
        public var metrics: String
        public var reportDir: String

        /// Where a hybrid search step keeps its two lists (`candidates.bm25.run`, `candidates.dense.run`).
        public var componentRunsPrefix: String { String(candidates.dropLast(".run".count)) }
        public var componentRuns: [(retriever: Retriever, path: String)] { SearchOptions.componentRuns(prefix: componentRunsPrefix) }
    }
    public let paths: Paths

    public init(spec: JobSpec, options: JobRunOptions = JobRunOptions()) throws {
        self.spec = spec
        self.options = options
        stateDir = spec.output + "/.state"
        try Folders.create(spec.output)
        try Folders.create(stateDir)
        log = RunLog(path: spec.output + "/run-log.jsonl", runID: UUID().uuidString.lowercased())
        hashes = FileFingerprints(cachePath: stateDir + "/file-hashes.json")
        paths = Paths(
            candidates: spec.output + "/candidates.run",
            reranked: spec.output + "/reranked.run",
            timings: spec.output + "/rerank-timings.jsonl",
            metrics: spec.output + "/metrics.json",
            reportDir: spec.output + "/report")
    }

    /// Runs the pipeline (or the one step asked for) and checks the gates.
    public func run() throws -> JobOutcome {
        var outcome = JobOutcome()
        try preflight()
        try log.append([
            "event": "start", "indexer_version": IndexerVersion.current, "job": spec.path, "only": options.only?.rawValue ?? "all", "force": options.force,
        ])
        defer { try? hashes.save() }
        for step in JobStep.allCases {
            if let only = options.only, only != step { continue }
            guard let plan = try plan(step) else {
                outcome.steps.append((step, "not in this job", 0))
                continue
            }
            let (status, secs) = try execute(plan)
            outcome.steps.append((step, status, secs))
        }
        outcome.finalRun = spec.rerank != nil ? paths.reranked : paths.candidates
        if spec.qrels != nil, FileManager.default.fileExists(atPath: paths.metrics) {
            outcome.figures = try readFigures()
            outcome.gateFailures = Gates.check(spec.gates, figures: outcome.figures, run: outcome.finalRun)
        }
        try log.append(["event": "end", "figures": outcome.figures, "gate_failures": outcome.gateFailures])
        return outcome
    }

    /// Checks, before any step runs, that the inputs exist and that no output of the job
    /// would overwrite one of them (an expensive step must not fail on what was knowable).
    func preflight() throws {
        var inputs: [(role: String, path: String)] = [("corpus", spec.corpus), ("queries", spec.queries)]
        if let q = spec.qrels { inputs.append(("qrels", q)) }
        // A Hub reference is not a path: the resolver checks it when its step plans.
        if let m = spec.rerank?.model, !ModelResolver.isHubReference(m) { inputs.append(("rerank model", m)) }
        for (role, path) in inputs where !FileManager.default.fileExists(atPath: path) {
            throw IndexerError.badInput("the job's \(role) does not exist", path: path)
        }
        let outputs: [(role: String, path: String)] =
            [
                ("search step's run", paths.candidates), ("rerank step's run", paths.reranked),
                ("rerank timings", paths.timings), ("metrics", paths.metrics), ("run log", log.path),
            ] + paths.componentRuns.map { ("search step's list", $0.path) }
        for out in outputs { try OutputPath.refuseOverwriting(output: out, inputs: inputs) }
        let folders: [(role: String, path: String)] = [
            ("index folder", spec.index.directory), ("report folder", paths.reportDir),
            ("job state folder", stateDir),
        ]
        for folder in folders {
            for input in inputs where OutputPath.isInside(input.path, folder: folder.path) {
                throw IndexerError.badInput(
                    "the \(input.role) '\(input.path)' lies inside the job's \(folder.role), which the job rewrites; move it or change the job", path: spec.path
                )
            }
        }
    }

    // MARK: - Steps

    /// One step: its inputs and settings (the fingerprint), its outputs, and how to run it.
    struct Plan {
        var step: JobStep
        var inputs: [String]
        var settings: [String: String]
        /// The outputs to record once the step has run.
        var outputs: () throws -> [String]
        var run: () throws -> [String: Any]
    }

    func plan(_ step: JobStep) throws -> Plan? {
        switch step {
        case .build: return try buildPlan()
        case .search: return try searchPlan()
        case .rerank: return try rerankPlan()
        case .eval: return spec.qrels == nil ? nil : evalPlan()
        case .report: return spec.qrels == nil || spec.rerank == nil ? nil : reportPlan()
        }
    }

    func buildPlan() throws -> Plan {
        let ix = spec.index
        let modelFiles = try modelFiles(ix.model)
        return Plan(
            step: .build, inputs: [spec.corpus] + modelFiles,
            settings: JobRunner.promptSettings(ix).merging([
                "shards": "\(ix.shards)", "vectors": ix.vectors.description, "codec": ix.codec.description,
                "level": ix.level.map(String.init) ?? "default", "lexical": "\(ix.lexical)",
            ]) { $1 }
            .merging(ix.precision == .fp32 ? [:] : ["precision": ix.precision.rawValue]) { $1 },
            outputs: { try JobRunner.indexFiles(ix.directory) },
            run: { [spec, options] in
                var o = BuildOptions(corpusPath: spec.corpus, outDirectory: ix.directory, shardCount: ix.shards)
                o.modelDirectory = ix.model
                o.queryPrompt = ix.queryPrompt
                o.documentPrompt = ix.documentPrompt
                o.encoding = ix.vectors
                o.codec = ix.codec
                if let l = ix.level { o.level = l }
                o.batchSize = ix.batchSize
                o.threads = spec.threads
                o.precision = ix.precision
                o.quiet = options.quiet
                try JobRunner.applyLexical(&o, ix.lexical)
                return try self.buildIndex(o)
            })
    }

    func evalPlan() -> Plan {
        let runs = spec.rerank != nil ? [paths.candidates, paths.reranked] : [paths.candidates]
        return Plan(
            step: .eval, inputs: [spec.qrels!] + runs, settings: ["metrics": spec.metrics.joined(separator: ",")],
            outputs: { [paths] in [paths.metrics] },
            run: { [spec, paths] in
                // The eval command's own evaluation, so a job's figures are `indexer eval`'s.
                let request = EvalOptions(qrelsPath: spec.qrels!, runPaths: runs, metrics: try spec.metrics.map { try Metric(parsing: $0) })
                var perRun: [String: Any] = [:]
                for e in try EvalTool.evaluate(request, notes: false) {
                    perRun[URL(fileURLWithPath: e.runPath).lastPathComponent] = Dictionary(uniqueKeysWithValues: zip(e.metrics.map(\.name), e.means))
                }
                let data = try JSONText.serialize(["v": 1, "runs": perRun], layout: .pretty)
                try AtomicFile.write(data, to: paths.metrics)
                return perRun
            })
    }

    func reportPlan() -> Plan {
        let lists = spec.search.retriever == .hybrid ? paths.componentRuns.map { NamedRun(name: $0.retriever.rawValue, path: $0.path) } : []
        return Plan(
            step: .report, inputs: [spec.qrels!, paths.candidates, paths.reranked, paths.timings, spec.queries] + lists.map(\.path),
            settings: spec.reportLatencyBudgetMs.map { ["k": "\(spec.reportK)", "latency_budget_ms": "\($0)"] } ?? ["k": "\(spec.reportK)"],
            outputs: { [paths] in ["report.md", "report.json", "report.html"].map { paths.reportDir + "/" + $0 } },
            run: { [spec, paths] in
                var req = ReportOptions(
                    qrelsPath: spec.qrels!, firstStagePath: paths.candidates,
                    rerankedPaths: [paths.reranked], timingsPaths: [paths.timings],
                    outDir: paths.reportDir)
                req.k = spec.reportK
                req.depth = spec.rerank?.depth
                req.thresholds.latencyBudgetMs = spec.reportLatencyBudgetMs
                // The job's first stage is the baseline the reranker must beat, and a hybrid
                // job's two lists too (is reranking better than simply fusing?); the job's
                // queries and index feed the per-query drill-down.
                req.baselines = [NamedRun(name: spec.search.retriever.rawValue, path: paths.candidates)] + lists
                req.queriesPath = spec.queries
                let index = spec.index.directory
                req.documentTexts = { ids in try ShardTextSource(directory: index).lookup(ids, texts: ids).texts }
                let verdict = try DecisionReport.run(req)
                return ["verdict": verdict.split(separator: "\n").first.map(String.init) ?? ""]
            })
    }

    /// Builds the job's index. When the corpus, model or settings changed since the index
    /// was built, the new index is built beside it (`.NAME.rebuild`) and swapped in only once
    /// it is complete, so a bad corpus line or a kill never leaves the job without an index
    /// (a plain `indexer build` refuses such a folder instead). Only an index this job
    /// recorded is replaced, and it is said.
    func buildIndex(_ options: BuildOptions) throws -> [String: Any] {
        let dir = spec.index.directory
        guard let why = try staleIndexReason() else {
            let s = try IndexBuild.run(options, environment: self.options.environment)
            return ["documents": s.documents, "built": s.built, "skipped": s.skipped]
        }
        if !self.options.quiet { Console.info("build: \(why) changed since the index in \(dir) was built; building the new one beside it") }
        let staging = JobRunner.stagingDirectory(dir)
        var o = options
        o.outDirectory = staging
        // A rebuild left by a killed run resumes; one of other inputs is started afresh.
        let marker = staging + "/.job-rebuild"
        let wanted = try rebuildFingerprint()
        if let old = try? String(contentsOfFile: marker, encoding: .utf8), old != wanted { Folders.removeTree(staging) }
        try Folders.create(staging)
        try AtomicFile.write(wanted, to: marker)
        let s = try IndexBuild.run(o, environment: self.options.environment)
        guard s.manifestWritten else { throw IndexerError(.internal, "the rebuilt index has no manifest", path: staging) }
        unlink(marker)
        try Folders.replace(dir, with: staging)
        Folders.removeTree(staging)
        try log.append(["event": "index-replaced", "index": dir, "reason": why])
        return ["documents": s.documents, "built": s.built, "skipped": s.skipped, "replaced": why]
    }

    /// Where a changed index is rebuilt: a hidden sibling of the index folder (same file system).
    static func stagingDirectory(_ dir: String) -> String {
        let url = URL(fileURLWithPath: dir)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".rebuild"
    }

    /// The inputs and settings a rebuild is for, so a rebuild of other inputs is not resumed.
    private func rebuildFingerprint() throws -> String {
        let inputs = try ([spec.corpus] + modelFiles(spec.index.model)).map { "\($0)=\(try hashes.sha256(of: $0))" }
        return (inputs + [JobRunner.canonical(try buildPlan().settings)]).joined(separator: "\n") + "\n"
    }

    /// Why the job's recorded index is out of date (changed inputs or settings), or nil.
    func staleIndexReason() throws -> String? {
        let dir = spec.index.directory
        guard let rec = StepRecord.load(stateDir + "/build.json"),
            FileManager.default.fileExists(atPath: dir + "/manifest.json")
        else { return nil }
        let changed = try rec.inputs.keys.sorted().filter { path in
            FileManager.default.fileExists(atPath: path) ? try hashes.sha256(of: path) != rec.inputs[path] : true
        }
        let settingsNow = JobRunner.canonical(try buildPlan().settings)
        guard !changed.isEmpty || settingsNow != rec.settings else { return nil }
        return changed.isEmpty ? "its settings" : changed.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
    }

    // MARK: - Execution

    func execute(_ plan: Plan) throws -> (String, Double) {
        let name = plan.step.rawValue
        var inputHashes: [String: String] = [:]
        for p in plan.inputs {
            guard FileManager.default.fileExists(atPath: p) else {
                throw IndexerError(.badInput, "step \(name): input is missing", path: p)
            }
            inputHashes[p] = try hashes.sha256(of: p)
        }
        let settings = JobRunner.canonical(plan.settings)
        let fingerprint = StepRecord.fingerprint(step: name, settings: settings, inputs: inputHashes)
        let recordPath = stateDir + "/\(name).json"
        if !options.force, let rec = StepRecord.load(recordPath), rec.fingerprint == fingerprint, rec.outputsIntact(deep: false) {
            if !options.quiet { Console.info("\(name): up to date, skipped") }
            try log.append(["event": "step", "step": name, "status": "skipped", "fingerprint": fingerprint])
            return ("skipped", 0)
        }
        if !options.quiet { Console.info("\(name): running") }
        let started = Date()
        let figures: [String: Any]
        do {
            figures = try plan.run()
        } catch {
            log.appendOrWarn([
                "event": "step", "step": name, "status": "failed", "fingerprint": fingerprint,
                "error": "\(error)", "seconds": Date().timeIntervalSince(started),
            ])
            throw error
        }
        let secs = Date().timeIntervalSince(started)
        var outputs: [String: StepRecord.Output] = [:]
        for p in try plan.outputs() {
            outputs[p] = try StepRecord.Output.current(p)
        }
        let rec = StepRecord(
            step: name, fingerprint: fingerprint, inputs: inputHashes, settings: settings,
            outputs: outputs, finished: ISO8601DateFormatter().string(from: Date()))
        try rec.save(recordPath)
        try log.append([
            "event": "step", "step": name, "status": "ran", "fingerprint": fingerprint, "seconds": secs,
            "inputs": inputHashes, "outputs": outputs.mapValues { $0.sha256 }, "figures": figures,
        ])
        return ("ran", secs)
    }

    func readFigures() throws -> [String: Double] {
        guard let data = FileManager.default.contents(atPath: paths.metrics),
            let o = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let runs = o["runs"] as? [String: Any]
        else {
            throw IndexerError(.corrupt, "unreadable metrics file", path: paths.metrics)
        }
        let final = URL(fileURLWithPath: spec.rerank != nil ? paths.reranked : paths.candidates).lastPathComponent
        return (runs[final] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    // MARK: - Helpers

    /// Settings as one canonical line, `key=value` sorted by key: what a step record stores.
    static func canonical(_ settings: [String: String]) -> String {
        settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: ";")
    }

    /// The files of a model (a folder, or `hf:` resolved through the cache) that decide its
    /// output: weights, configs, tokenizer, the sentence-transformers modules and prompts.
    func modelFiles(_ model: String) throws -> [String] {
        let dir = try ModelResolver(environment: options.environment).resolve(model)
        var names = [
            "model.safetensors", "config.json", "tokenizer.json", "vocab.txt", "sentence_bert_config.json",
            "1_Pooling/config.json", "modules.json", "config_sentence_transformers.json", "tokenizer_config.json",
        ]
        if let modules = try? SentenceTransformerModules.load(directory: dir) { names += modules.files }
        names.append("model.safetensors.index.json")
        if let data = FileManager.default.contents(atPath: dir + "/model.safetensors.index.json"),
            let map = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["weight_map"] as? [String: String]
        {
            names += Set(map.values).sorted()
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.map { dir + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// The prompt overrides, only when set, so that jobs without them keep their fingerprints.
    static func promptSettings(_ ix: JobSpec.Index) -> [String: String] {
        var s: [String: String] = [:]
        if let q = ix.queryPrompt { s["query_prompt"] = q }
        if let d = ix.documentPrompt { s["document_prompt"] = d }
        return s
    }

    /// The manifest and every shard file of an index folder.
    static func indexFiles(_ dir: String) throws -> [String] {
        let manifest = try Manifest.load(directory: dir)
        return [dir + "/manifest.json"] + manifest.shards.map { dir + "/" + $0.file }
    }
}
