/// HF `StripAccents`: combining marks (M*) removed; it is meant to follow NFD/NFKD. Swift's
/// current categories are used (HF's crate is older; no golden text has a mark assigned since).
struct StripAccentsNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: view.append(s)
            }
        }
        return String(view)
    }
}
