import Foundation

/// HF `Unigram`: the Viterbi segmentation of highest total score (f64, as HF), scanning every
/// vocabulary prefix at each character; a character no piece covers costs the lowest score
/// minus 10 and becomes the unknown id; adjacent unknowns fuse into one; with `byte_fallback`
/// an unknown run becomes `<0xAB>` byte tokens where all exist.
///
/// Ties keep the first candidate, shortest piece first, as HF's trie order and strict `>` do.
struct UnigramModel: TokenModel {
    private let table: ByteStringTable
    private let scores: [Double]
    private let vocab: Vocabulary
    private let unkId: Int32?
    private let unkScore: Double
    private let byteFallback: Bool

    init(_ config: ComponentConfig) throws {
        guard let list = config.json["vocab"] as? [Any], !list.isEmpty else { throw config.fail("\"vocab\" must be a non-empty list") }
        var pairs: [([UInt8], Int32)] = []
        var ids: [String: Int32] = [:]
        var scores: [Double] = []
        for (i, entry) in list.enumerated() {
            guard let e = entry as? [Any], e.count == 2, let piece = e[0] as? String, let score = e[1] as? NSNumber else {
                throw config.fail("vocab[\(i)] is not a [piece, score] pair")
            }
            pairs.append((Array(piece.utf8), Int32(i)))
            ids[piece] = Int32(i)
            scores.append(score.doubleValue)
        }
        table = ByteStringTable(pairs)
        self.scores = scores
        vocab = Vocabulary(ids)
        if let unk = config.int("unk_id") {
            guard unk >= 0 && unk < list.count else { throw config.fail("unk_id \(unk) is outside the vocabulary") }
            unkId = Int32(unk)
        } else {
            unkId = nil
        }
        unkScore = (scores.min() ?? 0) - 10.0
        byteFallback = try config.bool("byte_fallback", false)
    }

    var largestId: Int { vocab.largestId }
    func id(of token: String) -> Int32? { vocab.ids[token] }

    func tokenize(_ word: String, into out: inout [Int32]) {
        let bytes = Array(word.utf8)
        let n = bytes.count
        if n == 0 { return }
        // best[e]: the best path ending at byte e: its score, where its last piece starts, the id.
        var bestScore = [Double](repeating: 0, count: n + 1)
        var bestStart = [Int](repeating: -1, count: n + 1)
        var bestId = [Int32](repeating: -1, count: n + 1)
        bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            var start = 0
            while start < n {
                let charLength = UnigramModel.utf8Length(bytes[start])
                let base = bestScore[start]
                var hasSingle = false
                var length = charLength
                while start + length <= n && length <= table.maxKeyLength {
                    if let id = table.value(p + start, length) {
                        let candidate = scores[Int(id)] + base
                        let end = start + length
                        if bestStart[end] < 0 || candidate > bestScore[end] {
                            (bestScore[end], bestStart[end], bestId[end]) = (candidate, start, id)
                        }
                        if length == charLength { hasSingle = true }
                    }
                    length += 1
                }
                if !hasSingle {
                    let end = start + charLength
                    let candidate = unkScore + base
                    if bestStart[end] < 0 || candidate > bestScore[end] {
                        (bestScore[end], bestStart[end], bestId[end]) = (candidate, start, unkId ?? -1)
                    }
                }
                start += charLength
            }
        }
        emit(bytes, bestStart, bestId, into: &out)
    }

    /// Walks the best path back, fusing unknown runs, and appends its ids in text order.
    private func emit(_ bytes: [UInt8], _ bestStart: [Int], _ bestId: [Int32], into out: inout [Int32]) {
        var pieces: [(range: Range<Int>, id: Int32)] = []
        var end = bytes.count
        while end > 0 {
            let start = bestStart[end]
            if let unkId, bestId[end] == unkId, let last = pieces.last, last.id == unkId, last.range.lowerBound == end {
                pieces[pieces.count - 1].range = start..<last.range.upperBound
            } else {
                pieces.append((start..<end, bestId[end]))
            }
            end = start
        }
        for piece in pieces.reversed() {
            guard let unkId, piece.id == unkId else {
                out.append(piece.id)
                continue
            }
            // HF looks the (fused) string up again: it may be a vocabulary piece itself.
            let text = String(decoding: bytes[piece.range], as: UTF8.self)
            if let id = vocab.ids[text] {
                out.append(id)
            } else if byteFallback, let ids = vocab.byteFallback(text) {
                out += ids
            } else {
                out.append(unkId)
            }
        }
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}
