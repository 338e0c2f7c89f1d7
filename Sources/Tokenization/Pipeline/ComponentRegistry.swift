/// Every implemented component, by its `tokenizer.json` `type` name. Adding a component is a
/// file in the stage's folder and one line here; a type missing here is refused at load.
enum ComponentRegistry {
    static let normalizers: [String: (ComponentConfig) throws -> any Normalizer] = [
        "BertNormalizer": { try BertNormalizer($0) },
        "Precompiled": { try PrecompiledNormalizer($0) },
        "NFC": { _ in UnicodeFormNormalizer(.nfc) },
        "NFD": { _ in UnicodeFormNormalizer(.nfd) },
        "NFKC": { _ in UnicodeFormNormalizer(.nfkc) },
        "NFKD": { _ in UnicodeFormNormalizer(.nfkd) },
        "Lowercase": { _ in LowercaseNormalizer() },
        "Strip": { try StripNormalizer($0) },
        "StripAccents": { _ in StripAccentsNormalizer() },
        "Replace": { try ReplaceNormalizer($0) },
        "Prepend": { try PrependNormalizer($0) },
        "Sequence": { try SequenceNormalizer($0) },
    ]

    static let preTokenizers: [String: (ComponentConfig) throws -> any PreTokenizer] = [
        "BertPreTokenizer": { _ in BertPreTokenizer() },
        "ByteLevel": { try ByteLevelPreTokenizer($0) },
        "Metaspace": { try MetaspacePreTokenizer($0) },
        "Whitespace": { _ in WhitespacePreTokenizer() },
        "WhitespaceSplit": { _ in WhitespaceSplitPreTokenizer() },
        "Split": { try SplitPreTokenizer($0) },
        "Punctuation": { try PunctuationPreTokenizer($0) },
        "Digits": { try DigitsPreTokenizer($0) },
        "Sequence": { try SequencePreTokenizer($0) },
    ]

    static let models: [String: (ComponentConfig) throws -> any TokenModel] = [
        "WordPiece": { try WordPieceModel($0) },
        "BPE": { try BPEModel($0) },
        "Unigram": { try UnigramModel($0) },
    ]

    static let postProcessors: [String: (ComponentConfig) throws -> any PostProcessor] = [
        "BertProcessing": { try BertProcessing($0) },
        "RobertaProcessing": { try RobertaProcessing($0) },
        "TemplateProcessing": { try TemplateProcessing($0) },
        "ByteLevel": { _ in ByteLevelProcessing() },
        "Sequence": { try SequenceProcessing($0) },
    ]
}
