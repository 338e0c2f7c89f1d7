import Formats

/// A bounded top-N of documents numbered `0..<ids.count`, under ``ResultOrder``.
///
/// A binary heap whose root is the worst kept result, so a candidate costs one comparison with
/// the root unless it enters. NaN scores never enter (they have no place in the order).
struct TopN {
    let capacity: Int
    private(set) var scores: [Float] = []
    private(set) var docs: [Int32] = []

    init(capacity: Int) {
        self.capacity = capacity
        scores.reserveCapacity(min(capacity, 1 << 16))
        docs.reserveCapacity(min(capacity, 1 << 16))
    }

    var count: Int { scores.count }
    var isFull: Bool { scores.count >= capacity }
    /// The score a candidate must reach to be considered (−∞ until full).
    var threshold: Float { isFull && capacity > 0 ? scores[0] : -.infinity }

    /// Whether `a` ranks after `b`.
    @inline(__always)
    private static func worse(_ sa: Float, _ da: Int32, _ sb: Float, _ db: Int32, _ ids: [String]) -> Bool {
        if sa != sb { return sa < sb }
        return ResultOrder.idPrecedes(ids[Int(db)], ids[Int(da)])
    }

    /// Offers document `doc` with `score`.
    @inline(__always)
    mutating func offer(_ score: Float, _ doc: Int32, ids: [String]) {
        if score.isNaN || capacity == 0 { return }
        if scores.count < capacity {
            scores.append(score)
            docs.append(doc)
            siftUp(scores.count - 1, ids)
            return
        }
        if !TopN.worse(scores[0], docs[0], score, doc, ids) { return }
        scores[0] = score
        docs[0] = doc
        siftDown(0, ids)
    }

    private mutating func siftUp(_ start: Int, _ ids: [String]) {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            guard TopN.worse(scores[i], docs[i], scores[p], docs[p], ids) else { break }
            scores.swapAt(i, p)
            docs.swapAt(i, p)
            i = p
        }
    }

    private mutating func siftDown(_ start: Int, _ ids: [String]) {
        var i = start
        let n = scores.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var w = i
            if l < n && TopN.worse(scores[l], docs[l], scores[w], docs[w], ids) { w = l }
            if r < n && TopN.worse(scores[r], docs[r], scores[w], docs[w], ids) { w = r }
            if w == i { return }
            scores.swapAt(i, w)
            docs.swapAt(i, w)
            i = w
        }
    }

    /// The kept documents, best first.
    func sorted(ids: [String]) -> [(score: Float, doc: Int32)] {
        zip(scores, docs).map { (score: $0.0, doc: $0.1) }.sorted {
            ResultOrder.precedes($0.score, ids[Int($0.doc)], $1.score, ids[Int($1.doc)])
        }
    }
}
