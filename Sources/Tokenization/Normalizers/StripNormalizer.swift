/// HF `Strip`: White_Space removed from the left and/or right end.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    init(_ config: ComponentConfig) throws {
        left = try config.bool("strip_left", true)
        right = try config.bool("strip_right", true)
    }

    func normalize(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var lo = scalars.startIndex, hi = scalars.endIndex
        if left { while lo < hi && scalars[lo].properties.isWhitespace { lo = scalars.index(after: lo) } }
        if right {
            while hi > lo && scalars[scalars.index(before: hi)].properties.isWhitespace { hi = scalars.index(before: hi) }
        }
        if lo == scalars.startIndex && hi == scalars.endIndex { return text }
        return String(scalars[lo..<hi])
    }
}
