import Formats
import Foundation
import Inference
import Lexical
import ShardStore

/// The settings of one `indexer search` run.
public struct SearchOptions: Sendable {
    /// The limits and defaults `indexer search` and a job's `search` keys share (one home).
    public static let topNRange = 1...1_000_000
    public static let batchSizeRange = 1...65536
    public static let defaultBatchSize = 64
    public static let rrfKRange = 0...1_000_000

    /// The index folder (with its manifest).
    public var indexDirectory: String
    /// Queries: BEIR `queries.jsonl` or TSV `qid<TAB>text` (plain or gzipped).
    public var queriesPath: String
    /// Results a query.
    public var topN: Int
    /// The run file written.
    public var outPath: String
    /// When set, only the queries judged in this qrels file are searched (a BEIR split).
    public var qrelsPath: String?
    /// The run tag.
    public var tag: String = "indexer-dense"
    /// Search only this shard (a partial run for `indexer merge`).
    public var shardID: Int?
    /// Queries a model call (does not change the output).
    public var batchSize: Int = SearchOptions.defaultBatchSize
    /// Threads for the model and the search (nil: all cores; does not change the output).
    public var threads: Int?
    /// Query vectors written by `--write-query-vectors` (not embedded again), or nil.
    public var queryVectorsPath: String?
    /// The bi-encoder (a folder or `hf:ORG/NAME[@REV]`); its fingerprint must equal the index's.
    public var modelDirectory: String = "models/all-MiniLM-L6-v2"
    /// Prompt overrides, as the build's (they are part of the fingerprint).
    public var queryPrompt: String?
    public var documentPrompt: String?
    /// The query encoder's precision; part of the fingerprint, so it must be the index's.
    public var precision: Precision = .fp32
    /// No progress output.
    public var quiet = false
    /// The first stage: dense (default), bm25 (needs `indexer build --lexical`) or hybrid.
    public var retriever: Retriever = .dense
    /// BM25's k1 and b (Anserini's defaults 0.9 and 0.4).
    public var bm25 = BM25Parameters()
    /// How hybrid fuses its two lists (RRF with k = 60 by default).
    public var fusion: FusionMethod = .rrf(k: FusionMethod.defaultK)
    /// For hybrid: each list (BM25, dense) is cut at this depth before fusion.
    public var fusionDepth: Int = FusionMethod.defaultDepth
    /// For hybrid: also write the two fused lists, each cut at N, to
    /// ``componentRuns(prefix:)`` (``SearchJob/writeComponents(_:prefix:_:_:)``); nil: only the fused run.
    public var componentRunsPrefix: String?

    /// The files a hybrid search's `componentRunsPrefix` names, BM25 first: `PREFIX.bm25.run`,
    /// `PREFIX.dense.run`.
    public static func componentRuns(prefix: String) -> [(retriever: Retriever, path: String)] {
        [Retriever.bm25, .dense].map { ($0, prefix + "." + $0.rawValue + ".run") }
    }

    /// Options with defaults for everything but the index, the queries, N and the output.
    public init(indexDirectory: String, queriesPath: String, topN: Int, outPath: String) {
        self.indexDirectory = indexDirectory
        self.queriesPath = queriesPath
        self.topN = topN
        self.outPath = outPath
    }
}

/// What a search did, with its timings.
public struct SearchSummary: Sendable {
    /// Queries read (after the qrels filter).
    public var queries: Int
    /// Queries searched (non-empty text).
    public var searched: Int
    /// Queries skipped because their text is empty.
    public var emptyQueries: Int
    /// Searched queries that got no result (an empty index or shard).
    public var noResult: Int
    /// Shards searched.
    public var shards: Int
    /// Documents searched.
    public var documents: Int
    /// Lines written.
    public var lines: Int
    /// Seconds spent embedding queries.
    public var embedSeconds: Double
    /// Seconds spent in the exact top-N search (after embedding, before writing).
    public var searchSeconds: Double
    /// Of `searchSeconds`, the seconds spent scoring BM25 queries (0 for a dense search; the
    /// loading of the lexical indexes and global statistics is outside it, inside `searchSeconds`).
    public var bm25Seconds: Double = 0
    /// Process CPU seconds (all threads) in the dense search step: steadier than wall time on
    /// a shared machine.
    public var searchCPUSeconds: Double = 0
}

