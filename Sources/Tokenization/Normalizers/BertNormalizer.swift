/// HF `BertNormalizer` as a pipeline stage (the fast path is ``BertTokenizer``): clean_text,
/// CJK ideographs spaced, accents stripped (NFD, drop Mn), lowercase; per-scalar rules and the
/// Unicode versions of HF's crates come from `BertUnicode`.
struct BertNormalizer: Normalizer {
    let options: BertUnicode.Options

    init(_ config: ComponentConfig) throws {
        var o = BertUnicode.Options()
        o.cleanText = try config.bool("clean_text", true)
        o.handleChineseChars = try config.bool("handle_chinese_chars", true)
        o.lowercase = try config.bool("lowercase", true)
        // strip_accents null means "as lowercase" (HF).
        o.stripAccents = try config.bool("strip_accents", o.lowercase)
        options = o
    }

    func normalize(_ text: String) -> String {
        var units: [UInt32] = []
        var runStart = 0
        for s in text.unicodeScalars {
            for u in BertUnicode.units(for: s, options: options) {
                if BertUnicode.roleBits(of: u) == BertUnicode.Role.barrier.rawValue {
                    runStart = units.count  // a stripped class-0 mark still ended NFD's reordering run
                    continue
                }
                let ccc = options.stripAccents ? BertUnicode.ccc(of: u) : 0
                if ccc == 0 {
                    units.append(u)
                    runStart = units.count
                    continue
                }
                // NFD's canonical ordering: a stable sort of non-starters by combining class.
                var pos = units.count
                while pos > runStart && BertUnicode.ccc(of: units[pos - 1]) > ccc { pos -= 1 }
                units.insert(u, at: pos)
            }
        }
        var view = String.UnicodeScalarView()
        for u in units { view.append(Unicode.Scalar(BertUnicode.scalar(of: u))!) }
        return String(view)
    }
}
