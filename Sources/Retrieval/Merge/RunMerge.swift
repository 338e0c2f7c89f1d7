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
    /// Queries keep their order in the partial runs. A partial may lack a query that got no
    /// result in its shard (BM25: no query term in that shard), so the order is the one merge
    /// of the partials' orders that respects each of them; when the partials leave it open
    /// (two queries never seen in one partial), `queryOrder` (the query file's ids, in order)
    /// decides, and without it the merge is refused. Partials that contradict each other are
    /// refused. The tag is `tag`, else the partials' common tag.
    @discardableResult
    public static func run(
        paths: [String], topN: Int, out: String, tag: String? = nil, quiet: Bool = false,
        queryOrder: [String]? = nil
    ) throws -> Summary {
        guard !paths.isEmpty else { throw IndexerError(.usage, "no partial runs to merge") }
        let partials = try paths.map { try PartialRun.read(path: $0) }
        var tags = Set(partials.compactMap(\.tag))
        if let tag { tags = [tag] }
        guard tags.count <= 1 else {
            throw IndexerError(.usage, "partial runs carry different tags (\(tags.sorted().joined(separator: ", "))); give --tag")
        }
        let runTag = tags.first ?? "indexer"
        let order = try RunMerge.queryOrder(partials, paths: paths, queryFile: queryOrder)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
        for p in partials {
            var last = -1
            for q in p.queries {
                guard let k = position[q.qid] else {
                    throw IndexerError.badInput("lists query '\(q.qid)', which is not in the query file", path: p.path)
                }
                guard k > last else {
                    throw IndexerError.badInput(
                        "lists query '\(q.qid)' in another order than the other partial runs; the partial runs are not from one query file", path: p.path)
                }
                last = k
            }
            let depth = p.queries.map(\.results.count).max() ?? 0
            if !quiet && !p.queries.isEmpty && depth < topN {
                Console.warning(
                    "\(p.path): at most \(depth) results a query, fewer than --top-n \(topN): the merge is exact only if that shard holds fewer than \(topN) documents"
                )
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

    /// The order of the merged run's queries (see ``run(paths:topN:out:tag:quiet:queryOrder:)``).
    static func queryOrder(_ partials: [PartialRun], paths: [String], queryFile: [String]?) throws -> [String] {
        if let file = queryFile {
            var present: Set<String> = []
            for p in partials { for q in p.queries { present.insert(q.qid) } }
            return file.filter { present.contains($0) }
        }
        // Topological merge of the partials' sequences: each consecutive pair is an edge.
        var nodes: [String] = []
        var index: [String: Int] = [:]
        var next: [Set<Int>] = []
        var indegree: [Int] = []
        func id(_ q: String) -> Int {
            if let i = index[q] { return i }
            index[q] = nodes.count
            nodes.append(q)
            next.append([])
            indegree.append(0)
            return nodes.count - 1
        }
        for p in partials {
            var previous: Int?
            for q in p.queries {
                let i = id(q.qid)
                if let a = previous, next[a].insert(i).inserted { indegree[i] += 1 }
                previous = i
            }
        }
        var ready = nodes.indices.filter { indegree[$0] == 0 }
        var order: [String] = []
        while !ready.isEmpty {
            guard ready.count == 1 else {
                let names = ready.prefix(2).map { "'\(nodes[$0])'" }.joined(separator: " and ")
                throw IndexerError(
                    .usage,
                    "the partial runs do not fix the order of queries \(names) (queries without results in some shards); give --queries with the query file")
            }
            let n = ready.removeLast()
            order.append(nodes[n])
            for m in next[n].sorted() {
                indegree[m] -= 1
                if indegree[m] == 0 { ready.append(m) }
            }
        }
        guard order.count == nodes.count else {
            throw IndexerError.badInput(
                "the partial runs list queries in another order than each other (contradictory); they are not from one query file", path: paths[0])
        }
        return order
    }
}
