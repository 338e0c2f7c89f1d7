import Formats
import Foundation

/// HF's added vocabulary: tokens cut out of the text before the model sees it.
///
/// HF matches with Aho-Corasick, leftmost-longest; here every position is tried with the
/// tokens longest first, which finds the same matches (there are few added tokens). Tokens with
/// `normalized: false` are matched on the raw text; those with `normalized: true` on each
/// normalised piece, against their own normalised content (as HF builds its second trie).
struct AddedTokens: Sendable {
    struct Token: Sendable {
        var bytes: [UInt8]
        var id: Int32
        var singleWord: Bool
        var lstrip: Bool
        var rstrip: Bool
    }

    /// A run of text or a matched token.
    enum Segment {
        case text(Piece)
        case token(Int32)
    }

    /// Longest first, so the first match at a position is the longest.
    let tokens: [Token]
    /// Whether some token starts with this byte: most positions are rejected by one load.
    private let firstBytes: [Bool]

    init(_ tokens: [Token]) {
        self.tokens = tokens.filter { !$0.bytes.isEmpty }.sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for t in self.tokens { first[Int(t.bytes[0])] = true }
        firstBytes = first
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// Splits `piece` around the added tokens it contains (HF `split_with_indices` after
    /// `find_matches`): lstrip/rstrip take the whitespace beside a token into it, single_word
    /// keeps only matches not inside a word. Empty text segments are dropped.
    func split(_ piece: Piece) -> [Segment] {
        if tokens.isEmpty { return [.text(piece)] }
        let bytes = Array(piece.text.utf8)
        var segments: [Segment] = []
        var textStart = 0  // HF's start_offset: where the next text segment begins
        var i = 0
        while i < bytes.count {
            guard firstBytes[Int(bytes[i])], let token = match(bytes, at: i) else { i += 1; continue }
            var start = i
            var stop = i + token.bytes.count
            if token.singleWord && (endsWithWord(bytes, start) || startsWithWord(bytes, stop)) {
                i = stop  // Aho-Corasick's matches do not overlap: a discarded one still used its span
                continue
            }
            if token.lstrip {
                while start > textStart, let (scalar, length) = scalarBefore(bytes, start),
                    scalar.properties.isWhitespace
                { start -= length }
            }
            if token.rstrip {
                while stop < bytes.count, let (scalar, length) = scalarAt(bytes, stop),
                    scalar.properties.isWhitespace
                { stop += length }
            }
            if start > textStart {
                segments.append(.text(Piece(text: string(bytes[textStart..<start]), atStart: piece.atStart && textStart == 0)))
            }
            segments.append(.token(token.id))
            textStart = stop
            i = stop
        }
        if textStart < bytes.count {
            segments.append(.text(Piece(text: string(bytes[textStart...]), atStart: piece.atStart && textStart == 0)))
        }
        return segments
    }

    private func match(_ bytes: [UInt8], at i: Int) -> Token? {
        let available = bytes.count - i
        for token in tokens where token.bytes.count <= available && token.bytes[0] == bytes[i] {
            var k = 1
            while k < token.bytes.count && token.bytes[k] == bytes[i + k] { k += 1 }
            if k == token.bytes.count { return token }
        }
        return nil
    }

    private func string(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }

    /// HF `ends_with_word`: the scalar before `end` is alphanumeric.
    private func endsWithWord(_ bytes: [UInt8], _ end: Int) -> Bool {
        guard let (s, _) = scalarBefore(bytes, end) else { return false }
        return AddedTokens.isAlphanumeric(s)
    }

    private func startsWithWord(_ bytes: [UInt8], _ start: Int) -> Bool {
        guard let (s, _) = scalarAt(bytes, start) else { return false }
        return AddedTokens.isAlphanumeric(s)
    }

    /// Rust's `char::is_alphanumeric`: Alphabetic or Numeric (Nd, Nl, No).
    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isAlphabetic { return true }
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    private func scalarAt(_ bytes: [UInt8], _ i: Int) -> (Unicode.Scalar, Int)? {
        guard i < bytes.count else { return nil }
        var end = i + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[i..<end], as: UTF8.self).unicodeScalars.first.map { ($0, end - i) }
    }

    private func scalarBefore(_ bytes: [UInt8], _ i: Int) -> (Unicode.Scalar, Int)? {
        guard i > 0 else { return nil }
        var start = i - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self).unicodeScalars.first.map { ($0, i - start) }
    }
}
