/// HF `ByteLevel` post-processor: it only trims offsets, so ids pass through unchanged.
struct ByteLevelProcessing: PostProcessor {
    func addedCount(pair: Bool) -> Int { 0 }
    func process(_ encodings: [TokenizedText]) -> [TokenizedText] { encodings }
}
