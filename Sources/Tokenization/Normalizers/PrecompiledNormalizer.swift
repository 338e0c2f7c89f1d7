import Foundation

/// HF `Precompiled`: SentencePiece's normalisation charsmap (e.g. nmt_nfkc), as XLM-R and
/// T5 files carry it in base64.
///
/// The blob is a little-endian u32 byte count, that many bytes of a Darts-clone double-array
/// trie (u32 units) over UTF-8 keys, then NUL-terminated replacement strings the trie's values
/// point into. As HF's `spm_precompiled` does: each grapheme cluster under 6 bytes is looked
/// up whole, else each of its scalars; a lookup takes the trie's first (shortest) prefix match.
/// Graphemes come from Swift's `Character` (UAX #29, as the `unicode-segmentation` crate).
struct PrecompiledNormalizer: Normalizer {
    private let trie: [UInt32]
    private let normalized: [UInt8]
    /// The replacement of each ASCII scalar standing alone, or nil.
    private var asciiReplacements: [ArraySlice<UInt8>?] = []

    init(_ config: ComponentConfig) throws {
        let text = try config.string("precompiled_charsmap")
        guard let data = Data(base64Encoded: text), data.count >= 4 else {
            throw config.fail("precompiled_charsmap is not valid base64")
        }
        let bytes = [UInt8](data)
        let size = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard size % 4 == 0, size >= 4, 4 + size <= bytes.count else {
            throw config.fail("precompiled_charsmap's trie size \(size) does not fit its \(bytes.count) bytes")
        }
        trie = stride(from: 4, to: 4 + size, by: 4).map { i in
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        normalized = Array(bytes[(4 + size)...])
        asciiReplacements = (0..<128).map { transform([UInt8($0)]) }
    }

    /// The replacement of the first trie key that prefixes `key`, if any.
    private func transform<C: Collection>(_ key: C) -> ArraySlice<UInt8>? where C.Element == UInt8 {
        // Darts-clone unit: offset = (u >> 10) << ((u & 0x200) >> 6), label = u & 0x800000FF,
        // has_leaf = bit 8, value = u & 0x7FFFFFFF.
        func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & 0x200) >> 6)) }
        var pos = offset(trie[0])
        for c in key {
            if c == 0 { return nil }
            pos ^= Int(c)
            guard pos < trie.count else { return nil }
            let unit = trie[pos]
            if unit & 0x8000_00FF != UInt32(c) { return nil }
            pos ^= offset(unit)
            guard pos < trie.count else { return nil }
            if (unit >> 8) & 1 == 1 {
                let start = Int(trie[pos] & 0x7FFF_FFFF)
                guard start < normalized.count else { return nil }
                var end = start
                while end < normalized.count && normalized[end] != 0 { end += 1 }
                return normalized[start..<end]
            }
        }
        return nil
    }

    func normalize(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let n = bytes.count
        var i = 0
        while i < n {
            // Between two ASCII scalars there is always a grapheme boundary (but CR LF), so an
            // ASCII scalar followed by ASCII is a grapheme of its own: no segmentation needed.
            if bytes[i] < 0x80 && (i + 1 == n || bytes[i + 1] < 0x80) && !(bytes[i] == 13 && i + 1 < n && bytes[i + 1] == 10) {
                if let r = asciiReplacements[Int(bytes[i])] { out += r } else { out.append(bytes[i]) }
                i += 1
                continue
            }
            let end = PrecompiledNormalizer.regionEnd(bytes, from: i)
            normalizeGraphemes(String(decoding: bytes[i..<end], as: UTF8.self), into: &out)
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The end of the region from `i` that grapheme segmentation must see whole: non-ASCII
    /// runs with the ASCII scalars around them (a mark attaches to the scalar before it, a
    /// Prepend scalar to the one after), ending after an ASCII scalar that ASCII follows.
    private static func regionEnd(_ bytes: [UInt8], from i: Int) -> Int {
        let n = bytes.count
        var j = i
        if bytes[j] < 0x80 { j += 1 }
        while true {
            while j < n && bytes[j] >= 0x80 { j += 1 }
            if j >= n { return n }
            j += 1  // one ASCII scalar
            if j < n && bytes[j - 1] == 13 && bytes[j] == 10 { j += 1 }
            if j >= n || bytes[j] < 0x80 { return j }
        }
    }

    private func normalizeGraphemes(_ text: String, into out: inout [UInt8]) {
        for grapheme in text {
            let g = Array(grapheme.utf8)
            if g.count < 6, let r = transform(g) {
                out += r
                continue
            }
            for scalar in grapheme.unicodeScalars {
                let bytes = Array(String(scalar).utf8)
                if let r = transform(bytes) { out += r } else { out += bytes }
            }
        }
    }
}
