import Evaluation
import Formats
import Foundation
import Indexing
import Inference
import Reranking
import Retrieval
import ShardStore

/// A job file: one pipeline (build → search → fuse → rerank → eval → report) for cron or CI.
///
/// Format version 1, described key by key in docs/JOBS.md. Paths are relative to the job
/// file's folder. Unknown keys and bad values are refused with the key's name.
public struct JobSpec: Sendable, Equatable {
    /// The job's name: names the default index and output folders.
    public var name: String
    /// The job file's path (for messages) and folder (for relative paths).
    public var path: String

    public var corpus: String
    public var queries: String
    public var qrels: String?

    public struct Index: Sendable, Equatable {
        public var directory: String
        public var shards: Int = 1
        /// A bi-encoder folder or `hf:ORG/NAME[@REV]`.
        public var model: String
        /// `index.query_prompt` / `index.document_prompt`: prompt overrides (nil: the model's).
        public var queryPrompt: String?
        public var documentPrompt: String?
        public var vectors: VectorEncoding = .f32
        public var codec: BlockCodec = .zstd
        public var level: Int?
        public var lexical: Bool = false
        public var batchSize: Int = BuildOptions.defaultBatchSize
        /// The bi-encoder's precision for documents and queries.
        public var precision: Precision = .fp32
    }
    public var index: Index

    public struct Search: Sendable, Equatable {
        public var retriever: Retriever = .dense
        public var topN: Int = 100
        public var batchSize: Int = SearchOptions.defaultBatchSize
        /// For hybrid: fusion method (`.rrf(k: rrfK)` or `.minMax`) and depth each list is cut at.
        public var fusion: FusionMethod = .rrf(k: FusionMethod.defaultK)
        public var rrfK: Int = Int(FusionMethod.defaultK)
        public var fusionDepth: Int = FusionMethod.defaultDepth
        /// The job file's name of the fusion method.
        public var fusionName: String { fusion == .minMax ? "minmax" : "rrf" }
    }
    public var search: Search

    public struct Rerank: Sendable, Equatable {
        /// nil: the committed default reranker.
        public var model: String?
        public var depth: Int = 20
        public var tail: TailPolicy = .keep
        public var batchSize: Int = RerankOptions.defaultBatchSize
        /// Word pieces a pair; nil: the model's declared `model_max_length` (else 512).
        public var maxLength: Int?
        /// Weight of the first stage's score in the head's order; nil: the model's declared
        /// weight (0 when it declares none).
        public var interpolate: Double?
        /// The cross-encoder's precision.
        public var precision: Precision = .fp32
    }
    /// nil when the job does not rerank.
    public var rerank: Rerank?

    public var metrics: [String] = ["ndcg@10", "recall@100", "mrr@10", "map", "p@10"]
    public var reportK: Int = 10
    /// `report.latency_budget_ms`: the p95 rerank ms per query the report checks; nil = none.
    public var reportLatencyBudgetMs: Double?
    public var output: String
    public var threads: Int?

    /// A gate: the final run's figure for `metric` must lie within [min, max].
    public struct Gate: Sendable, Equatable {
        public var metric: String
        public var min: Double?
        public var max: Double?
    }
    public var gates: [Gate] = []
}

extension JobSpec {
    /// The current job-file format version.
    public static let formatVersion = 1

