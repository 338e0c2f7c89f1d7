/// HF `Replace`: every match of a String or Regex pattern replaced by `content`.
///
/// Regex patterns are honoured only where a matcher here agrees with onig: `" {2,}"` (XLM-R's
/// converter writes it) and the general `" {N,}"` form; other regexes are refused.
struct ReplaceNormalizer: Normalizer {
    private enum Matcher {
        case literal([Unicode.Scalar])
        /// At least `n` consecutive ASCII spaces.
        case spaceRun(Int)
    }
    private let matcher: Matcher
    private let content: String

    init(_ config: ComponentConfig) throws {
        content = try config.string("content")
        switch try TextPattern(config) {
        case .string(let s):
            matcher = .literal(Array(s.unicodeScalars))
        case .regex(let r):
            guard let n = ReplaceNormalizer.spaceRunMinimum(r) else {
                throw config.fail("Regex pattern \(r.debugDescription) is not supported (only \" {N,}\")")
            }
            matcher = .spaceRun(n)
        }
    }

    /// N of `" {N,}"`, the only regex form this normaliser honours.
    private static func spaceRunMinimum(_ r: String) -> Int? {
        guard r.hasPrefix(" {"), r.hasSuffix(",}") else { return nil }
        guard let n = Int(r.dropFirst(2).dropLast(2)), n >= 1 else { return nil }
        return n
    }

    func normalize(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        let matches: [Range<Int>]
        switch matcher {
        case .literal(let p):
            matches = LiteralMatcher.matches(of: p, in: s)
        case .spaceRun(let n):
            var found: [Range<Int>] = []
            var i = 0
            while i < s.count {
                guard s[i] == " " else { i += 1; continue }
                var j = i + 1
                while j < s.count && s[j] == " " { j += 1 }
                if j - i >= n { found.append(i..<j) }
                i = j
            }
            matches = found
        }
        if matches.isEmpty { return text }
        var view = String.UnicodeScalarView()
        var at = 0
        for m in matches {
            view.append(contentsOf: s[at..<m.lowerBound])
            view.append(contentsOf: content.unicodeScalars)
            at = m.upperBound
        }
        view.append(contentsOf: s[at...])
        return String(view)
    }
}
