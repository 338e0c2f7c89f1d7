import Foundation

/// HF `BPE`: a word's characters (with `continuing_subword_prefix` / `end_of_word_suffix`)
/// merged pair by pair, always the lowest-ranked merge present, leftmost first (what HF's
/// priority queue does without dropout); `byte_fallback`, `unk_token` with `fuse_unk`,
/// `ignore_merges`. Merges may be `["a", "b"]` pairs or legacy `"a b"` strings.
struct BPEModel: TokenModel {
    private let vocab: Vocabulary
    /// (left id, right id) → (rank, merged id).
    private let merges: [UInt64: (rank: Int32, id: Int32)]
    private let unkId: Int32?
    private let prefix: String?
    private let suffix: String?
    private let fuseUnk: Bool
    private let byteFallback: Bool
    private let ignoreMerges: Bool
    /// Ids of single-scalar tokens below U+1000 (-1 if absent), when no prefix or suffix
    /// applies: byte-level words are made of such scalars, and a String per lookup is slow.
    private let scalarIds: [Int32]

    init(_ config: ComponentConfig) throws {
        if let dropout = config.json["dropout"], !(dropout is NSNull) {
            throw config.fail("dropout \(dropout) is not supported (it must be null: dropout is random)")
        }
        vocab = try Vocabulary(object: config)
        prefix = config.optionalString("continuing_subword_prefix")
        suffix = config.optionalString("end_of_word_suffix")
        fuseUnk = try config.bool("fuse_unk", false)
        byteFallback = try config.bool("byte_fallback", false)
        ignoreMerges = try config.bool("ignore_merges", false)
        if let unk = config.optionalString("unk_token") {
            guard let id = vocab.ids[unk] else { throw config.fail("unk_token \(unk.debugDescription) is not in the vocabulary") }
            unkId = id
        } else {
            unkId = nil
        }
        var table = [Int32](repeating: -1, count: 0x1000)
        if prefix == nil && suffix == nil {
            for (token, id) in vocab.ids {
                let scalars = token.unicodeScalars
                if scalars.count == 1, let v = scalars.first?.value, v < 0x1000 { table[Int(v)] = id }
            }
        }
        scalarIds = table
        merges = try BPEModel.readMerges(config, vocab: vocab, prefixLength: prefix?.utf8.count ?? 0)
    }

    private static func readMerges(_ config: ComponentConfig, vocab: Vocabulary, prefixLength: Int) throws
        -> [UInt64: (rank: Int32, id: Int32)]
    {
        guard let list = config.json["merges"] as? [Any] else { throw config.fail("\"merges\" must be a list") }
        var merges: [UInt64: (rank: Int32, id: Int32)] = [:]
        merges.reserveCapacity(list.count)
        for (rank, entry) in list.enumerated() {
            let pair: [String]
            if let s = entry as? String {
                pair = s.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else {
                pair = (entry as? [Any])?.compactMap { $0 as? String } ?? []
            }
            guard pair.count == 2 else { throw config.fail("merges[\(rank)] is not a pair of tokens") }
            // HF drops the prefix's byte length from the right token unconditionally.
            let right = Array(pair[1].utf8)
            let merged = pair[0] + String(decoding: right.dropFirst(min(prefixLength, right.count)), as: UTF8.self)
            guard let a = vocab.ids[pair[0]], let b = vocab.ids[pair[1]], let m = vocab.ids[merged] else {
                throw config.fail("merges[\(rank)] \(pair) names a token outside the vocabulary")
            }
            merges[key(a, b)] = (Int32(rank), m)
        }
        return merges
    }

    @inline(__always) private static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    var largestId: Int { vocab.largestId }
    func id(of token: String) -> Int32? { vocab.ids[token] }

    func tokenize(_ word: String, into out: inout [Int32]) {
        if ignoreMerges, let id = vocab.ids[word] {
            out.append(id)
            return
        }
        var symbols = initialSymbols(word)
        while symbols.count > 1 {
            var best = -1
            var bestRank = Int32.max
            var bestId: Int32 = 0
            for i in 0..<(symbols.count - 1) {
                if let m = merges[BPEModel.key(symbols[i], symbols[i + 1])], m.rank < bestRank {
                    best = i
                    bestRank = m.rank
                    bestId = m.id
                }
            }
            if best < 0 { break }
            symbols[best] = bestId
            symbols.remove(at: best + 1)
        }
        out += symbols
    }

    /// HF `merge_word` before merging: one symbol per scalar, unknown ones as bytes or unk.
    private func initialSymbols(_ word: String) -> [Int32] {
        var symbols: [Int32] = []
        var pendingUnk = false  // an unknown run not yet added (fuse_unk keeps it open)
        let scalars = Array(word.unicodeScalars)
        let fast = prefix == nil && suffix == nil
        for (i, scalar) in scalars.enumerated() {
            if fast && scalar.value < 0x1000 && scalarIds[Int(scalar.value)] >= 0 {
                if pendingUnk, let unkId { symbols.append(unkId) }
                pendingUnk = false
                symbols.append(scalarIds[Int(scalar.value)])
                continue
            }
            var s = String(scalar)
            if i > 0, let prefix { s = prefix + s }
            if i == scalars.count - 1, let suffix { s += suffix }
            if let id = vocab.ids[s] {
                if pendingUnk, let unkId { symbols.append(unkId) }
                pendingUnk = false
                symbols.append(id)
                continue
            }
            // As HF: bytes go in at once, while a pending unk run stays pending.
            if byteFallback, let bytes = vocab.byteFallback(s) {
                symbols += bytes
                continue
            }
            guard let unkId else { continue }  // no unk token: HF drops the character
            if pendingUnk && !fuseUnk { symbols.append(unkId) }
            pendingUnk = true
        }
        if pendingUnk, let unkId { symbols.append(unkId) }
        return symbols
    }
}
