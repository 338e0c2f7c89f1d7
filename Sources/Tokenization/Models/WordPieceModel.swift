/// HF `WordPiece` as a pipeline stage: greedy longest-match, `continuing_subword_prefix` on
/// non-initial pieces, the unknown token for a word over `max_input_chars_per_word` scalars or
/// without a split.
struct WordPieceModel: TokenModel {
    private let vocab: Vocabulary
    private let prefix: String
    private let maxChars: Int
    private let unkId: Int32

    init(_ config: ComponentConfig) throws {
        vocab = try Vocabulary(object: config)
        prefix = config.optionalString("continuing_subword_prefix") ?? "##"
        maxChars = config.int("max_input_chars_per_word") ?? 100
        let unk = config.optionalString("unk_token") ?? "[UNK]"
        guard let id = vocab.ids[unk] else { throw config.fail("unk_token \(unk.debugDescription) is not in the vocabulary") }
        unkId = id
    }

    var largestId: Int { vocab.largestId }
    func id(of token: String) -> Int32? { vocab.ids[token] }

    func tokenize(_ word: String, into out: inout [Int32]) {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maxChars {
            out.append(unkId)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while end > start {
                var candidate = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { candidate = prefix + candidate }
                if let id = vocab.ids[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                out.append(unkId)
                return
            }
            pieces.append(id)
            start = end
        }
        out += pieces
    }
}
