import Formats
import Foundation

/// `indexer rerank`: a bounded cross-encoder pass over a first-stage run.
///
/// Per query, the first `depth` candidates in first-stage order (``CandidateSet``) are scored
/// by the cross-encoder (optionally mixed with the first stage's scores,
/// ``ScoreInterpolation``) and ordered by score descending, ties by first-stage position; the
/// rest (the tail) is kept below them in first-stage order or dropped (``RerankOrder``).
/// Queries are written in the order the run lists them. Output bytes do not depend on the
/// batch size or the thread count.
public enum RerankJob {
    /// Pairs tokenised and scored together: enough for full batches and long length-sorted
    /// runs, small enough that memory, the progress step (about a minute of work at 512 word
    /// pieces on two cores) and the span timings are shared over stay bounded. Fixed, so that
    /// the grouping of queries never depends on the batch size.
    static let chunkPairs = 1024

    /// Runs the job from files: reads the run, the queries and the documents' text, resolves
    /// and loads the model, writes the reranked run (and the timings) atomically.
    public static func run(_ options: RerankOptions) throws -> RerankSummary {
        try validate(options)
        let queries = try QueryReader.read(path: options.queriesPath)
        let run = try TrecRun.read(path: options.candidatesPath)
        let candidates = try CandidateSet(run: run, queries: queries, queriesPath: options.queriesPath)
        let source = try DocumentTextSources.open(options.docsPath)
        let modelDirectory = try RerankModel.resolve(options.model)
        let scorer = try CrossEncoderScorer(
            modelDirectory: modelDirectory, maxLength: options.maxLength,
            threads: options.threads, precision: options.precision)
        var resolved = options
        // The loaded model's own config.json: the folder is read once.
        resolved.interpolate = try options.interpolate ?? scorer.model.declaredInterpolation()
        var summary = try rerank(candidates, source: source, scorer: scorer, options: resolved)
        summary.modelDirectory = modelDirectory
        summary.maxLength = scorer.model.maxLength
        return summary
    }

