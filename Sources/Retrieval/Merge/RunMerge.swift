import Formats

/// `indexer merge`: reduces the partial runs of a distributed search into the run a single
/// machine would have written.
public enum RunMerge {
    /// What a merge did.
    public struct Summary: Sendable {
        /// Partial runs read.
        public var partials: Int
        /// Queries written.
        public var queries: Int
        /// Lines written.
        public var lines: Int
    }

    /// Merges `paths` into the top `topN` a query and writes `out`.
    ///
    /// Queries keep their order in the partial runs (every partial from a non-empty shard
    /// lists every searched query in query-file order); partials that disagree on that order
    /// are refused. The tag is `tag`, else the partials' common tag.
    @discardableResult
    public static func run(paths: [String], topN: Int, out: String, tag: String? = nil, quiet: Bool = false) throws -> Summary {
        guard !paths.isEmpty else { throw IndexerError(.usage, "no partial runs to merge") }
        let partials = try paths.map { try PartialRun.read(path: $0) }
        var tags = Set(partials.compactMap(\.tag))
        if let tag { tags = [tag] }
        guard tags.count <= 1 else {
            throw IndexerError(.usage, "partial runs carry different tags (\(tags.sorted().joined(separator: ", "))); give --tag")
        }
        let runTag = tags.first ?? "indexer"
        // Query order: first appearance, then every partial must list queries in that order.
        var order: [String] = []
        var position: [String: Int] = [:]
        for p in partials {
            for q in p.queries where position[q.qid] == nil {
                position[q.qid] = order.count
                order.append(q.qid)
            }
        }
        for p in partials {
            var last = -1
            for q in p.queries {
                let k = position[q.qid]!
                guard k > last else {
                    throw IndexerError.badInput("lists query '\(q.qid)' in another order than \(paths[0]); the partial runs are not from one query file", path: p.path)
                }
                last = k
            }
            let depth = p.queries.map(\.results.count).max() ?? 0
            if !quiet && !p.queries.isEmpty && depth < topN {
                Console.warning("\(p.path): at most \(depth) results a query, fewer than --top-n \(topN): the merge is exact only if that shard holds fewer than \(topN) documents")
            }
        }
        let lookup = partials.map { p in Dictionary(uniqueKeysWithValues: p.queries.enumerated().map { ($0.element.qid, $0.offset) }) }
        let writer = try TrecRunWriter(path: out)
        var lines = 0
        do {
            for qid in order {
                let lists = partials.indices.map { i in lookup[i][qid].map { partials[i].queries[$0].results } ?? [] }
                let merged = try TopNMerge.merge(lists, topN: topN, sources: paths)
                for (r, d) in merged.enumerated() {
                    try writer.write(qid: qid, docid: d.id, rank: r + 1, score: d.score, tag: runTag)
                }
                lines += merged.count
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        return Summary(partials: paths.count, queries: order.count, lines: lines)
    }
}
