/// HF `Strip`: White_Space removed from the left and/or right end.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    init(_ config: ComponentConfig) throws {
        left = try config.bool("strip_left", true)
        right = try config.bool("strip_right", true)
    }

    func normalize(_ text: String) -> String {
        var scalars = Substring.UnicodeScalarView(text.unicodeScalars)
        if left { while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() } }
        if right { while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }
}