    /// Checks the settings that do not need any file.
    public static func validate(_ o: RerankOptions) throws {
        guard o.depth >= 1 else { throw IndexerError(.usage, "--depth must be at least 1, not \(o.depth)") }
        guard o.batchSize >= 1 else { throw IndexerError(.usage, "--batch-size must be at least 1, not \(o.batchSize)") }
        if let m = o.maxLength, m < 3 { throw IndexerError(.usage, "--max-length must be at least 3, not \(m)") }
        if let t = o.threads, t < 1 { throw IndexerError(.usage, "--threads must be at least 1, not \(t)") }
        if let w = o.interpolate, !(w >= 0 && w <= 1) {
            throw IndexerError(.usage, "--interpolate must be between 0 and 1, not \(w)")
        }
        guard !o.tag.isEmpty, !o.tag.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            throw IndexerError(.usage, "--tag '\(o.tag)' is empty or holds whitespace; a TREC run cannot carry it")
        }
    }

    /// Reranks `candidates` with `scorer`, reading text from `source`; writes `options.outPath`
    /// and, if set, `options.timingsPath`.
    public static func rerank(
        _ candidates: CandidateSet, source: DocumentTextSource, scorer: PairScorer,
        options o: RerankOptions
    ) throws -> RerankSummary {
        try validate(o)
        let texts = try documentTexts(candidates, source: source, depth: o.depth)
        let packer = try PairPacker(
            batchSize: o.batchSize,
            threads: o.threads ?? CPUBudget.threads)
        let totalPairs = candidates.queries.reduce(0) { $0 + min(o.depth, $1.entries.count) }
        let progress = Progress("rerank", total: totalPairs, unit: "pairs", quiet: !o.progress)
        let writer = try TrecRunWriter(path: o.outPath)
        var timings: [RerankTiming] = []
        timings.reserveCapacity(candidates.queries.count)
        var summary = RerankSummary(
            queries: 0, pairs: 0, tokens: 0, lines: 0, scoringSeconds: 0, modelDirectory: "",
            modelFingerprint: scorer.fingerprint)
        // Without a model folder to ask (a scorer given directly), nil means the scorer alone.
        let weight = o.interpolate ?? 0
        summary.interpolate = weight

        var start = 0
        while start < candidates.queries.count {
            let (end, pairs) = chunk(candidates.queries, from: start, depth: o.depth)
            let chunk = candidates.queries[start..<end]
            let (encoded, scores, elapsedMs) = try score(
                chunk, pairs: pairs, texts: texts, depth: o.depth, packer: packer, scorer: scorer
            ) { progress.advance(by: $0) }
            let chunkTokens = encoded.reduce(0) { $0 + $1.tokenCount }
            var at = 0
            for q in chunk {
                let n = min(o.depth, q.entries.count)
                let ranked = order(q, depth: n, scores: Array(scores[at..<(at + n)]), weight: weight, tail: o.tail)
                let tokens = encoded[at..<(at + n)].reduce(0) { $0 + $1.tokenCount }
                at += n
                for (r, item) in ranked.enumerated() {
                    try writer.write(qid: q.qid, docid: item.docid, rank: r + 1, score: item.score, tag: o.tag)
                }
                // The chunk's wall time, shared out by word pieces (see docs/RERANKING.md).
                let share = chunkTokens > 0 ? Double(tokens) / Double(chunkTokens) : (pairs > 0 ? Double(n) / Double(pairs) : 0)
                timings.append(RerankTiming(qid: q.qid, pairs: n, tokens: tokens, milliseconds: elapsedMs * share))
                summary.queries += 1
                summary.pairs += n
                summary.tokens += tokens
                summary.lines += ranked.count
            }
            summary.scoringSeconds += elapsedMs / 1000
            start = end
        }
        progress.finish()
        try writer.commit()
        if let path = o.timingsPath { try RerankTimings.write(timings, to: path) }
        return summary
    }

    /// The top `depth` pairs of each query of `chunk` (`pairs` in all) encoded and scored in
    /// one go; the scores in pair order and the wall time in milliseconds.
    static func score(
        _ chunk: ArraySlice<CandidateSet.QueryCandidates>, pairs: Int, texts: [String: String], depth: Int,
        packer: PairPacker, scorer: PairScorer, scored: (Int) -> Void
    ) throws -> (encoded: [EncodedPair], scores: [Float], elapsedMs: Double) {
        var list: [(query: String, document: String)] = []
        list.reserveCapacity(pairs)
        for q in chunk {
            for e in q.entries.prefix(depth) { list.append((q.text, texts[e.docid] ?? "")) }
        }
        let began = DispatchTime.now().uptimeNanoseconds
        let encoded = packer.encode(list, with: scorer)
        let scores = try packer.score(encoded, with: scorer, scored: scored)
        let elapsedMs = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw IndexerError(.model, "the model gave a non-finite score (\(scores[bad])) for pair \(bad + 1) of a batch")
        }
        return (encoded, scores, elapsedMs)
    }

    /// The queries `start..<end` of one scoring chunk: whole queries, up to ``chunkPairs``
    /// pairs (at least one query); also returns the chunk's pair count.
    static func chunk(_ queries: [CandidateSet.QueryCandidates], from start: Int, depth: Int) -> (end: Int, pairs: Int) {
        var end = start, pairs = 0
        while end < queries.count {
            let n = min(depth, queries[end].entries.count)
            if end > start && pairs + n > chunkPairs { break }
            pairs += n
            end += 1
        }
        return (end, pairs)
    }

    /// One query's new order: its head rescored (interpolated with the first stage when
    /// `weight` > 0), then the tail as the policy says.
    static func order(_ q: CandidateSet.QueryCandidates, depth n: Int, scores: [Float], weight: Double, tail: TailPolicy) -> [RerankOrder.Ranked] {
        var headScores = scores
        if weight > 0 {
            headScores = ScoreInterpolation.combine(crossEncoder: headScores, firstStage: q.entries.prefix(n).map(\.score), weight: weight)
        }
        return RerankOrder.combine(
            head: q.entries.prefix(n).map(\.docid), scores: headScores,
            tail: q.entries.dropFirst(n).map(\.docid), policy: tail)
    }

    /// The texts of every head document; every candidate (head or tail) must be in `source`,
    /// else an error at the first run line naming a missing one.
    static func documentTexts(_ candidates: CandidateSet, source: DocumentTextSource, depth: Int) throws -> [String: String] {
        var all = Set<String>(), wanted = Set<String>()
        for q in candidates.queries {
            for (i, e) in q.entries.enumerated() {
                all.insert(e.docid)
                if i < depth { wanted.insert(e.docid) }
            }
        }
        let found = try source.lookup(all, texts: wanted)
        if found.present.count < all.count {
            var first: RunEntry?
            for q in candidates.queries {
                for e in q.entries where !found.present.contains(e.docid) {
                    if first == nil || e.line < first!.line { first = e }
                }
            }
            if let e = first {
                throw IndexerError.badInput(
                    "document '\(e.docid)' (query '\(e.qid)') is not in the \(source.description)",
                    path: candidates.runPath, line: e.line)
            }
        }
        return found.texts
    }
}
