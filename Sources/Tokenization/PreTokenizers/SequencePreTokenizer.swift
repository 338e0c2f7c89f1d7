/// HF `Sequence` of pre-tokenizers, applied in order.
struct SequencePreTokenizer: PreTokenizer {
    let members: [any PreTokenizer]

    init(_ config: ComponentConfig) throws {
        members = try config.children("pretokenizers").map { try $0.build(ComponentRegistry.preTokenizers) }
    }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        members.reduce(pieces) { $1.preTokenize($0) }
    }
}
