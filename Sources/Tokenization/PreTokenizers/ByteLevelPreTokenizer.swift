/// HF `ByteLevel` pre-tokenizer: optional prefix space, GPT-2 split (`use_regex`), then every
/// UTF-8 byte mapped to the printable character GPT-2's `bytes_to_unicode` gives it.
struct ByteLevelPreTokenizer: PreTokenizer {
    let addPrefixSpace: Bool
    let useRegex: Bool

    init(_ config: ComponentConfig) throws {
        addPrefixSpace = try config.bool("add_prefix_space", true)
        useRegex = try config.bool("use_regex", true)
    }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        var out: [Piece] = []
        for var piece in pieces {
            if addPrefixSpace && !piece.text.hasPrefix(" ") { piece.text = " " + piece.text }
            let split: [Piece]
            if useRegex {
                let scalars = Array(piece.text.unicodeScalars)
                split = SplitBehavior.isolated.split(piece, scalars, matches: Gpt2Pattern.matches(scalars))
            } else {
                split = [piece]
            }
            for var p in split {
                p.text = ByteLevelAlphabet.map(p.text)
                out.append(p)
            }
        }
        return out
    }
}

/// GPT-2's `bytes_to_unicode`: printable Latin-1 bytes stand for themselves, the other 68
/// bytes for U+0100 onwards in byte order.
enum ByteLevelAlphabet {
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    static func map(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for b in text.utf8 { view.append(scalars[Int(b)]) }
        return String(view)
    }
}
