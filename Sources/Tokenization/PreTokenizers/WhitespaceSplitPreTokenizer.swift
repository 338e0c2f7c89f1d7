/// HF `WhitespaceSplit`: split on White_Space, which is removed.
struct WhitespaceSplitPreTokenizer: PreTokenizer {
    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        SplitBehavior.removed.split(pieces, where: { $0.properties.isWhitespace })
    }
}
