/// HF `Sequence` of post-processors, applied in order; added counts sum.
struct SequenceProcessing: PostProcessor {
    let members: [any PostProcessor]

    init(_ config: ComponentConfig) throws {
        members = try config.children("processors").map { try $0.build(ComponentRegistry.postProcessors) }
    }

    func addedCount(pair: Bool) -> Int { members.reduce(0) { $0 + $1.addedCount(pair: pair) } }

    func process(_ encodings: [TokenizedText]) -> [TokenizedText] { members.reduce(encodings) { $1.process($0) } }
}
