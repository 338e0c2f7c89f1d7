/// HF `WordPiece` as a pipeline stage: greedy longest-match, `continuing_subword_prefix` on
/// non-initial pieces, the unknown token for a word over `max_input_chars_per_word` scalars or
/// without a split.
struct WordPieceModel: TokenModel {
    private let vocab: Vocabulary
    /// Byte-string tables of whole tokens and of continuations (prefix removed), probed in place.
    private let initial: ByteStringTable
    private let continuation: ByteStringTable
    private let prefix: String
    private let maxChars: Int
    private let unkId: Int32

    init(_ config: ComponentConfig) throws {
        vocab = try Vocabulary(object: config)
        prefix = config.optionalString("continuing_subword_prefix") ?? "##"
        let p = Array(prefix.utf8)
        let sorted = vocab.ids.sorted { $0.value < $1.value }
        initial = ByteStringTable(sorted.map { (Array($0.key.utf8), $0.value) })
        continuation = ByteStringTable(
            sorted.lazy.compactMap { token, id in
                let bytes = Array(token.utf8)
                return bytes.starts(with: p) ? (Array(bytes[p.count...]), id) : nil
            })
        maxChars = config.int("max_input_chars_per_word") ?? 100
        let unk = config.optionalString("unk_token") ?? "[UNK]"
        guard let id = vocab.ids[unk] else { throw config.fail("unk_token \(unk.debugDescription) is not in the vocabulary") }
        unkId = id
    }

    var largestId: Int { vocab.largestId }
    func id(of token: String) -> Int32? { vocab.ids[token] }

    func tokenize(_ word: String, into out: inout [Int32]) {
        let bytes = Array(word.utf8)
        // Scalar boundaries as byte offsets, plus the end.
        var bounds: [Int] = []
        bounds.reserveCapacity(bytes.count + 1)
        for (i, b) in bytes.enumerated() where b & 0xC0 != 0x80 { bounds.append(i) }
        let count = bounds.count
        bounds.append(bytes.count)
        if count > maxChars {
            out.append(unkId)
            return
        }
        let mark = out.count
        let complete: Bool = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            var s = 0
            while s < count {
                let table = s == 0 ? initial : continuation
                var e = count
                var found: Int32?
                while e > s {
                    if let id = table.value(base + bounds[s], bounds[e] - bounds[s]) {
                        found = id
                        break
                    }
                    e -= 1
                }
                guard let id = found else { return false }
                out.append(id)
                s = e
            }
            return true
        }
        if !complete {
            out.removeLast(out.count - mark)
            out.append(unkId)
        }
    }
}
