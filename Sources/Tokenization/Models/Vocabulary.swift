/// A model's token → id map read from tokenizer.json, with the lookups models share.
struct Vocabulary: Sendable {
    let ids: [String: Int32]
    let largestId: Int

    init(_ ids: [String: Int32]) {
        self.ids = ids
        largestId = Int(ids.values.max() ?? -1)
    }

    /// A `{token: id}` object.
    init(object config: ComponentConfig) throws {
        guard let vocab = config.json["vocab"] as? [String: Any] else { throw config.fail("\"vocab\" must be an object") }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(vocab.count)
        for (token, value) in vocab {
            guard let id = ComponentConfig.int(value), id >= 0, id <= Int(Int32.max) else {
                throw config.fail("vocab[\(token.debugDescription)] is not a valid id")
            }
            ids[token] = Int32(id)
        }
        self.init(ids)
    }

    /// `<0xAB>` tokens for each byte of `text` (HF byte_fallback), or nil if one is missing.
    func byteFallback(_ text: String) -> [Int32]? {
        var out: [Int32] = []
        for b in text.utf8 {
            let hex = String(b, radix: 16, uppercase: true)
            guard let id = ids["<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"] else { return nil }
            out.append(id)
        }
        return out
    }
}
