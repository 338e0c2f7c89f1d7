// The English analysis chain of Anserini's default index: tokenize, possessives, lowercase,
// stopwords, Porter.

/// Text analysis matching Anserini's `DefaultEnglishAnalyzer.newDefaultInstance()` (the analyzer
/// of its BEIR "flat" BM25 indexes), which chains, in this order: Lucene's `StandardTokenizer`,
/// `EnglishPossessiveFilter` (drops a trailing 's, ’s or ＇s, before lowercasing), `LowerCaseFilter`
/// (per code point, simple case mapping), `StopFilter` with `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`
/// and `PorterStemFilter`.
///
/// Stopword removal can be switched off (Anserini's `-keepStopwords`) and stemming too. Removed
/// stopwords do not count in document length (Lucene counts only emitted tokens).
public struct EnglishAnalyzer: Sendable {
    /// Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, the 33 classic English stopwords.
    public static let englishStopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with",
    ]

    /// Words dropped after lowercasing.
    public let stopWords: Set<String>
    /// Whether terms go through the Porter stemmer.
    public let stem: Bool

    /// Anserini's default: Lucene's English stopwords, Porter stemming.
    public init(stopWords: Set<String> = EnglishAnalyzer.englishStopWords, stem: Bool = true) {
        self.stopWords = stopWords
        self.stem = stem
        stopUnits = Set(stopWords.map { Array($0.utf16) })
    }

    private let stopUnits: Set<[UInt16]>

    /// The terms of `text`, in order, repeated as often as they occur.
    public func analyze(_ text: String) -> [String] {
        var out: [String] = []
        forEachTerm(text) { out.append(String(decoding: $0, as: UTF16.self)) }
        return out
    }

    /// Calls `body` with each term of `text` as UTF-16 code units, in order.
    public func forEachTerm(_ text: String, _ body: ([UInt16]) -> Void) {
        let scalars = text.unicodeScalars.map { $0.value }
        var stemmer = PorterStemmer()
        var units: [UInt16] = []
        units.reserveCapacity(32)
        StandardTokenizer.forEachToken(scalars) { range in
            units.removeAll(keepingCapacity: true)
            for i in range { Self.appendUTF16(scalars[i], to: &units) }
            Self.dropPossessive(&units)
            Self.lowercase(&units)
            if stopUnits.contains(units) { return }
            if stem { stemmer.stem(&units) }
            body(units)
        }
    }

    @inline(__always) static func appendUTF16(_ v: UInt32, to units: inout [UInt16]) {
        if v < 0x10000 {
            units.append(UInt16(v))
        } else {
            let x = v - 0x10000
            units.append(UInt16(0xD800 + (x >> 10)))
            units.append(UInt16(0xDC00 + (x & 0x3FF)))
        }
    }

    /// Lucene's EnglishPossessiveFilter: strip a final 's / 'S after ', ’ or ＇.
    static func dropPossessive(_ units: inout [UInt16]) {
        let n = units.count
        guard n >= 2 else { return }
        let q = units[n - 2], s = units[n - 1]
        if (q == 0x27 || q == 0x2019 || q == 0xFF07) && (s == 0x73 || s == 0x53) {
            units.removeLast(2)
        }
    }

    /// Lucene's LowerCaseFilter: `Character.toLowerCase` per code point (simple mapping).
    static func lowercase(_ units: inout [UInt16]) {
        var allASCII = true
        for u in units where u >= 0x80 { allASCII = false; break }
        if allASCII {
            for i in units.indices where units[i] >= 65 && units[i] <= 90 { units[i] += 32 }
            return
        }
        var out: [UInt16] = []
        out.reserveCapacity(units.count)
        for scalar in String(decoding: units, as: UTF16.self).unicodeScalars {
            appendUTF16(simpleLowercase(scalar).value, to: &out)
        }
        units = out
    }

    /// Simple (one-to-one) lowercase mapping; Swift exposes the full mapping, which differs only
    /// where the full mapping has several scalars (U+0130 → "i̇"; Java maps it to "i").
    static func simpleLowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let mapped = scalar.properties.lowercaseMapping.unicodeScalars
        if mapped.count == 1, let first = mapped.first { return first }
        if scalar.value == 0x130 { return "i" }
        return scalar
    }
}