    /// Reads and validates a job file; `overrides` are `key=value` pairs (dotted keys, e.g.
    /// `rerank.depth=50`) applied before validation, with paths relative to the current folder.
    public static func load(path: String, overrides: [String] = []) throws -> JobSpec {
        let data = try InputFile.contents(path)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw IndexerError.badInput("not valid JSON (\(error.localizedDescription))", path: path)
        }
        guard var root = object as? [String: Any] else {
            throw IndexerError.badInput("a job file is a JSON object", path: path)
        }
        var cliPaths: Set<String> = []
        for o in overrides {
            guard let eq = o.firstIndex(of: "="), eq != o.startIndex else {
                throw IndexerError(.usage, "--set takes KEY=VALUE, not '\(o)'")
            }
            let key = String(o[..<eq]), raw = String(o[o.index(after: eq)...])
            try JobSpec.set(&root, key: key.split(separator: ".").map(String.init), raw: raw, file: path)
            cliPaths.insert(key)
        }
        return try JobSpec(root: root, path: path, cliPaths: cliPaths)
    }

    private static func set(_ object: inout [String: Any], key: [String], raw: String, file: String) throws {
        guard let first = key.first else { return }
        if key.count == 1 {
            // A value that parses as JSON (number, bool, null, array) is taken as such, else a string.
            if let d = raw.data(using: .utf8), let v = try? JSONSerialization.jsonObject(with: d, options: .fragmentsAllowed),
                !(v is String)
            {
                object[first] = v
            } else {
                object[first] = raw
            }
            return
        }
        var inner = object[first] as? [String: Any] ?? [:]
        try set(&inner, key: Array(key.dropFirst()), raw: raw, file: file)
        object[first] = inner
    }

    // Long: one flat pass over the job file's keys in the order JOBS.md documents them; split
    // by step it would need the reader threaded through five helpers. The per-step options
    // types of issue #12 are where this goes next.
    init(root: [String: Any], path: String, cliPaths: Set<String>) throws {
        let r = Reader(root, file: path, prefix: "", cliPaths: cliPaths)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try r.refuseUnknown([
            "version", "name", "corpus", "queries", "qrels", "index", "search", "rerank",
            "eval", "report", "output", "threads", "gates", "description",
        ])
        let version = try r.int("version", default: JobSpec.formatVersion)
        guard version == JobSpec.formatVersion else {
            throw IndexerError.badInput("version: this indexer reads job files of version \(JobSpec.formatVersion), not \(version)", path: path)
        }
        self.path = path
        name = try r.string("name", default: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw IndexerError.badInput("name: '\(name)' must be letters, digits, '-', '_' or '.'", path: path)
        }
        corpus = try r.path("corpus", relativeTo: dir)
        queries = try r.path("queries", relativeTo: dir)
        qrels = try r.optionalPath("qrels", relativeTo: dir)
        output = try r.path("output", relativeTo: dir, default: "../out/\(name)")
        threads = try r.optionalInt("threads", in: CPUBudget.threadRange)

        let ir = try r.object("index")
        try ir.refuseUnknown([
            "dir", "shards", "model", "vectors", "codec", "level", "lexical", "batch_size",
            "query_prompt", "document_prompt", "precision",
        ])
        index = Index(
            directory: try ir.path("dir", relativeTo: dir, default: "../shards/\(name)"),
            model: try ir.modelPath("model", relativeTo: dir, default: "../models/all-MiniLM-L6-v2"))
        index.queryPrompt = try ir.optionalString("query_prompt")
        index.documentPrompt = try ir.optionalString("document_prompt")
        index.shards = try ir.int("shards", default: 1, in: BuildOptions.shardRange)
        index.vectors = try ir.choice("vectors", [.f32, .f16, .int8], default: .f32, name: \.description)
        index.codec = try ir.choice("codec", [.zstd, .lz4], default: .zstd, name: \.description)
        index.level = try ir.optionalInt("level", in: BuildOptions.levelRange)
        index.lexical = try ir.bool("lexical", default: false)
        index.batchSize = try ir.int("batch_size", default: BuildOptions.defaultBatchSize, in: BuildOptions.batchSizeRange)
        index.precision = try ir.choice("precision", Precision.allCases, default: .fp32, name: \.rawValue)

        let sr = try r.object("search")
        try sr.refuseUnknown(["retriever", "top_n", "batch_size", "fusion", "rrf_k", "fusion_depth"])
        search = Search()
        search.retriever = try sr.choice("retriever", Retriever.allCases, default: .dense, name: \.rawValue)
        search.topN = try sr.int("top_n", default: 100, in: SearchOptions.topNRange)
        search.batchSize = try sr.int("batch_size", default: SearchOptions.defaultBatchSize, in: SearchOptions.batchSizeRange)
        let fusion = try sr.choice("fusion", ["rrf", "minmax"], default: "rrf")
        search.rrfK = try sr.int("rrf_k", default: Int(FusionMethod.defaultK), in: SearchOptions.rrfKRange)
        search.fusion = fusion == "rrf" ? .rrf(k: Double(search.rrfK)) : .minMax
        search.fusionDepth = try sr.int("fusion_depth", default: FusionMethod.defaultDepth, in: FusionMethod.depthRange)
        if search.retriever.usesLexical && !index.lexical {
            throw IndexerError.badInput("search.retriever: '\(search.retriever.rawValue)' needs \"index\": {\"lexical\": true}", path: path)
        }

        if r.isNull("rerank") || r.isFalse("rerank") {
            rerank = nil
        } else {
            let rr = try r.object("rerank")
            try rr.refuseUnknown(["model", "depth", "tail", "batch_size", "max_length", "interpolate", "precision"])
            var x = Rerank()
            x.model = rr.object["model"] == nil || rr.isNull("model") ? nil : try rr.modelPath("model", relativeTo: dir)
            x.depth = try rr.int("depth", default: 20, in: RerankOptions.depthRange)
            x.tail = try rr.choice("tail", TailPolicy.allCases, default: .keep, name: \.rawValue)
            x.batchSize = try rr.int("batch_size", default: RerankOptions.defaultBatchSize, in: RerankOptions.batchSizeRange)
            x.maxLength = try rr.optionalInt("max_length", in: RerankOptions.maxLengthRange)
            x.interpolate = try rr.optionalDouble("interpolate")
            x.precision = try rr.choice("precision", Precision.allCases, default: .fp32, name: \.rawValue)
            if let w = x.interpolate, !(0...1).contains(w) {
                throw rr.fail("interpolate", "\(w) is outside 0...1")
            }
            guard x.depth <= search.topN else {
                throw IndexerError.badInput("rerank.depth: \(x.depth) is deeper than search.top_n \(search.topN)", path: path)
            }
            rerank = x
        }

        let er = try r.object("eval")
        try er.refuseUnknown(["metrics"])
        // Parsed here, so an unknown name fails before any step runs (exit 2, naming the key).
        var parsed: [String] = []
        for m in try er.stringList("metrics", default: metrics) {
            let name: String
            do { name = try Metric(parsing: m).name } catch let e as IndexerError { throw er.fail("metrics", e.message) }
            if !parsed.contains(name) { parsed.append(name) }
        }
        guard !parsed.isEmpty else { throw er.fail("metrics", "must name at least one metric") }
        metrics = parsed
        let rp = try r.object("report")
        try rp.refuseUnknown(["k", "latency_budget_ms"])
        reportK = try rp.int("k", default: 10, in: 1...1000)
        reportLatencyBudgetMs = try rp.optionalDouble("latency_budget_ms")
        if let b = reportLatencyBudgetMs, !(b > 0 && b.isFinite) {
            throw rp.fail("latency_budget_ms", "\(b) is not a positive number of milliseconds")
        }

        let gr = try r.object("gates")
        for key in gr.keys.sorted() {
            let g = try gr.object(key)
            try g.refuseUnknown(["min", "max"])
            let metric: String
            do { metric = try Metric(parsing: key).name } catch let e as IndexerError {
                throw IndexerError.badInput("gates.\(key): \(e.message)", path: path)
            }
            guard metrics.contains(metric) else {
                throw IndexerError.badInput("gates.\(key): the job does not measure \(metric); add it to eval.metrics", path: path)
            }
            let gate = Gate(metric: metric, min: try g.optionalDouble("min"), max: try g.optionalDouble("max"))
            guard gate.min != nil || gate.max != nil else {
                throw IndexerError.badInput("gates.\(key): give \"min\", \"max\" or both", path: path)
            }
            if let lo = gate.min, let hi = gate.max, lo > hi {
                throw IndexerError.badInput("gates.\(key): min \(lo) is above max \(hi), so no figure could pass", path: path)
            }
            gates.append(gate)
        }
        if !gates.isEmpty && qrels == nil {
            throw IndexerError.badInput("gates: need \"qrels\" to measure anything", path: path)
        }
    }
}

