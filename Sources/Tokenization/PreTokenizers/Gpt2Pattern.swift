/// A hand-written matcher for GPT-2's split regex, the one ByteLevel uses with `use_regex`:
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
///
/// Written out rather than run through Swift `Regex` because it is several times faster and
/// its classes are stated here: `\p{L}` letters (L*), `\p{N}` numbers (N*), `\s` White_Space,
/// as Oniguruma has them; Swift's scalar properties follow a newer Unicode than onig's, which
/// only matters for scalars assigned since (none in the golden texts change a split).
enum Gpt2Pattern {
    /// The regex text as tokenizer.json files spell it (Split pre-tokenizers use it too).
    static let source = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"

    private enum Class { case letter, number, space, other }

    private static func classOf(_ s: Unicode.Scalar) -> Class {
        if s.properties.isWhitespace { return .space }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// The matches of the pattern over `s`, as scalar ranges (they cover every scalar).
    static func matches(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        let classes = s.map(classOf)
        var out: [Range<Int>] = []
        var i = 0
        let n = s.count
        func run(from start: Int, _ c: Class) -> Int {
            var j = start
            while j < n && classes[j] == c { j += 1 }
            return j
        }
        while i < n {
            if let length = contraction(s, i) {
                out.append(i..<(i + length))
                i += length
                continue
            }
            var start = i
            // " ?X+": an optional ASCII space before a run of one non-space class.
            if s[i] == " " && i + 1 < n && classes[i + 1] != .space { start = i + 1 }
            let c = classes[start]
            if c != .space {
                let end = run(from: start, c)
                out.append(i..<end)
                i = end
                continue
            }
            // Whitespace: \s+(?!\S) leaves the last space for the next word; else \s+.
            let end = run(from: i, .space)
            if end < n && end - i >= 2 {
                out.append(i..<(end - 1))
                i = end - 1
            } else {
                out.append(i..<end)
                i = end
            }
        }
        return out
    }

    /// Length of `'s|'t|'re|'ve|'m|'ll|'d` at `i` (case-sensitive, as the pattern is).
    private static func contraction(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        guard s[i] == "'", i + 1 < s.count else { return nil }
        switch s[i + 1] {
        case "s", "t", "m", "d": return 2
        case "r", "v", "l":
            guard i + 2 < s.count else { return nil }
            let pairs: [Unicode.Scalar: Unicode.Scalar] = ["r": "e", "v": "e", "l": "l"]
            return s[i + 2] == pairs[s[i + 1]] ? 3 : nil
        default: return nil
        }
    }
}
