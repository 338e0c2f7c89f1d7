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
        maxStopLength = stopUnits.map { $0.count }.max() ?? -1
    }

    private let stopUnits: Set<[UInt16]>
    /// Longer tokens cannot be stopwords: skips hashing most tokens.
    private let maxStopLength: Int

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
            if units.count <= maxStopLength && stopUnits.contains(units) { return }
            if stem { stemmer.stem(&units) }
            body(units)
        }
    }

    /// Calls `body` with each term of `text` as UTF-8 bytes (the dictionary's key form), in order.
    /// The buffer is reused between calls: copy it to keep it.
    public func forEachTermUTF8(_ text: String, _ body: ([UInt8]) -> Void) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        forEachTerm(text) { units in
            bytes.removeAll(keepingCapacity: true)
            Self.appendUTF8(units, to: &bytes)
            body(bytes)
        }
    }

    /// UTF-16 to UTF-8; an unpaired surrogate becomes U+FFFD, as Java's encoder does.
    static func appendUTF8(_ units: [UInt16], to bytes: inout [UInt8]) {
        var i = 0
        let n = units.count
        while i < n {
            let u = units[i]
            if u < 0x80 {
                bytes.append(UInt8(u))
                i += 1
                continue
            }
            var v = UInt32(u)
            if u >= 0xD800 && u < 0xDC00, i + 1 < n, units[i + 1] >= 0xDC00, units[i + 1] < 0xE000 {
                v = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00)
                i += 2
            } else {
                if u >= 0xD800 && u < 0xE000 { v = 0xFFFD }
                i += 1
            }
            if v < 0x800 {
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            }
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
