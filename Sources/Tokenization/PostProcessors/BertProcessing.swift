/// HF `BertProcessing`: `[CLS] A [SEP]`, pair `[CLS] A [SEP] B [SEP]` with B's part type 1.
struct BertProcessing: PostProcessor {
    let cls: Int32
    let sep: Int32

    init(_ config: ComponentConfig) throws {
        cls = try SpecialPair.id(config, "cls")
        sep = try SpecialPair.id(config, "sep")
    }

    func addedCount(pair: Bool) -> Int { pair ? 3 : 2 }

    func process(_ e: [TokenizedText]) -> [TokenizedText] {
        var ids = [cls] + e[0].ids + [sep]
        var types = [Int32](repeating: 0, count: ids.count)
        if e.count > 1 {
            ids += e[1].ids + [sep]
            types += repeatElement(1, count: e[1].ids.count + 1)
        }
        return [TokenizedText(ids: ids, typeIds: types)]
    }
}

/// The `["token", id]` pairs BertProcessing and RobertaProcessing name their tokens by.
enum SpecialPair {
    static func id(_ config: ComponentConfig, _ key: String) throws -> Int32 {
        guard let pair = config.json[key] as? [Any], pair.count == 2, let id = ComponentConfig.int(pair[1]) else {
            throw config.fail("\"\(key)\" must be a [token, id] pair")
        }
        return Int32(id)
    }
}
