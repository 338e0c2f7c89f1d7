/// HF `RobertaProcessing`: `<s> A </s>`, pair `<s> A </s> </s> B </s>`, type ids all 0
/// (`trim_offsets` and `add_prefix_space` only move offsets, which are not kept here).
struct RobertaProcessing: PostProcessor {
    let cls: Int32
    let sep: Int32

    init(_ config: ComponentConfig) throws {
        cls = try SpecialPair.id(config, "cls")
        sep = try SpecialPair.id(config, "sep")
    }

    func addedCount(pair: Bool) -> Int { pair ? 4 : 2 }

    func process(_ e: [TokenizedText]) -> [TokenizedText] {
        var ids = [cls] + e[0].ids + [sep]
        if e.count > 1 { ids += [sep] + e[1].ids + [sep] }
        return [TokenizedText(ids: ids, typeIds: [Int32](repeating: 0, count: ids.count))]
    }
}