/// The library entry point of `indexer search`.
public enum SearchJob {
    /// Reads the queries, embeds them once in batches, searches every shard (or only
    /// `shardID`) for the exact top N, and writes the run.
    ///
    /// Queries with empty text are reported (a warning naming file and line, and a count) and
    /// get no lines in the run, as do queries with no result; trec_eval then skips them (or
    /// counts them as 0 with `-c`). The stages run in the order docs/FAILURES.md states: cheap
    /// refusals, then the index, then the queries, then the first stage, then the writes.
    public static func run(_ options: SearchOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SearchSummary {
        try validate(options)
        let target = try open(options)
        let threads = CPUBudget.resolve(options.threads, for: "search", quiet: options.quiet)
        let lists = try firstStage(options, target, threads: threads, environment: environment)
        let (lines, noResult) = try write(options, target.searched, lists)
        if let prefix = options.componentRunsPrefix { try writeComponents(options, prefix: prefix, target.searched, lists) }
        try writePartialSidecar(options, manifest: target.index.manifest)
        let t = lists.timings
        let summary = SearchSummary(
            queries: target.queries.count, searched: target.searched.count, emptyQueries: target.empty, noResult: noResult,
            shards: target.readers.count, documents: lists.documents, lines: lines,
            embedSeconds: t.embed, searchSeconds: t.dense + t.bm25Load + t.bm25 + t.fuse,
            bm25Seconds: t.bm25, searchCPUSeconds: t.denseCPU)
        if !options.quiet { Console.info(describe(summary, kernel: ExactScorer.kernelName)) }
        return summary
    }

    /// The refusals that need no file: a refused combination costs nothing.
    static func validate(_ options: SearchOptions) throws {
        if options.retriever == .hybrid && options.shardID != nil {
            throw IndexerError(
                .usage,
                "--retriever hybrid cannot search one shard: fusion needs each list's global ranks; search every shard with --retriever bm25 and dense (--shard-id, then indexer merge for each), then indexer fuse the two runs"
            )
        }
        guard options.fusionDepth >= 1 else { throw IndexerError(.usage, "--fusion-depth must be at least 1") }
        if options.componentRunsPrefix != nil && options.retriever != .hybrid {
            throw IndexerError(.usage, "--component-runs needs --retriever hybrid: only a hybrid search has two lists to keep")
        }
    }

    /// What a search reads: the checked index, its selected shards, and the queries (those
    /// with text are searched).
    struct Target {
        var index: OpenIndex
        var selected: [Manifest.Shard]
        var readers: [ShardReader]
        var queries: [Query]
        var searched: [Query]
        var empty: Int
    }

    /// Opens the index (every shard for BM25, which needs all statistics) and reads the queries.
    static func open(_ options: SearchOptions) throws -> Target {
        let selection: OpenIndex.Selection = options.shardID.map { .only([$0]) } ?? .all
        let index = try OpenIndex.open(options.indexDirectory, shards: options.retriever.usesLexical ? .all : selection)
        let selectedIDs = options.shardID.map { [$0] } ?? index.shardIndices
        let selected = selectedIDs.map { index.manifest.shards[$0] }
        let readers = try selectedIDs.map { try index.reader($0) }
        let queries = try selectQueries(options)
        var searched: [Query] = []
        var empty = 0
        for q in queries {
            if q.text.allSatisfy({ $0.isWhitespace }) {
                empty += 1
                // Warnings are never hidden by --quiet (it silences progress only).
                Console.warning("\(options.queriesPath):\(q.line): query '\(q.id)' has no text; it is not searched and gets no lines in the run")
            } else {
                searched.append(q)
            }
        }
        return Target(index: index, selected: selected, readers: readers, queries: queries, searched: searched, empty: empty)
    }

    /// The first stage's lists, one per searched query, and where the time went.
    struct Lists {
        /// BM25 and dense top lists (cut at the fusion depth for hybrid, else at N); empty
        /// when the retriever does not use them.
        var lexical: [[ScoredDocument]] = []
        var dense: [[ScoredDocument]] = []
        /// The fused top N (hybrid only).
        var fused: [[(id: String, score: Double)]] = []
        var documents = 0
        var timings = (embed: 0.0, dense: 0.0, denseCPU: 0.0, bm25Load: 0.0, bm25: 0.0, fuse: 0.0)
    }

    /// BM25 and/or dense search of the searched queries, then fusion for hybrid.
    static func firstStage(_ options: SearchOptions, _ target: Target, threads: Int, environment: [String: String]) throws -> Lists {
        var lists = Lists()
        // Hybrid cuts each list at the fusion depth; the others at N.
        let depth = options.retriever == .hybrid ? options.fusionDepth : options.topN
        if options.retriever.usesLexical {
            let start = Date()
            (lists.lexical, lists.documents, lists.timings.bm25) = try lexicalResults(
                options, index: target.index, selected: target.selected,
                texts: target.searched.map(\.text), depth: depth, threads: threads)
            lists.timings.bm25Load = Date().timeIntervalSince(start) - lists.timings.bm25
        }
        if options.retriever.usesDense {
            let t0 = Date()
            let vectors = try queryVectors(options, manifest: target.index.manifest, searched: target.searched, environment: environment)
            let t1 = Date()
            let c1 = processCPUSeconds()
            let search = try DenseSearch(shards: target.readers)
            let progress = Formats.Progress("search", total: search.documentCount, unit: "documents", quiet: options.quiet)
            lists.dense = try search.search(queries: vectors, count: target.searched.count, topN: depth, threads: threads, progress: progress)
            progress.finish()
            lists.timings.embed = t1.timeIntervalSince(t0)
            lists.timings.dense = Date().timeIntervalSince(t1)
            lists.timings.denseCPU = processCPUSeconds() - c1
            lists.documents = search.documentCount
        }
        if options.retriever == .hybrid {
            let start = Date()
            lists.fused = SearchJob.fused(
                qids: target.searched.map(\.id), lexical: lists.lexical, dense: lists.dense, method: options.fusion, topN: options.topN)
            lists.timings.fuse = Date().timeIntervalSince(start)
        }
        return lists
    }

    /// Writes the run (atomically); returns its lines and the queries without a result, each warned about.
    static func write(_ options: SearchOptions, _ searched: [Query], _ lists: Lists) throws -> (lines: Int, noResult: Int) {
        var lines = 0, noResult = 0
        try TrecRunWriter.write(to: options.outPath) { writer in
            for (i, q) in searched.enumerated() {
                let count: Int
                switch options.retriever {
                case .hybrid:
                    // Fused scores are written as doubles: RRF sums differ in the last bits.
                    for (r, d) in lists.fused[i].enumerated() { try writer.write(qid: q.id, docid: d.id, rank: r + 1, score: d.score, tag: options.tag) }
                    count = lists.fused[i].count
                case .dense, .bm25:
                    let list = options.retriever == .dense ? lists.dense[i] : lists.lexical[i]
                    for (r, d) in list.enumerated() { try writer.write(qid: q.id, docid: d.id, rank: r + 1, score: d.score, tag: options.tag) }
                    count = list.count
                }
                if count == 0 {
                    noResult += 1
                    let why = options.retriever == .dense ? "the searched shards hold no documents" : "no document holds a query term"
                    Console.warning("\(options.queriesPath):\(q.line): query '\(q.id)' got no result (\(why))")
                }
                lines += count
            }
        }
        return (lines, noResult)
    }

    /// The two lists a hybrid search fused, each cut at N, as runs of their own
    /// (``SearchOptions/componentRuns(prefix:)``, tags `indexer-bm25`, `indexer-dense`): the
    /// same bytes as a `--retriever bm25` and a `--retriever dense` search of N, so a report
    /// can show each beside the fused and reranked runs at no second search.
    static func writeComponents(_ options: SearchOptions, prefix: String, _ searched: [Query], _ lists: Lists) throws {
        for (retriever, path) in SearchOptions.componentRuns(prefix: prefix) {
            let list = retriever == .bm25 ? lists.lexical : lists.dense
            try TrecRunWriter.write(to: path) { writer in
                for (i, q) in searched.enumerated() {
                    for (r, d) in list[i].prefix(options.topN).enumerated() {
                        try writer.write(qid: q.id, docid: d.id, rank: r + 1, score: d.score, tag: "indexer-" + retriever.rawValue)
                    }
                }
            }
        }
    }

    /// One line of figures for standard error (`scripts/bench-search` reads it).
    public static func describe(_ s: SearchSummary, kernel: String) -> String {
        func rate(_ n: Int, _ t: Double) -> String { t > 0 ? String(format: "%.1f", Double(n) / t) : "inf" }
        var line = "searched \(s.searched) of \(s.queries) queries over \(s.shards) shard(s), \(s.documents) documents: "
        line += String(format: "embed %.3f s, search %.3f s (CPU %.3f s, %@ kernel); ", s.embedSeconds, s.searchSeconds, s.searchCPUSeconds, kernel)
        if s.bm25Seconds > 0 {
            line += String(format: "bm25 %.3f s, bm25 queries/s %@ (index load excluded); ", s.bm25Seconds, rate(s.searched, s.bm25Seconds))
        }
        line += "queries/s \(rate(s.searched, s.searchSeconds)) search only, \(rate(s.searched, s.embedSeconds + s.searchSeconds)) with embedding; "
        line += "\(s.lines) lines"
        if s.emptyQueries > 0 { line += "; \(s.emptyQueries) empty queries skipped" }
        if s.noResult > 0 { line += "; \(s.noResult) queries without result" }
        return line
    }

    /// CPU seconds used by this process so far (all threads).
    static func processCPUSeconds() -> Double {
        var t = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 else { return 0 }
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The queries of the file, in file order, restricted to the judged ones when a qrels
    /// file is given.
    static func selectQueries(_ options: SearchOptions) throws -> [Query] {
        let all = try QueryReader.read(path: options.queriesPath)
        guard let qp = options.qrelsPath else { return all }
        let qrels = try Qrels.read(path: qp)
        guard !qrels.queryIDs.isEmpty else {
            throw IndexerError.badInput("the qrels file holds no judgments, so no query would be searched", path: qp)
        }
        let judged = Set(qrels.queryIDs)
        let kept = all.filter { judged.contains($0.id) }
        let missing = judged.subtracting(kept.map(\.id))
        if !missing.isEmpty {
            let some = missing.sorted().prefix(5).joined(separator: ", ")
            Console.warning("\(qp): \(missing.count) judged queries are not in \(options.queriesPath) (\(some)\(missing.count > 5 ? ", ..." : ""))")
        }
        return kept
    }

    /// The query embedder: the bi-encoder of `modelDirectory`, or the test-only
    /// `INDEXER_TEST_EMBEDDER=hash-DIM` stand-in the build also honours.
    static func makeQueryEmbedder(_ options: SearchOptions, environment: [String: String]) throws -> DocumentEmbedder {
        if let spec = environment["INDEXER_TEST_EMBEDDER"], spec.hasPrefix("replay:") {
            throw IndexerError(.usage, "INDEXER_TEST_EMBEDDER=\(spec) replays document vectors; it cannot embed queries")
        }
        return try Embedders.make(
            modelDirectory: options.modelDirectory, threads: options.threads,
            queryPrompt: options.queryPrompt, documentPrompt: options.documentPrompt,
            precision: options.precision, environment: environment)
    }
}
