/// HF `BertPreTokenizer`: split on whitespace (removed), then on BERT punctuation (isolated),
/// with the Unicode 8.0 categories HF's crate has (see `BertUnicode`).
struct BertPreTokenizer: PreTokenizer {
    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        let words = SplitBehavior.removed.split(pieces, where: BertUnicode.isWhitespace)
        return SplitBehavior.isolated.split(words, where: BertUnicode.isPunctuation)
    }
}
