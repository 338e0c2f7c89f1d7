// Character properties for the lexical tokenizer, looked up in the generated WordBreakTable.

/// The UAX#29 Word_Break classes that Lucene's StandardTokenizer grammar distinguishes.
///
/// CR, LF, Newline, WSegSpace and unlisted scalars are all `other`: the grammar never joins
/// across them. Raw values match scripts/reference/gen_word_break_table.py.
enum WordBreakClass: UInt8 {
    case other = 0, extend, format, zwj, regionalIndicator, katakana, hebrewLetter, aLetter,
        singleQuote, doubleQuote, midNumLet, midLetter, midNum, numeric, extendNumLet
}

/// Per-scalar lexical properties: Word_Break class plus the script, line-break and emoji flags.
struct LexicalCharInfo {
    let raw: UInt16

    static let han: UInt16 = 16
    static let hiragana: UInt16 = 32
    static let complexContext: UInt16 = 64
    static let emojiChar: UInt16 = 128
    static let emojiModifierBase: UInt16 = 256
    static let emojiModifier: UInt16 = 512

    @inline(__always) var wordBreak: WordBreakClass { WordBreakClass(rawValue: UInt8(raw & 15)) ?? .other }
    @inline(__always) func has(_ flag: UInt16) -> Bool { raw & flag != 0 }

    /// Extend, Format or ZWJ: absorbed by the preceding character (UAX#29 WB4).
    @inline(__always) var isExtendFormatZWJ: Bool {
        let c = raw & 15
        return c >= 1 && c <= 3
    }
}

/// Lookup of `LexicalCharInfo` by scalar value: a flat table for the BMP, binary search above.
enum LexicalCharTable {
    /// Expanded once from the range table; 128 KiB.
    static let bmp: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 0x10000)
        let starts = wordBreakRangeStarts
        let values = wordBreakRangeValues
        for index in 0..<starts.count {
            let lo = Int(starts[index])
            if lo >= 0x10000 { break }
            let hi = index + 1 < starts.count ? min(Int(starts[index + 1]), 0x10000) : 0x10000
            let v = values[index]
            if v != 0 { for c in lo..<hi { table[c] = v } }
        }
        return table
    }()

    @inline(__always) static func info(_ value: UInt32) -> LexicalCharInfo {
        if value < 0x10000 { return LexicalCharInfo(raw: bmp[Int(value)]) }
        return LexicalCharInfo(raw: lookupAstral(value))
    }

    static func lookupAstral(_ value: UInt32) -> UInt16 {
        let starts = wordBreakRangeStarts
        var lo = 0, hi = starts.count - 1
        // Find the last start <= value.
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= value { lo = mid } else { hi = mid - 1 }
        }
        return wordBreakRangeValues[lo]
    }
}
