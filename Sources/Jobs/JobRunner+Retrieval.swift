import Foundation
import Formats
import Indexing
import Reranking

extension JobRunner {
    static func applyLexical(_ options: inout BuildOptions, _ lexical: Bool) throws {
        if lexical {
            throw IndexerError(.badInput, "index.lexical: this build of indexer cannot add a lexical index to shards yet")
        }
    }

    func searchPlan() throws -> Plan? {
        throw IndexerError(.internal, "the search step is not wired into jobs yet")
    }

    func rerankPlan() throws -> Plan? {
        guard let rr = spec.rerank else { return nil }
        let model = try RerankModel.resolve(rr.model)
        return Plan(step: .rerank,
                    inputs: [paths.candidates, spec.queries, spec.index.directory + "/manifest.json"] + JobRunner.modelFiles(model),
                    settings: ["depth": "\(rr.depth)", "tail": rr.tail, "max_length": "\(rr.maxLength)"],
                    outputs: { [paths] in [paths.reranked, paths.timings] },
                    run: { [spec, paths, options] in
                        var o = RerankOptions(candidatesPath: paths.candidates, queriesPath: spec.queries,
                                              docsPath: spec.index.directory, depth: rr.depth, outPath: paths.reranked)
                        o.model = model
                        o.tail = TailPolicy(rawValue: rr.tail) ?? .keep
                        o.batchSize = rr.batchSize
                        o.maxLength = rr.maxLength
                        o.timingsPath = paths.timings
                        o.threads = spec.threads
                        o.progress = !options.quiet
                        let s = try RerankJob.run(o)
                        return ["queries": s.queries, "pairs": s.pairs, "tokens": s.tokens,
                                "scoring_seconds": s.scoringSeconds, "model": s.modelFingerprint]
                    })
    }
}
