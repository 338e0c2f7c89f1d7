// Lucene's StandardTokenizer (UAX#29 word boundaries, as its JFlex grammar specialises them).

/// Splits text into words the way Lucene's `StandardTokenizer` does (Lucene 8-10,
/// `StandardTokenizerImpl.jflex`), which is what Anserini's default English analyzer starts with.
///
/// The grammar is a longest-match scanner over these token rules (first rule wins a tie):
/// emoji sequences; words and numbers (UAX#29 WB5-WB13b: letters, digits, `_`-like
/// ExtendNumLet, a single MidLetter/MidNumLet/Single_Quote between letters, a single
/// MidNum/MidNumLet/Single_Quote between digits, Katakana runs, Hebrew quotes); runs of
/// South-East-Asian (Line_Break=SA) characters; a single Han ideograph; a single Hiragana.
/// Anything else (spaces, punctuation, symbols, lone marks) is dropped. Each character absorbs
/// following Extend/Format/ZWJ characters (WB4). Tokens longer than 255 UTF-16 units are chopped
/// into 255-unit pieces, as Lucene does with its default `maxTokenLength`.
///
/// Character properties come from Unicode 15.0 (the generated `WordBreakTable`); Lucene's grammar
/// was compiled against Unicode 9-12, so the few characters whose Word_Break class changed since
/// then may split differently. Emoji sequences follow Lucene's emoji rule closely but are matched
/// greedily rather than by its DFA (differences only in malformed ZWJ sequences).
public enum StandardTokenizer {
    /// Lucene's default `StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH`, in UTF-16 code units.
    public static let maxTokenLength = 255

    /// The token texts of `text`, in order.
    public static func tokenize(_ text: String) -> [String] {
        let scalars = text.unicodeScalars.map { $0.value }
        var out: [String] = []
        forEachToken(scalars) { range in
            var s = String.UnicodeScalarView()
            for i in range { if let u = Unicode.Scalar(scalars[i]) { s.append(u) } }
            out.append(String(s))
        }
        return out
    }

    /// Calls `body` with the scalar index range of each token of `scalars`, in order.
    public static func forEachToken(_ scalars: [UInt32], _ body: (Range<Int>) -> Void) {
        var scanner = Scanner(s: scalars)
        var i = 0
        let n = scalars.count
        while i < n {
            let end = scanner.longestMatch(at: i)
            if end <= i {
                i += 1  // the catch-all rule: drop one character
                continue
            }
            // Chop over-long tokens at maxTokenLength UTF-16 units, then rescan from there.
            var units = 0
            var cut = i
            while cut < end {
                let w = scalars[cut] >= 0x10000 ? 2 : 1
                if units + w > maxTokenLength { break }
                units += w
                cut += 1
            }
            if cut == i { cut = i + 1 }
            body(i..<cut)
            i = cut
        }
    }

    struct Scanner {
        let s: [UInt32]
        /// The BMP table, held here so the hot loop does not go through the global's accessor.
        let bmp: [UInt16] = LexicalCharTable.bmp

        init(s: [UInt32]) { self.s = s }

        @inline(__always) func info(_ i: Int) -> LexicalCharInfo {
            guard i < s.count else { return LexicalCharInfo(raw: 0) }
            let v = s[i]
            return LexicalCharInfo(raw: v < 0x10000 ? bmp[Int(v)] : LexicalCharTable.lookupAstral(v))
        }
        @inline(__always) func wb(_ i: Int) -> WordBreakClass { info(i).wordBreak }

        /// Index after any Extend/Format/ZWJ characters starting at `i` (WB4).
        @inline(__always) func skipExt(_ i: Int) -> Int {
            var j = i
            while j < s.count, info(j).isExtendFormatZWJ { j += 1 }
            return j
        }

        /// End of the longest token starting at `i`, or `i` if no token rule matches.
        mutating func longestMatch(at i: Int) -> Int {
            var best = i
            if let e = matchEmoji(i), e > best { best = e }
            if let e = matchWord(i), e > best { best = e }
            let here = info(i)
            if here.has(LexicalCharInfo.complexContext) {
                var j = i
                while j < s.count, info(j).has(LexicalCharInfo.complexContext) { j = skipExt(j + 1) }
                if j > best { best = j }
            }
            if here.has(LexicalCharInfo.han) || here.has(LexicalCharInfo.hiragana) {
                let j = skipExt(i + 1)
                if j > best { best = j }
            }
            return best
        }

        // MARK: words and numbers

        @inline(__always) func isAHLetter(_ c: WordBreakClass) -> Bool { c == .aLetter || c == .hebrewLetter }

        /// WORD_TYPE / NUMERIC_TYPE: `E* U (E+ U)* E*`.
        func matchWord(_ start: Int) -> Int? {
            var j = start
            while wb(j) == .extendNumLet { j = skipExt(j + 1) }
            guard var end = matchUnitGroup(j) else { return nil }
            while true {
                guard wb(end) == .extendNumLet else { break }
                var k = end
                while wb(k) == .extendNumLet { k = skipExt(k + 1) }
                if let next = matchUnitGroup(k) {
                    end = next
                } else {
                    end = k  // trailing ExtendNumLet*
                    break
                }
            }
            return end
        }

