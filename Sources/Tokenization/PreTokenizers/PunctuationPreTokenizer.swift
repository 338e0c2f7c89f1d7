/// HF `Punctuation`: split on ASCII punctuation and Unicode P* (Unicode 8.0, as HF's crate).
struct PunctuationPreTokenizer: PreTokenizer {
    let behavior: SplitBehavior

    init(_ config: ComponentConfig) throws { behavior = try SplitBehavior(config, default: .isolated) }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        behavior.split(pieces, where: BertUnicode.isPunctuation)
    }
}
