/// HF `Sequence` of normalizers, applied in order.
struct SequenceNormalizer: Normalizer {
    let members: [any Normalizer]

    init(_ config: ComponentConfig) throws {
        members = try config.children("normalizers").map { try $0.build(ComponentRegistry.normalizers) }
    }

    func normalize(_ text: String) -> String { members.reduce(text) { $1.normalize($0) } }
}