        /// `U = K (E* K)* | (HebrewUnit | NumericUnit | LetterUnit)+`.
        func matchUnitGroup(_ start: Int) -> Int? {
            let first = wb(start)
            if first == .katakana { return matchKatakana(start) }
            var state: UnitState
            switch first {
            case .aLetter: state = .letter(hebrew: false)
            case .hebrewLetter: state = .letter(hebrew: true)
            case .numeric: state = .number
            default: return nil
            }
            var end = skipExt(start + 1)
            while true {
                let c = wb(end)
                switch c {
                case .aLetter, .hebrewLetter:
                    state = .letter(hebrew: c == .hebrewLetter)
                    end = skipExt(end + 1)
                case .numeric:
                    state = .number
                    end = skipExt(end + 1)
                case .midLetter, .midNumLet, .singleQuote, .midNum, .doubleQuote:
                    guard let step = crossMid(c, at: end, state: state) else { return end }
                    (end, state) = step
                default:
                    return end
                }
            }
        }

        /// `K (E* K)*`: Katakana, joined through ExtendNumLet.
        func matchKatakana(_ start: Int) -> Int {
            var end = skipExt(start + 1)
            while true {
                var k = end
                while wb(k) == .extendNumLet { k = skipExt(k + 1) }
                if wb(k) == .katakana { end = skipExt(k + 1) } else { break }
            }
            return end
        }

        /// What a unit group has just read: letters (Hebrew or not), digits, or a Hebrew letter
        /// followed by a single quote (after which the group ends).
        enum UnitState { case letter(hebrew: Bool), number, hebrewQuote }

        /// The middle character `c` at `end` in `state`: the end and state after it when the
        /// unit continues across it (WB6/7, 7a-c, 11/12), nil when the unit ends before it.
        func crossMid(_ c: WordBreakClass, at end: Int, state: UnitState) -> (Int, UnitState)? {
            let afterMid = skipExt(end + 1)
            let next = wb(afterMid)
            switch state {
            case .letter(let hebrew):
                if c == .singleQuote && hebrew {  // WB7a: Hebrew_Letter × Single_Quote
                    return (afterMid, .hebrewQuote)
                }
                if c == .doubleQuote {  // WB7b/c: Hebrew_Letter Double_Quote Hebrew_Letter
                    return hebrew && next == .hebrewLetter ? (skipExt(afterMid + 1), .letter(hebrew: true)) : nil
                }
                if c != .midNum && isAHLetter(next) {  // WB6/WB7
                    return (skipExt(afterMid + 1), .letter(hebrew: next == .hebrewLetter))
                }
                return nil
            case .number:
                if c != .midLetter && c != .doubleQuote && next == .numeric {  // WB11/WB12
                    return (skipExt(afterMid + 1), .number)
                }
                return nil
            case .hebrewQuote:
                return nil
            }
        }

        // MARK: emoji

        /// ExtFmtZwjSansPresSel without ZWJ (handled explicitly) and without the emoji tag
        /// characters (handled by the tag-sequence rule).
        func skipEmojiExt(_ i: Int) -> Int {
            var j = i
            while j < s.count {
                let v = s[j]
                if v == 0xFE0E || v == 0xFE0F || v == 0x200D || (v >= 0xE0020 && v <= 0xE007F) { break }
                if !info(j).isExtendFormatZWJ { break }
                j += 1
            }
            return j
        }

        /// `ZWJ* EmojiCharEx FE0F? | (ZWJ* ModifierBaseEx)? ModifierEx`.
        func matchEmojiElement(_ start: Int) -> Int? {
            var j = start
            while j < s.count, s[j] == 0x200D { j += 1 }
            guard j < s.count else { return nil }
            let c = info(j)
            if c.has(LexicalCharInfo.emojiModifierBase) {
                let afterBase = skipEmojiExt(j + 1)
                if info(afterBase).has(LexicalCharInfo.emojiModifier) { return skipEmojiExt(afterBase + 1) }
            }
            if c.has(LexicalCharInfo.emojiChar) {
                var e = skipEmojiExt(j + 1)
                if e < s.count, s[e] == 0xFE0F { e += 1 }
                return e
            }
            if c.has(LexicalCharInfo.emojiModifier) { return skipEmojiExt(j + 1) }
            return nil
        }

        func matchEmoji(_ start: Int) -> Int? {
            guard start < s.count else { return nil }
            let v = s[start]
            // Keycap: [0-9#*] Ext* FE0F? 20E3 Ext*
            if (v >= 0x30 && v <= 0x39) || v == 0x23 || v == 0x2A {
                var j = skipEmojiExt(start + 1)
                if j < s.count, s[j] == 0xFE0F { j += 1 }
                if j < s.count, s[j] == 0x20E3 { return skipEmojiExt(j + 1) }
                return nil
            }
            // Flag: two regional indicators.
            if wb(start) == .regionalIndicator {
                let j = skipExt(start + 1)
                if wb(j) == .regionalIndicator { return skipExt(j + 1) }
                return nil
            }
            guard var end = matchEmojiElement(start) else { return nil }
            if end < s.count, s[end] >= 0xE0020, s[end] <= 0xE007E {
                var j = end
                while j < s.count, s[j] >= 0xE0020, s[j] <= 0xE007E { j += 1 }
                if j < s.count, s[j] == 0xE007F { return j + 1 }
                return end
            }
            while end < s.count, s[end] == 0x200D, let next = matchEmojiElement(end + 1) {
                end = next
            }
            // A ZWJ that joins nothing is absorbed like any Extend character.
            while end < s.count, s[end] == 0x200D { end = skipEmojiExt(end + 1) }
            return end
        }
    }
}