/// Typed, key-naming access to one JSON object of a job file.
struct Reader {
    let object: [String: Any]
    let file: String
    let prefix: String
    let cliPaths: Set<String>

    init(_ object: [String: Any], file: String, prefix: String, cliPaths: Set<String>) {
        self.object = object
        self.file = file
        self.prefix = prefix
        self.cliPaths = cliPaths
    }

    var keys: [String] { Array(object.keys) }

    func name(_ key: String) -> String { prefix + key }

    func fail(_ key: String, _ what: String) -> IndexerError {
        IndexerError.badInput("\(name(key)): \(what)", path: file)
    }

    func refuseUnknown(_ known: [String]) throws {
        for k in object.keys.sorted() where !known.contains(k) {
            throw IndexerError.badInput("unknown key \"\(name(k))\" (known here: \(known.joined(separator: ", ")))", path: file)
        }
    }

    func isNull(_ key: String) -> Bool { object[key] is NSNull }
    func isFalse(_ key: String) -> Bool {
        guard let v = object[key] as? NSNumber, isBool(v) else { return false }
        return !v.boolValue
    }

    private func isBool(_ v: Any) -> Bool {
        guard let n = v as? NSNumber else { return false }
        // JSONSerialization gives booleans the Objective-C type "c" (char); numbers never are.
        return String(cString: n.objCType) == "c"
    }

