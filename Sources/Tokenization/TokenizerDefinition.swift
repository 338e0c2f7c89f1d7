import Formats
import Foundation

/// Everything a ``BertTokenizer`` needs from a model folder, read from `tokenizer.json` or,
/// when that is absent, from `vocab.txt` (+ `tokenizer_config.json`).
struct TokenizerDefinition {
    /// Token text (UTF-8) and id.
    var vocabulary: [([UInt8], Int32)] = []
    var unkToken = "[UNK]"
    var continuingSubwordPrefix = "##"
    var maxInputCharsPerWord = 100
    var normalizer = BertUnicode.Options()
    /// Tokens cut out of the raw text before normalisation (HF's added vocabulary).
    var addedTokens: [(text: String, id: Int32)] = []
    var clsId: Int32 = 0
    var sepId: Int32 = 0
    var padId: Int32 = 0
    var unkId: Int32 = 0

    static func load(modelDirectory: String) throws -> TokenizerDefinition {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: modelDirectory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw IndexerError(.model, "model folder not found", path: modelDirectory)
        }
        let json = modelDirectory + "/tokenizer.json"
        if FileManager.default.fileExists(atPath: json) { return try fromTokenizerJSON(path: json) }
        let vocab = modelDirectory + "/vocab.txt"
        if FileManager.default.fileExists(atPath: vocab) {
            return try fromVocabulary(path: vocab, configPath: modelDirectory + "/tokenizer_config.json")
        }
        throw IndexerError(.model, "model folder has neither tokenizer.json nor vocab.txt", path: modelDirectory)
    }

    // MARK: tokenizer.json

    /// The top-level JSON object of a tokenizer file; errors name the file (the one reader of
    /// tokenizer.json and tokenizer_config.json in this module).
    static func readJSONObject(path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IndexerError.io("cannot read file", path: path)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw IndexerError(.model, "not valid JSON", path: path, cause: error.localizedDescription)
        }
        guard let dict = object as? [String: Any] else {
            throw IndexerError(.model, "expected a JSON object at the top level", path: path)
        }
        return dict
    }

    private static func int(_ any: Any?) -> Int? {
        if let n = any as? NSNumber, !(any is Bool) { return n.intValue }
        return any as? Int
    }

    static func fromTokenizerJSON(path: String) throws -> TokenizerDefinition {
        let root = try readJSONObject(path: path)
        let fail = { (message: String) in IndexerError(.model, message, path: path) }
        var def = TokenizerDefinition()
        let (vocab, maxVocabId) = try readWordPiece(root, into: &def, fail)
        try readNormalizer(root, into: &def, fail)
        let maxId = max(maxVocabId, try readAddedTokens(root, into: &def, fail))
        try readPostProcessor(root, into: &def, fail)
        if let padding = root["padding"] as? [String: Any], let pad = int(padding["pad_id"]) {
            def.padId = Int32(pad)
        } else if let pad = vocab["[PAD]"].flatMap(int) {
            def.padId = Int32(pad)
        } else {
            throw fail("no padding.pad_id and no [PAD] token")
        }
        for id in [def.clsId, def.sepId, def.padId] where Int(id) > maxId {
            throw fail("special token id \(id) is outside the vocabulary")
        }
        return def
    }

    /// The WordPiece model: vocabulary, unknown token, prefix, word length; returns the vocabulary
    /// object and its largest id.
    private static func readWordPiece(
        _ root: [String: Any], into def: inout TokenizerDefinition, _ fail: (String) -> IndexerError
    ) throws -> ([String: Any], Int) {
        // Model: WordPiece.
        guard let model = root["model"] as? [String: Any] else { throw fail("missing \"model\"") }
        let modelType = model["type"] as? String ?? "WordPiece"
        guard modelType == "WordPiece" else { throw fail("unsupported model type \"\(modelType)\" (only WordPiece)") }
        guard let vocab = model["vocab"] as? [String: Any], !vocab.isEmpty else {
            throw fail("model.vocab is missing or empty")
        }
        var maxId = -1
        for (token, value) in vocab {
            guard let id = int(value), id >= 0, id <= Int(Int32.max) else {
                throw fail("model.vocab[\"\(token)\"] is not a valid id")
            }
            def.vocabulary.append((Array(token.utf8), Int32(id)))
            maxId = max(maxId, id)
        }
        // Deterministic order (the table keeps the last duplicate; JSON keys are unique anyway).
        def.vocabulary.sort { $0.1 < $1.1 }
        def.unkToken = model["unk_token"] as? String ?? "[UNK]"
        def.continuingSubwordPrefix = model["continuing_subword_prefix"] as? String ?? "##"
        def.maxInputCharsPerWord = int(model["max_input_chars_per_word"]) ?? 100
        guard let unk = vocab[def.unkToken].flatMap(int) else {
            throw fail("unk_token \"\(def.unkToken)\" is not in model.vocab")
        }
        def.unkId = Int32(unk)
        return (vocab, maxId)
    }

    /// The BertNormalizer's options and the BertPreTokenizer check (nothing else is supported).
    private static func readNormalizer(_ root: [String: Any], into def: inout TokenizerDefinition, _ fail: (String) -> IndexerError) throws {
        // Normaliser: BertNormalizer; strip_accents null means "same as lowercase".
        guard let norm = root["normalizer"] as? [String: Any] else {
            throw fail("missing normalizer (only BertNormalizer is supported)")
        }
        guard (norm["type"] as? String) == "BertNormalizer" else {
            throw fail("unsupported normalizer type \"\(norm["type"] ?? "?")\" (only BertNormalizer)")
        }
        def.normalizer.cleanText = norm["clean_text"] as? Bool ?? true
        def.normalizer.handleChineseChars = norm["handle_chinese_chars"] as? Bool ?? true
        def.normalizer.lowercase = norm["lowercase"] as? Bool ?? true
        def.normalizer.stripAccents = norm["strip_accents"] as? Bool ?? def.normalizer.lowercase

        guard let pre = root["pre_tokenizer"] as? [String: Any], (pre["type"] as? String) == "BertPreTokenizer" else {
            throw fail("unsupported pre_tokenizer (only BertPreTokenizer)")
        }
    }

    /// The added tokens; returns their largest id (-1 for none).
    private static func readAddedTokens(_ root: [String: Any], into def: inout TokenizerDefinition, _ fail: (String) -> IndexerError) throws -> Int {
        // Added tokens: matched on the raw text, before normalisation.
        var maxId = -1
        for case let token as [String: Any] in root["added_tokens"] as? [Any] ?? [] {
            guard let content = token["content"] as? String, let id = int(token["id"]) else {
                throw fail("added_tokens entry without content or id")
            }
            if token["normalized"] as? Bool ?? false {
                throw fail("added token \"\(content)\" has normalized=true, which is not supported")
            }
            if (token["single_word"] as? Bool ?? false) || (token["lstrip"] as? Bool ?? false)
                || (token["rstrip"] as? Bool ?? false)
            {
                throw fail("added token \"\(content)\" uses single_word/lstrip/rstrip, which is not supported")
            }
            if !content.isEmpty { def.addedTokens.append((content, Int32(id))) }
            maxId = max(maxId, id)
        }
        return maxId
    }

    /// The [CLS]/[SEP] ids from a TemplateProcessing or BertProcessing post-processor.
    private static func readPostProcessor(_ root: [String: Any], into def: inout TokenizerDefinition, _ fail: (String) -> IndexerError) throws {
        // Post-processor: [CLS] $A [SEP] and [CLS] $A [SEP] $B:1 [SEP]:1.
        guard let post = root["post_processor"] as? [String: Any] else { throw fail("missing post_processor") }
        switch post["type"] as? String {
        case "TemplateProcessing":
            let specials = post["special_tokens"] as? [String: Any] ?? [:]
            func specialId(_ name: String) throws -> Int32 {
                guard let entry = specials[name] as? [String: Any], let ids = entry["ids"] as? [Any],
                    ids.count == 1, let id = int(ids[0])
                else {
                    throw fail("post_processor.special_tokens[\"\(name)\"] must have exactly one id")
                }
                return Int32(id)
            }
            func piece(_ any: Any) -> (kind: String, id: String, type: Int)? {
                guard let dict = any as? [String: Any], let (kind, body) = dict.first,
                    let body = body as? [String: Any], let id = body["id"] as? String,
                    let type = int(body["type_id"])
                else { return nil }
                return (kind, id, type)
            }
            let single = (post["single"] as? [Any] ?? []).compactMap(piece)
            let pair = (post["pair"] as? [Any] ?? []).compactMap(piece)
            guard single.count == 3, pair.count == 5,
                single[0].kind == "SpecialToken", single[0].type == 0,
                single[1].kind == "Sequence", single[1].id == "A", single[1].type == 0,
                single[2].kind == "SpecialToken", single[2].type == 0,
                pair[0].kind == "SpecialToken", pair[0].id == single[0].id, pair[0].type == 0,
                pair[1].kind == "Sequence", pair[1].id == "A", pair[1].type == 0,
                pair[2].kind == "SpecialToken", pair[2].id == single[2].id, pair[2].type == 0,
                pair[3].kind == "Sequence", pair[3].id == "B", pair[3].type == 1,
                pair[4].kind == "SpecialToken", pair[4].id == single[2].id, pair[4].type == 1
            else {
                throw fail("unsupported post_processor template (expected [CLS] $A [SEP] / [CLS] $A [SEP] $B:1 [SEP]:1)")
            }
            def.clsId = try specialId(single[0].id)
            def.sepId = try specialId(single[2].id)
        case "BertProcessing":
            guard let cls = post["cls"] as? [Any], cls.count == 2, let c = int(cls[1]),
                let sep = post["sep"] as? [Any], sep.count == 2, let s = int(sep[1])
            else {
                throw fail("post_processor BertProcessing needs cls and sep")
            }
            def.clsId = Int32(c)
            def.sepId = Int32(s)
        default:
            throw fail("unsupported post_processor type \"\(post["type"] ?? "?")\"")
        }
    }

    // MARK: vocab.txt

    static func fromVocabulary(path: String, configPath: String) throws -> TokenizerDefinition {
        var def = TokenizerDefinition()
        var config: [String: Any] = [:]
        if FileManager.default.fileExists(atPath: configPath) { config = try readJSONObject(path: configPath) }
        // transformers' BertTokenizer defaults.
        def.normalizer.lowercase = config["do_lower_case"] as? Bool ?? true
        def.normalizer.stripAccents = config["strip_accents"] as? Bool ?? def.normalizer.lowercase
        def.normalizer.handleChineseChars = config["tokenize_chinese_chars"] as? Bool ?? true
        func special(_ key: String, _ fallback: String) -> String {
            if let s = config[key] as? String { return s }
            if let d = config[key] as? [String: Any], let s = d["content"] as? String { return s }
            return fallback
        }

        let reader = try LineReader(path: path)
        var ids: [String: Int32] = [:]
        var index: Int32 = 0
        while let line = try reader.nextLine() {
            let token = try reader.string(line)
            def.vocabulary.append((line, index))
            ids[token] = index
            index += 1
        }
        if index == 0 { throw IndexerError(.model, "vocabulary is empty", path: path) }

        func id(_ token: String) throws -> Int32 {
            guard let id = ids[token] else {
                throw IndexerError(.model, "special token \"\(token)\" is not in the vocabulary", path: path)
            }
            return id
        }
        def.unkToken = special("unk_token", "[UNK]")
        def.unkId = try id(def.unkToken)
        def.clsId = try id(special("cls_token", "[CLS]"))
        def.sepId = try id(special("sep_token", "[SEP]"))
        def.padId = try id(special("pad_token", "[PAD]"))
        // The fast tokenizer converted from vocab.txt registers the special tokens as added
        // tokens, so they are cut out of raw text just as with tokenizer.json.
        for key in [
            ("pad_token", "[PAD]"), ("unk_token", "[UNK]"), ("cls_token", "[CLS]"),
            ("sep_token", "[SEP]"), ("mask_token", "[MASK]"),
        ] {
            let text = special(key.0, key.1)
            if let id = ids[text] { def.addedTokens.append((text, id)) }
        }
        return def
    }
}
