import Foundation

/// The per-character rules of HF `tokenizers`' `BertNormalizer` and `BertPreTokenizer`.
///
/// Why this file has version rules: the Rust implementation takes its character classes from
/// crates pinned to old Unicode versions, while Swift's scalar properties follow the current
/// standard. Measured against `tokenizers` 0.23 over every code point
/// (`scripts/reference/make_tokenizer_golden.py` writes the table `BertUnicodeTests` checks):
/// - general categories (control/format/private-use removal, `Mn` accent stripping, `P*`
///   punctuation) come from `unicode_categories`, which is Unicode 8.0: a scalar assigned later
///   counts as unassigned, and seven scalars have since changed category;
/// - NFD and canonical combining classes come from `unicode-normalization-alignments`, which is
///   Unicode 9.0: later scalars neither decompose nor reorder;
/// - whitespace and lowercasing come from Rust's `char`, which is current, like Swift's.
enum BertUnicode {
    /// The options of a `BertNormalizer`.
    struct Options: Equatable, Sendable {
        var cleanText = true
        var handleChineseChars = true
        var stripAccents = true
        var lowercase = true
    }

    /// What the pre-tokeniser does with a normalised scalar.
    enum Role: UInt32 {
        /// Part of a word.
        case word = 0
        /// Ends the current word and is dropped.
        case space = 1
        /// Ends the current word and is a word of its own.
        case punctuation = 2
        /// A stripped combining mark of class 0: invisible, but it ended NFD's reordering run.
        case barrier = 3
    }

    // A unit packs one normalised scalar: bits 0-20 the scalar, 21-22 its role, 24-31 its
    // canonical combining class (as NFD saw it). Packed so that the tables stay flat arrays.
    static func unit(_ scalar: UInt32, _ role: Role, ccc: UInt32 = 0) -> UInt32 {
        scalar | (role.rawValue << 21) | (ccc << 24)
    }
    @inline(__always) static func scalar(of unit: UInt32) -> UInt32 { unit & 0x1F_FFFF }
    @inline(__always) static func roleBits(of unit: UInt32) -> UInt32 { (unit >> 21) & 3 }
    @inline(__always) static func ccc(of unit: UInt32) -> UInt32 { unit >> 24 }

    static let spaceUnit = unit(0x20, .space)

    private static func assigned(_ s: Unicode.Scalar, by major: Int, _ minor: Int) -> Bool {
        guard let age = s.properties.age else { return false }
        return age.major < major || (age.major == major && age.minor <= minor)
    }

    /// The general category as Unicode 8.0 (the `unicode_categories` crate) has it.
    static func legacyCategory(_ s: Unicode.Scalar) -> Unicode.GeneralCategory {
        switch s.value {
        // Category changes since 8.0 among scalars 8.0 already had.
        case 0x166D, 0x111C9: return .otherPunctuation
        case 0x1734, 0x1171E: return .nonspacingMark
        case 0x1885, 0x1886: return .otherLetter
        case 0xA9BD: return .spacingMark
        default: break
        }
        return assigned(s, by: 8, 0) ? s.properties.generalCategory : .unassigned
    }

    /// The canonical combining class as Unicode 9.0 (the normalisation crate) has it.
    static func legacyCombiningClass(_ s: Unicode.Scalar) -> UInt32 {
        assigned(s, by: 9, 0) ? UInt32(s.properties.canonicalCombiningClass.rawValue) : 0
    }

    /// Rust's `char::is_whitespace` (White_Space) plus tab, newline and carriage return.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.value == 9 || s.value == 10 || s.value == 13 || s.properties.isWhitespace
    }

    /// Control for `clean_text`: categories Cc, Cf, Co, Cs, except tab, newline, return.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s.value == 9 || s.value == 10 || s.value == 13 { return false }
        switch legacyCategory(s) {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// BERT punctuation: every ASCII non-alphanumeric symbol (`$`, `+`, `^`, ... too) and P*.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        switch legacyCategory(s) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK blocks BERT isolates (not Hangul, Hiragana or Katakana).
    static func isChineseChar(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The canonical decomposition of one scalar, as Unicode 9.0 NFD has it.
    static func decomposition(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        if s.value < 0xC0 || !assigned(s, by: 9, 0) { return [s] }
        return Array(String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    private static func role(of s: Unicode.Scalar) -> Role {
        if isWhitespace(s) { return .space }
        if isPunctuation(s) { return .punctuation }
        return .word
    }

    /// The units one input scalar normalises to, in order (before NFD's reordering, which
    /// spans scalars and is done while words are assembled).
    static func units(for s: Unicode.Scalar, options: Options) -> [UInt32] {
        let v = s.value
        if options.cleanText {
            if v == 0 || v == 0xFFFD || isControl(s) { return [] }
            if isWhitespace(s) { return [spaceUnit] }
        }
        let chinese = options.handleChineseChars && isChineseChar(v)
        var result: [UInt32] = chinese ? [spaceUnit] : []
        let parts = options.stripAccents ? decomposition(s) : [s]
        for part in parts {
            let ccc = legacyCombiningClass(part)
            if options.stripAccents && legacyCategory(part) == .nonspacingMark {
                if ccc == 0 { result.append(unit(0, .barrier)) }
                continue
            }
            if options.lowercase {
                for lower in part.properties.lowercaseMapping.unicodeScalars {
                    result.append(unit(lower.value, role(of: lower), ccc: ccc))
                }
            } else {
                result.append(unit(part.value, role(of: part), ccc: ccc))
            }
        }
        if chinese { result.append(spaceUnit) }
        return result
    }

    /// Precomputed units for the Basic Multilingual Plane: scalar `v` maps to
    /// `units[start[v] ..< start[v + 1]]`. Scalars above U+FFFF use ``units(for:options:)``.
    struct PlaneTable: Sendable {
        let start: [UInt32]
        let units: [UInt32]

        init(options: Options) {
            var start = [UInt32]()
            start.reserveCapacity(0x10001)
            var units = [UInt32]()
            units.reserveCapacity(0x11000)
            for v in UInt32(0)..<0x10000 {
                start.append(UInt32(units.count))
                // Surrogate code points are not scalars and cannot occur in a String.
                if let s = Unicode.Scalar(v) { units.append(contentsOf: BertUnicode.units(for: s, options: options)) }
            }
            start.append(UInt32(units.count))
            self.start = start
            self.units = units
        }
    }
}
