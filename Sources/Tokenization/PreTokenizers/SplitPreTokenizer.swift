/// HF `Split`: a String or Regex pattern with a delimiter behaviour, optionally inverted.
///
/// Regex patterns are honoured only where a matcher here is known to agree with onig: GPT-2's
/// pattern and `\s+`; any other regex is refused rather than approximated.
struct SplitPreTokenizer: PreTokenizer {
    private enum Matcher {
        case literal([Unicode.Scalar])
        case gpt2
        case whitespaceRuns
    }
    private let matcher: Matcher
    private let behavior: SplitBehavior
    private let invert: Bool

    init(_ config: ComponentConfig) throws {
        switch try TextPattern(config) {
        case .string(let s):
            matcher = .literal(Array(s.unicodeScalars))
        case .regex(Gpt2Pattern.source):
            matcher = .gpt2
        case .regex("\\s+"):
            matcher = .whitespaceRuns
        case .regex(let r):
            throw config.fail("Regex pattern \(r.debugDescription) is not supported (only GPT-2's and \\s+)")
        }
        behavior = try SplitBehavior(config)
        invert = try config.bool("invert", false)
    }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        pieces.flatMap { piece -> [Piece] in
            let scalars = Array(piece.text.unicodeScalars)
            return behavior.split(piece, scalars, matches: matches(scalars), invert: invert)
        }
    }

    private func matches(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        switch matcher {
        case .gpt2:
            return Gpt2Pattern.matches(s)
        case .whitespaceRuns:
            var out: [Range<Int>] = []
            var i = 0
            while i < s.count {
                guard s[i].properties.isWhitespace else { i += 1; continue }
                var j = i + 1
                while j < s.count && s[j].properties.isWhitespace { j += 1 }
                out.append(i..<j)
                i = j
            }
            return out
        case .literal(let p):
            return LiteralMatcher.matches(of: p, in: s)
        }
    }
}

/// Non-overlapping occurrences of a literal, left to right (what a regex of the escaped literal
/// finds).
enum LiteralMatcher {
    static func matches(of p: [Unicode.Scalar], in s: [Unicode.Scalar]) -> [Range<Int>] {
        guard !p.isEmpty, s.count >= p.count else { return [] }
        var out: [Range<Int>] = []
        var i = 0
        while i + p.count <= s.count {
            if s[i] == p[0] && s[i..<(i + p.count)].elementsEqual(p) {
                out.append(i..<(i + p.count))
                i += p.count
            } else {
                i += 1
            }
        }
        return out
    }
}
