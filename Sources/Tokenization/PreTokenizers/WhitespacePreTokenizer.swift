/// HF `Whitespace`: the matches of `\w+|[^\w\s]+` (everything else dropped), with onig's
/// Unicode `\w`: letters, marks, decimal digits and connector punctuation.
struct WhitespacePreTokenizer: PreTokenizer {
    private enum Class { case word, space, other }

    private static func classOf(_ s: Unicode.Scalar) -> Class {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return .word
        default:
            return s.properties.isWhitespace ? .space : .other
        }
    }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        pieces.flatMap { piece -> [Piece] in
            let scalars = Array(piece.text.unicodeScalars)
            var matches: [Range<Int>] = []
            var i = 0
            while i < scalars.count {
                let c = Self.classOf(scalars[i])
                var j = i + 1
                while j < scalars.count && Self.classOf(scalars[j]) == c { j += 1 }
                if c != .space { matches.append(i..<j) }
                i = j
            }
            return SplitBehavior.removed.split(piece, scalars, matches: matches, invert: true)
        }
    }
}
