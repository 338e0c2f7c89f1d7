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
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for grapheme in text {
            let g = grapheme.utf8
            if g.count < 6, let r = transform(g) {
                out += r
                continue
            }
            for scalar in grapheme.unicodeScalars {
                let bytes = Array(String(scalar).utf8)
                if let r = transform(bytes) { out += r } else { out += bytes }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
