import Foundation

/// One (query, document) pair as the cross-encoder reads it: word-piece ids and token types,
/// special tokens included, already truncated to the model's maximum length.
public struct EncodedPair: Sendable, Equatable {
    /// Word-piece ids: `[CLS] query [SEP] document [SEP]`.
    public var ids: [Int32]
    /// Token type ids: 0 up to the first `[SEP]`, 1 after.
    public var typeIds: [Int32]

    /// Creates a pair from its ids and type ids (equal lengths).
    public init(ids: [Int32], typeIds: [Int32]) {
        self.ids = ids
        self.typeIds = typeIds
    }

    /// Word pieces fed to the model for this pair.
    public var tokenCount: Int { ids.count }
}

/// What the rerank job needs from a cross-encoder: tokenise a pair, score a batch of pairs.
///
/// The job talks to this protocol rather than to ``Inference/CrossEncoder`` directly so that
/// tests can count the pairs scored and check batching without a model.
public protocol PairScorer: AnyObject {
    /// Identifies the model and settings (changes whenever the scores could).
    var fingerprint: String { get }
    /// Tokenises one pair (truncated to the scorer's maximum length). Must be thread-safe.
    func encode(query: String, document: String) -> EncodedPair
    /// One score per pair, in input order; a score must not depend on the other pairs.
    func score(_ batch: [EncodedPair]) throws -> [Float]
}
