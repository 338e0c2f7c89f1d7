import Formats
import Foundation
import Inference

/// A ``PairScorer`` over a Hugging Face cross-encoder folder (``Inference/CrossEncoder``).
///
/// Tokenisation uses the folder's own tokenizer with the same truncation as the encoder
/// (``Tokenization/TextTokenizer/encodePair(_:_:maxLength:)``), so a pair is tokenised once:
/// the token counts in the timings are exactly what the model read.
public final class CrossEncoderScorer: PairScorer, @unchecked Sendable {
    /// The loaded model.
    public let model: CrossEncoder

    /// Loads `modelDirectory` with `maxLength` word pieces per pair (nil: the folder's declared
    /// maximum, ``RerankModel/declaredMaxLength(modelDirectory:)``) on `threads` threads at `precision`.
    public init(modelDirectory: String, maxLength: Int? = nil, threads: Int? = nil, precision: Precision = .fp32) throws {
        model = try CrossEncoder(modelDirectory: modelDirectory, maxLength: maxLength, threads: threads, precision: precision)
    }

    /// The model's fingerprint (weights, config, tokenizer, maximum length).
    public var fingerprint: String { model.fingerprint }

    /// `[CLS] query [SEP] document [SEP]`, the document truncated first.
    public func encode(query: String, document: String) -> EncodedPair {
        let t = model.encodePair(query: query, document: document)
        return EncodedPair(ids: t.ids, typeIds: t.typeIds)
    }

    /// Raw logits, one a pair.
    public func score(_ batch: [EncodedPair]) throws -> [Float] {
        try model.score(tokenIds: batch.map(\.ids), typeIds: batch.map(\.typeIds))
    }
}
