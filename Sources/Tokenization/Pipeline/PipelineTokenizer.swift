import Formats
import Foundation

/// Any `tokenizer.json` pipeline HF `tokenizers` defines, built from the components the
/// registry (`ComponentRegistry`) knows: added tokens, normalizer, pre-tokenizer, model,
/// post-processor, in HF's order. A component that is not implemented is refused at load.
///
/// Slower than ``BertTokenizer`` (Strings per piece), which `Tokenizers.load` keeps for BERT's
/// exact pipeline. Immutable after `init`, so one instance serves every thread.
public final class PipelineTokenizer: TextTokenizer {
    /// The number of ids the model's embedding table must cover (largest id + 1).
    public let vocabularySize: Int
    /// `padding.pad_id`, else the id of `<pad>` or `[PAD]`, else 0.
    public let padId: Int32

    private let normalizer: (any Normalizer)?
    private let preTokenizer: (any PreTokenizer)?
    private let model: any TokenModel
    private let postProcessor: (any PostProcessor)?
    /// Added tokens matched on the raw text (`normalized: false`).
    private let rawAdded: AddedTokens
    /// Added tokens matched on the normalised text (`normalized: true`), by normalised content.
    private let normalizedAdded: AddedTokens

    /// Loads `modelDirectory/tokenizer.json`. Throws ``IndexerError`` of kind `.model` naming
    /// the file and the component that is missing, malformed or not implemented. `truncation`
    /// and `padding` are ignored (callers pass `maxLength` and pad themselves), as is `decoder`.
    public convenience init(modelDirectory: String) throws {
        let path = modelDirectory + "/tokenizer.json"
        try self.init(root: try TokenizerDefinition.readJSONObject(path: path), path: path)
    }

    init(root: [String: Any], path: String) throws {
        func config(_ key: String) throws -> ComponentConfig? {
            guard let value = root[key], !(value is NSNull) else { return nil }
            guard let object = value as? [String: Any] else {
                throw IndexerError(.model, "\"\(key)\" must be an object or null", path: path)
            }
            return ComponentConfig(json: object, location: key, path: path)
        }
        guard let modelConfig = try config("model") else { throw IndexerError(.model, "missing \"model\"", path: path) }
        normalizer = try config("normalizer").map { try $0.build(ComponentRegistry.normalizers) }
        preTokenizer = try config("pre_tokenizer").map { try $0.build(ComponentRegistry.preTokenizers) }
        model = try modelConfig.build(ComponentRegistry.models)
        var largest = model.largestId
        var raw: [AddedTokens.Token] = [], normalized: [AddedTokens.Token] = []
        var addedIds: [String: Int32] = [:]
        for (i, entry) in (root["added_tokens"] as? [Any] ?? []).enumerated() {
            guard let token = entry as? [String: Any], let content = token["content"] as? String,
                let id = ComponentConfig.int(token["id"]), id >= 0, id <= Int(Int32.max)
            else {
                throw IndexerError(.model, "added_tokens[\(i)] needs content and a valid id", path: path)
            }
            let isNormalized = token["normalized"] as? Bool ?? !(token["special"] as? Bool ?? false)
            let text = isNormalized ? (normalizer?.normalize(content) ?? content) : content
            let t = AddedTokens.Token(
                bytes: Array(text.utf8), id: Int32(id),
                singleWord: token["single_word"] as? Bool ?? false,
                lstrip: token["lstrip"] as? Bool ?? false, rstrip: token["rstrip"] as? Bool ?? false)
            if isNormalized { normalized.append(t) } else { raw.append(t) }
            addedIds[content] = Int32(id)
            largest = max(largest, id)
        }
        rawAdded = AddedTokens(raw)
        normalizedAdded = AddedTokens(normalized)
        let resolve: (String) -> Int32? = { [model] in addedIds[$0] ?? model.id(of: $0) }
        postProcessor = try config("post_processor").map { try $0.build(ComponentRegistry.postProcessors) }
        vocabularySize = largest + 1
        if let padding = root["padding"] as? [String: Any], let pad = ComponentConfig.int(padding["pad_id"]) {
            padId = Int32(pad)
        } else {
            padId = resolve("<pad>") ?? resolve("[PAD]") ?? 0
        }
    }

    /// Ids of `text` without special tokens and without truncation.
    public func wordPieces(_ text: String) -> [Int32] {
        var out: [Int32] = []
        for segment in rawAdded.split(Piece(text: text, atStart: true)) {
            switch segment {
            case .token(let id):
                out.append(id)
            case .text(let piece):
                let normal = Piece(text: normalizer?.normalize(piece.text) ?? piece.text, atStart: piece.atStart)
                for inner in normalizedAdded.split(normal) {
                    switch inner {
                    case .token(let id): out.append(id)
                    case .text(let p): tokenize(p, into: &out)
                    }
                }
            }
        }
        return out
    }

    private func tokenize(_ piece: Piece, into out: inout [Int32]) {
        if piece.text.isEmpty { return }
        let words = preTokenizer?.preTokenize([piece]) ?? [piece]
        for word in words where !word.text.isEmpty { model.tokenize(word.text, into: &out) }
    }

    /// The post-processor's template around `text`, cut so that the total is at most `maxLength`.
    public func encode(_ text: String, maxLength: Int) -> TokenizedText {
        encode(pieces: wordPieces(text), maxLength: maxLength)
    }

    /// ``encode(_:maxLength:)`` from the text's ``wordPieces(_:)`` (tests reuse them).
    func encode(pieces: [Int32], maxLength: Int) -> TokenizedText {
        var a = pieces
        let budget = max(0, maxLength - (postProcessor?.addedCount(pair: false) ?? 0))
        if a.count > budget { a.removeLast(a.count - budget) }
        return finish([TokenizedText(ids: a, typeIds: [Int32](repeating: 0, count: a.count))])
    }

    /// The post-processor's pair template, truncated HF `only_second`, falling back to
    /// `longest_first` when `first` alone leaves no room (as ``BertTokenizer`` does).
    public func encodePair(_ first: String, _ second: String, maxLength: Int) -> TokenizedText {
        var a = wordPieces(first), b = wordPieces(second)
        let budget = max(0, maxLength - (postProcessor?.addedCount(pair: true) ?? 0))
        if a.count + b.count > budget {
            var n1 = a.count, n2 = b.count
            if n1 < budget { n2 = budget - n1 } else { (n1, n2) = BertTokenizer.longestFirst(n1, n2, budget: budget) }
            a.removeLast(a.count - n1)
            b.removeLast(b.count - n2)
        }
        return finish([
            TokenizedText(ids: a, typeIds: [Int32](repeating: 0, count: a.count)),
            TokenizedText(ids: b, typeIds: [Int32](repeating: 1, count: b.count)),
        ])
    }

    /// HF `PostProcessor::process`: the processor's encodings merged; without a processor the
    /// sequences are concatenated with type ids 0 and 1.
    private func finish(_ parts: [TokenizedText]) -> TokenizedText {
        let processed = postProcessor?.process(parts) ?? parts
        var out = TokenizedText(ids: [], typeIds: [])
        for p in processed {
            out.ids += p.ids
            out.typeIds += p.typeIds
        }
        return out
    }
}
