/// HF `Lowercase`: each scalar's full lowercase mapping (Rust `char::to_lowercase`, no context,
/// so a final sigma stays σ).
struct LowercaseNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for s in text.unicodeScalars { view.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars) }
        return String(view)
    }
}
