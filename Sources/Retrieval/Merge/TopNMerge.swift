import Formats

/// K-way merge of ranked lists under ``ResultOrder``.
public enum TopNMerge {
    /// The first `topN` of the union of `lists` (each best first), best first.
    ///
    /// A document id found in two lists is an error: the lists are meant to come from disjoint
    /// shards, and a document counted twice would distort the run. `sources` names the lists
    /// in that message.
    public static func merge(_ lists: [[ScoredDocument]], topN: Int, sources: [String] = []) throws -> [ScoredDocument] {
        var heads = [Int](repeating: 0, count: lists.count)
        var out: [ScoredDocument] = []
        var seen: [String: Int] = [:]
        out.reserveCapacity(min(topN, lists.reduce(0) { $0 + $1.count }))
        while out.count < topN {
            var best = -1
            for (i, l) in lists.enumerated() where heads[i] < l.count {
                if best < 0 || l[heads[i]].precedes(lists[best][heads[best]]) { best = i }
            }
            if best < 0 { break }
            let d = lists[best][heads[best]]
            heads[best] += 1
            if let other = seen.updateValue(best, forKey: d.id) {
                let a = other < sources.count ? sources[other] : "list \(other + 1)"
                let b = best < sources.count ? sources[best] : "list \(best + 1)"
                throw IndexerError.badInput("document '\(d.id)' appears in both \(a) and \(b); partial runs must come from different shards", path: nil)
            }
            out.append(d)
        }
        return out
    }
}
