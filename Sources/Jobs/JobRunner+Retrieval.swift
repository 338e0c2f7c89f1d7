import Formats
import Foundation
import Indexing
import Inference
import Reranking
import Retrieval

extension JobRunner {
    static func applyLexical(_ options: inout BuildOptions, _ lexical: Bool) throws {
        options.lexical = lexical
    }

    func searchPlan() throws -> Plan? {
        let s = spec.search
        let retriever = s.retriever
        var inputs = [spec.index.directory + "/manifest.json", spec.queries]
        if retriever != .bm25 { inputs += try modelFiles(spec.index.model) }
        if let q = spec.qrels { inputs.append(q) }
        return Plan(
            step: .search, inputs: inputs,
            settings: JobRunner.promptSettings(spec.index).merging(
                retriever == .hybrid
                    ? [
                        "retriever": retriever.rawValue, "top_n": "\(s.topN)", "fusion": s.fusionName,
                        "rrf_k": "\(s.rrfK)", "fusion_depth": "\(s.fusionDepth)",
                    ]
                    : ["retriever": retriever.rawValue, "top_n": "\(s.topN)"]
            ) { $1 },
            outputs: { [paths] in [paths.candidates] + (retriever == .hybrid ? paths.componentRuns.map(\.path) : []) },
            run: { [spec, paths, options] in
                var o = SearchOptions(
                    indexDirectory: spec.index.directory, queriesPath: spec.queries,
                    topN: s.topN, outPath: paths.candidates)
                o.qrelsPath = spec.qrels
                o.tag = "indexer-\(retriever.rawValue)"
                o.batchSize = s.batchSize
                o.threads = spec.threads
                o.modelDirectory = spec.index.model
                o.queryPrompt = spec.index.queryPrompt
                o.documentPrompt = spec.index.documentPrompt
                o.precision = spec.index.precision
                o.quiet = options.quiet
                o.retriever = retriever
                o.fusion = s.fusion
                o.fusionDepth = s.fusionDepth
                // Hybrid keeps its two lists: the report shows them beside the fused and reranked runs.
                if retriever == .hybrid { o.componentRunsPrefix = paths.componentRunsPrefix }
                let r = try SearchJob.run(o, environment: options.environment)
                return [
                    "queries": r.queries, "searched": r.searched, "empty_queries": r.emptyQueries,
                    "no_result": r.noResult, "documents": r.documents,
                    "embed_seconds": r.embedSeconds, "search_seconds": r.searchSeconds,
                ]
            })
    }

    func rerankPlan() throws -> Plan? {
        guard let rr = spec.rerank else { return nil }
        let model = try RerankModel.resolve(rr.model, environment: options.environment)
        var settings = ["depth": "\(rr.depth)", "tail": rr.tail.rawValue, "max_length": rr.maxLength.map(String.init) ?? "model"]
        // Only when set, so that jobs written before the key existed keep their fingerprints;
        // a model's declared weight is in its config.json, an input of the step.
        if let w = rr.interpolate { settings["interpolate"] = "\(w)" }
        if rr.precision != .fp32 { settings["precision"] = rr.precision.rawValue }
        return Plan(
            step: .rerank,
            inputs: try [paths.candidates, spec.queries, spec.index.directory + "/manifest.json"] + modelFiles(model),
            settings: settings,
            outputs: { [paths] in [paths.reranked, paths.timings] },
            run: { [spec, paths, options] in
                var o = RerankOptions(
                    candidatesPath: paths.candidates, queriesPath: spec.queries,
                    docsPath: spec.index.directory, depth: rr.depth, outPath: paths.reranked)
                o.model = model
                o.tail = rr.tail
                o.batchSize = rr.batchSize
                o.maxLength = rr.maxLength
                o.interpolate = rr.interpolate
                o.precision = rr.precision
                o.timingsPath = paths.timings
                o.threads = spec.threads
                o.progress = !options.quiet
                let s = try RerankJob.run(o)
                return [
                    "queries": s.queries, "pairs": s.pairs, "tokens": s.tokens,
                    "scoring_seconds": s.scoringSeconds, "model": s.modelFingerprint, "interpolate": s.interpolate,
                ]
            })
    }
}
