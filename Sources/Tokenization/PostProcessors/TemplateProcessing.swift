/// HF `TemplateProcessing`: `single` and `pair` templates of special tokens (each any number
/// of ids) and the sequences `$A`/`$B`, every item with its type id.
struct TemplateProcessing: PostProcessor {
    enum Item {
        case special(ids: [Int32], typeId: Int32)
        /// 0 for A, 1 for B.
        case sequence(index: Int, typeId: Int32)
    }
    let single: [Item]
    let pair: [Item]

    init(_ config: ComponentConfig) throws {
        guard let specials = config.json["special_tokens"] as? [String: Any] else {
            throw config.fail("\"special_tokens\" must be an object")
        }
        func items(_ key: String) throws -> [Item] {
            guard let list = config.json[key] as? [Any] else { throw config.fail("\"\(key)\" must be a list") }
            return try list.map { entry in
                guard let object = entry as? [String: Any], object.count == 1, let (kind, body) = object.first,
                    let fields = body as? [String: Any], let name = fields["id"] as? String,
                    let typeId = ComponentConfig.int(fields["type_id"])
                else {
                    throw config.fail("\(key) has an item that is neither SpecialToken nor Sequence")
                }
                switch kind {
                case "SpecialToken":
                    guard let special = specials[name] as? [String: Any], let raw = special["ids"] as? [Any] else {
                        throw config.fail("special token \(name.debugDescription) is not in special_tokens")
                    }
                    let ids = raw.compactMap { ComponentConfig.int($0).map(Int32.init) }
                    guard ids.count == raw.count else { throw config.fail("special token \(name.debugDescription) has a bad id") }
                    return .special(ids: ids, typeId: Int32(typeId))
                case "Sequence":
                    guard name == "A" || name == "B" else { throw config.fail("unknown sequence \(name.debugDescription)") }
                    return .sequence(index: name == "A" ? 0 : 1, typeId: Int32(typeId))
                default:
                    throw config.fail("unknown template item \(kind.debugDescription)")
                }
            }
        }
        single = try items("single")
        pair = try items("pair")
    }

    func addedCount(pair isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { n, item in
            if case .special(let ids, _) = item { return n + ids.count }
            return n
        }
    }

    func process(_ encodings: [TokenizedText]) -> [TokenizedText] {
        var out = TokenizedText(ids: [], typeIds: [])
        for item in encodings.count > 1 ? pair : single {
            switch item {
            case .special(let ids, let typeId):
                out.ids += ids
                out.typeIds += repeatElement(typeId, count: ids.count)
            case .sequence(let index, let typeId):
                guard index < encodings.count else { continue }
                out.ids += encodings[index].ids
                out.typeIds += repeatElement(typeId, count: encodings[index].ids.count)
            }
        }
        return [out]
    }
}
