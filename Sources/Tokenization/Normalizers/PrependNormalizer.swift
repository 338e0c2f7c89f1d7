/// HF `Prepend`: a string put before any non-empty text.
struct PrependNormalizer: Normalizer {
    let prefix: String

    init(_ config: ComponentConfig) throws { prefix = try config.string("prepend") }

    func normalize(_ text: String) -> String { text.isEmpty ? text : prefix + text }
}