    func object(_ key: String) throws -> Reader {
        guard let v = object[key], !(v is NSNull) else {
            return Reader([:], file: file, prefix: name(key) + ".", cliPaths: cliPaths)
        }
        guard let o = v as? [String: Any] else { throw fail(key, "must be an object") }
        return Reader(o, file: file, prefix: name(key) + ".", cliPaths: cliPaths)
    }

    func string(_ key: String, default fallback: String? = nil) throws -> String {
        guard let v = object[key], !(v is NSNull) else {
            if let fallback { return fallback }
            throw fail(key, "is required")
        }
        guard let s = v as? String else { throw fail(key, "must be a string") }
        return s
    }

    /// A path: relative to the job file's folder, or to the current folder when given with --set.
    func path(_ key: String, relativeTo dir: String, default fallback: String? = nil) throws -> String {
        let s = try string(key, default: fallback)
        guard !s.isEmpty else { throw fail(key, "must not be empty") }
        if s.hasPrefix("/") { return s }
        let base = cliPaths.contains(name(key)) ? FileManager.default.currentDirectoryPath : dir
        return URL(fileURLWithPath: base).appendingPathComponent(s).standardizedFileURL.path
    }

    /// A model: `hf:ORG/NAME[@REV]` as written, else a path.
    func modelPath(_ key: String, relativeTo dir: String, default fallback: String? = nil) throws -> String {
        if let s = object[key] as? String, s.hasPrefix("hf:") { return s }
        return try path(key, relativeTo: dir, default: fallback)
    }

    /// A string that may be absent (nil); "" is a value.
    func optionalString(_ key: String) throws -> String? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw fail(key, "must be a string") }
        return s
    }

    func optionalPath(_ key: String, relativeTo dir: String) throws -> String? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        _ = v
        return try path(key, relativeTo: dir)
    }

    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        try optionalInt(key, in: range) ?? fallback
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber, !isBool(n), let i = Int(exactly: n.doubleValue) else {
            throw fail(key, "must be a whole number")
        }
        guard range.contains(i) else { throw fail(key, "\(i) is outside \(range.lowerBound)...\(range.upperBound)") }
        return i
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber, !isBool(n), n.doubleValue.isFinite else { throw fail(key, "must be a number") }
        return n.doubleValue
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = object[key], !(v is NSNull) else { return fallback }
        guard let n = v as? NSNumber, isBool(n) else { throw fail(key, "must be true or false") }
        return n.boolValue
    }

    func choice(_ key: String, _ choices: [String], default fallback: String) throws -> String {
        let s = try string(key, default: fallback)
        guard choices.contains(s) else { throw fail(key, "'\(s)' is not one of \(choices.joined(separator: ", "))") }
        return s
    }

    /// One of `choices`, named by `name` in the file: parsed here, once, so that no later step
    /// re-reads a string with a silent fallback.
    func choice<T>(_ key: String, _ choices: [T], default fallback: T, name: (T) -> String) throws -> T {
        let s = try choice(key, choices.map(name), default: name(fallback))
        return choices.first { name($0) == s }!
    }

    func stringList(_ key: String, default fallback: [String]) throws -> [String] {
        guard let v = object[key], !(v is NSNull) else { return fallback }
        if let s = v as? String {
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let a = v as? [Any], let strings = a as? [String], !strings.isEmpty else {
            throw fail(key, "must be a non-empty list of strings")
        }
        return strings
    }
}
