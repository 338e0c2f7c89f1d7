/// HF `Digits`: numbers (Rust `char::is_numeric`: Nd, Nl, No) split off, one piece per digit
/// with `individual_digits`, else per run.
struct DigitsPreTokenizer: PreTokenizer {
    let individual: Bool

    init(_ config: ComponentConfig) throws { individual = try config.bool("individual_digits", false) }

    func preTokenize(_ pieces: [Piece]) -> [Piece] {
        (individual ? SplitBehavior.isolated : .contiguous).split(
            pieces,
            where: { s in
                switch s.properties.generalCategory {
                case .decimalNumber, .letterNumber, .otherNumber: return true
                default: return false
                }
            })
    }
}
