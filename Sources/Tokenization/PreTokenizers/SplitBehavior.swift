/// HF's `SplitDelimiterBehavior`: what becomes of the matched parts when a piece is split.
enum SplitBehavior: String {
    case removed, isolated, mergedWithPrevious = "merged_with_previous", mergedWithNext = "merged_with_next", contiguous

    init(_ config: ComponentConfig, default fallback: SplitBehavior? = nil) throws {
        guard let raw = config.json["behavior"] as? String else {
            if let fallback { self = fallback; return }
            throw config.fail("\"behavior\" is missing")
        }
        // tokenizer.json spells them in CamelCase ("MergedWithPrevious"); accept snake case too.
        let snake = raw.reduce(into: "") { s, c in
            if c.isUppercase && !s.isEmpty { s.append("_") }
            s.append(contentsOf: c.lowercased())
        }
        guard let b = SplitBehavior(rawValue: snake) else { throw config.fail("unknown behavior \"\(raw)\"") }
        self = b
    }

    /// Splits `piece` (as scalars) at `matches` (sorted, non-overlapping scalar ranges), as HF
    /// `NormalizedString::split` does; `invert` swaps matches and gaps. Empty parts are dropped.
    func split(_ piece: Piece, _ scalars: [Unicode.Scalar], matches: [Range<Int>], invert: Bool = false) -> [Piece] {
        var parts: [(Range<Int>, Bool)] = []
        var at = 0
        for m in matches {
            if m.lowerBound > at { parts.append((at..<m.lowerBound, invert)) }
            if !m.isEmpty { parts.append((m, !invert)) }
            at = m.upperBound
        }
        if at < scalars.count { parts.append((at..<scalars.count, invert)) }
        var kept: [Range<Int>] = []
        switch self {
        case .removed:
            kept = parts.filter { !$0.1 }.map { $0.0 }
        case .isolated:
            kept = parts.map { $0.0 }
        case .mergedWithPrevious:
            var previousMatch = false
            for (r, isMatch) in parts {
                if isMatch && !previousMatch, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<r.upperBound
                } else {
                    kept.append(r)
                }
                previousMatch = isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for (r, isMatch) in parts.reversed() {
                if isMatch && !previousMatch, let last = kept.last {
                    kept[kept.count - 1] = r.lowerBound..<last.upperBound
                } else {
                    kept.append(r)
                }
                previousMatch = isMatch
            }
            kept.reverse()
        case .contiguous:
            var previousMatch = false
            for (r, isMatch) in parts {
                if isMatch == previousMatch, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<r.upperBound
                } else {
                    kept.append(r)
                }
                previousMatch = isMatch
            }
        }
        return kept.compactMap { r in
            r.isEmpty ? nil : Piece(text: String(String.UnicodeScalarView(scalars[r])), atStart: piece.atStart && r.lowerBound == 0)
        }
    }

    /// Splits every piece at the scalars `isDelimiter` accepts, each one a match of its own.
    func split(_ pieces: [Piece], where isDelimiter: (Unicode.Scalar) -> Bool) -> [Piece] {
        pieces.flatMap { piece -> [Piece] in
            let scalars = Array(piece.text.unicodeScalars)
            let matches = scalars.indices.filter { isDelimiter(scalars[$0]) }.map { $0..<($0 + 1) }
            return split(piece, scalars, matches: matches)
        }
    }
}
