/// HF `Metaspace`: spaces become the replacement (`▁`), which is prepended per
/// `prepend_scheme`, and with `split` each `▁` starts a new piece (merged with the next).
struct MetaspacePreTokenizer: PreTokenizer {
    enum Scheme: String { case always, first, never }
    let replacement: Unicode.Scalar
    let scheme: Scheme
    let split: Bool

    init(_ config: ComponentConfig) throws {
        let r = try config.string("replacement")
        guard r.unicodeScalars.count == 1, let scalar = r.unicodeScalars.first else {
            throw config.fail("\"replacement\" must be one character")
        }
        replacement = scalar
        if let raw = config.optionalString("prepend_scheme") {
            guard let s = Scheme(rawValue: raw) else { throw config.fail("unknown prepend_scheme \"\(raw)\"") }
            scheme = s
        } else {
            // Files from before prepend_scheme have add_prefix_space.
            scheme = try config.bool("add_prefix_space", true) ? .always : .never
        }
        split = try config.bool("split", true)
    }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        var out: [Piece] = []
        for piece in pieces {
            var scalars = piece.text.unicodeScalars.map { $0 == " " ? replacement : $0 }
            let prepend = scheme == .always || (scheme == .first && piece.atStart)
            if prepend && scalars.first != replacement { scalars.insert(replacement, at: 0) }
            if split {
                let matches = scalars.indices.filter { scalars[$0] == replacement }.map { $0..<($0 + 1) }
                out += SplitBehavior.mergedWithNext.split(piece, scalars, matches: matches)
            } else {
                out.append(Piece(text: String(String.UnicodeScalarView(scalars)), atStart: piece.atStart))
            }
        }
        return out
    }
}
