/// Model input for one text or text pair: token ids and token type (segment) ids.
///
/// The attention mask is implicitly all ones over `ids.count`; padding is the caller's job.
public struct TokenizedText: Sendable, Equatable {
    /// Word-piece ids including `[CLS]` and `[SEP]`.
    public var ids: [Int32]
    /// 0 for `[CLS] first [SEP]`, 1 for `second [SEP]`; same length as `ids`.
    public var typeIds: [Int32]

    /// Wraps ids and type ids of equal length.
    public init(ids: [Int32], typeIds: [Int32]) {
        self.ids = ids
        self.typeIds = typeIds
    }
}
