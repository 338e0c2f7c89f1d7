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

    /// Reads every key of a job file, section by section in the order docs/JOBS.md lists them.
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
        index = try Index(try r.object("index"), dir: dir, name: name)
        search = try Search(try r.object("search"))
        if search.retriever.usesLexical && !index.lexical {
            throw IndexerError.badInput("search.retriever: '\(search.retriever.rawValue)' needs \"index\": {\"lexical\": true}", path: path)
        }
        rerank = r.isNull("rerank") || r.isFalse("rerank") ? nil : try Rerank(try r.object("rerank"), dir: dir, topN: search.topN)
        metrics = try JobSpec.metrics(try r.object("eval"), default: metrics)
        let rp = try r.object("report")
        try rp.refuseUnknown(["k", "latency_budget_ms"])
        reportK = try rp.int("k", default: 10, in: 1...1000)
        reportLatencyBudgetMs = try rp.optionalDouble("latency_budget_ms")
        if let b = reportLatencyBudgetMs, !(b > 0 && b.isFinite) {
            throw rp.fail("latency_budget_ms", "\(b) is not a positive number of milliseconds")
        }
        gates = try JobSpec.gates(try r.object("gates"), metrics: metrics, path: path)
        if !gates.isEmpty && qrels == nil {
            throw IndexerError.badInput("gates: need \"qrels\" to measure anything", path: path)
        }
    }

    /// `eval.metrics`, parsed here so that an unknown name fails before any step runs (exit 2, naming the key).
    static func metrics(_ er: Reader, default fallback: [String]) throws -> [String] {
        try er.refuseUnknown(["metrics"])
        var parsed: [String] = []
        for m in try er.stringList("metrics", default: fallback) {
            let name: String
            do { name = try Metric(parsing: m).name } catch let e as IndexerError { throw er.fail("metrics", e.message) }
            if !parsed.contains(name) { parsed.append(name) }
        }
        guard !parsed.isEmpty else { throw er.fail("metrics", "must name at least one metric") }
        return parsed
    }

    /// `gates`: one bound pair per measured metric.
    static func gates(_ gr: Reader, metrics: [String], path: String) throws -> [Gate] {
        var gates: [Gate] = []
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
        return gates
    }
}

extension JobSpec.Index {
    /// The `index` section.
    init(_ ir: Reader, dir: String, name: String) throws {
        try ir.refuseUnknown([
            "dir", "shards", "model", "vectors", "codec", "level", "lexical", "batch_size",
            "query_prompt", "document_prompt", "precision",
        ])
        self.init(
            directory: try ir.path("dir", relativeTo: dir, default: "../shards/\(name)"),
            model: try ir.modelPath("model", relativeTo: dir, default: "../models/all-MiniLM-L6-v2"))
        queryPrompt = try ir.optionalString("query_prompt")
        documentPrompt = try ir.optionalString("document_prompt")
        shards = try ir.int("shards", default: 1, in: BuildOptions.shardRange)
        vectors = try ir.choice("vectors", [.f32, .f16, .int8], default: .f32, name: \.description)
        codec = try ir.choice("codec", [.zstd, .lz4], default: .zstd, name: \.description)
        level = try ir.optionalInt("level", in: BuildOptions.levelRange)
        lexical = try ir.bool("lexical", default: false)
        batchSize = try ir.int("batch_size", default: BuildOptions.defaultBatchSize, in: BuildOptions.batchSizeRange)
        precision = try ir.choice("precision", Precision.allCases, default: .fp32, name: \.rawValue)
    }
}

extension JobSpec.Search {
    /// The `search` section.
    init(_ sr: Reader) throws {
        try sr.refuseUnknown(["retriever", "top_n", "batch_size", "fusion", "rrf_k", "fusion_depth"])
        self.init()
        retriever = try sr.choice("retriever", Retriever.allCases, default: .dense, name: \.rawValue)
        topN = try sr.int("top_n", default: 100, in: SearchOptions.topNRange)
        batchSize = try sr.int("batch_size", default: SearchOptions.defaultBatchSize, in: SearchOptions.batchSizeRange)
        let fusionName = try sr.choice("fusion", ["rrf", "minmax"], default: "rrf")
        rrfK = try sr.int("rrf_k", default: Int(FusionMethod.defaultK), in: SearchOptions.rrfKRange)
        fusion = fusionName == "rrf" ? .rrf(k: Double(rrfK)) : .minMax
        fusionDepth = try sr.int("fusion_depth", default: FusionMethod.defaultDepth, in: FusionMethod.depthRange)
    }
}

extension JobSpec.Rerank {
    /// The `rerank` section; its depth may not exceed the search's `top_n`.
    init(_ rr: Reader, dir: String, topN: Int) throws {
        try rr.refuseUnknown(["model", "depth", "tail", "batch_size", "max_length", "interpolate", "precision"])
        self.init()
        model = rr.object["model"] == nil || rr.isNull("model") ? nil : try rr.modelPath("model", relativeTo: dir)
        depth = try rr.int("depth", default: 20, in: RerankOptions.depthRange)
        tail = try rr.choice("tail", TailPolicy.allCases, default: .keep, name: \.rawValue)
        batchSize = try rr.int("batch_size", default: RerankOptions.defaultBatchSize, in: RerankOptions.batchSizeRange)
        maxLength = try rr.optionalInt("max_length", in: RerankOptions.maxLengthRange)
        interpolate = try rr.optionalDouble("interpolate")
        precision = try rr.choice("precision", Precision.allCases, default: .fp32, name: \.rawValue)
        if let w = interpolate, !(0...1).contains(w) { throw rr.fail("interpolate", "\(w) is outside 0...1") }
        guard depth <= topN else {
            throw IndexerError.badInput("rerank.depth: \(depth) is deeper than search.top_n \(topN)", path: rr.file)
        }
    }
}
