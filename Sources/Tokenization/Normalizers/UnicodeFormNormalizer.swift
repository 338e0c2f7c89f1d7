import Foundation

/// HF `NFC`, `NFD`, `NFKC`, `NFKD`, through Foundation's normalisation.
///
/// HF's `unicode-normalization-alignments` crate has an older Unicode than Foundation; the two
/// agree on every golden text (the ModernBERT-style golden tokenizer has NFC), and differ only
/// for scalars whose decomposition was added since.
struct UnicodeFormNormalizer: Normalizer {
    enum Form { case nfc, nfd, nfkc, nfkd }
    let form: Form

    init(_ form: Form) { self.form = form }

    func normalize(_ text: String) -> String {
        switch form {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        }
    }
}
