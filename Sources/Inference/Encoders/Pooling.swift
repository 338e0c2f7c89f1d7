import Formats
import Foundation

/// How token vectors become one text vector (sentence-transformers' Pooling module).
public enum Pooling: String, Sendable, CaseIterable {
    /// The first token, [CLS].
    case cls
    /// The per-dimension maximum over the tokens.
    case max
    /// The average over the tokens of the text (padding excluded).
    case mean
    /// The sum over the tokens divided by the square root of their count.
    case meanSqrtLen = "mean_sqrt_len_tokens"
    /// The average weighted by position (1 for the first token, 2 for the second, …).
    case weightedMean = "weightedmean"
    /// The last token.
    case lastToken = "lasttoken"

    /// The legacy `pooling_mode_*` keys in the order sentence-transformers concatenates them.
    static let legacyKeys: [(String, Pooling)] = [
        ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max), ("pooling_mode_mean_tokens", .mean),
        ("pooling_mode_mean_sqrt_len_tokens", .meanSqrtLen), ("pooling_mode_weightedmean_tokens", .weightedMean),
        ("pooling_mode_lasttoken", .lastToken),
    ]

    /// Pools `n` token rows of width `h` into `out` (h floats), ignoring the first `skip`
    /// tokens (a prompt excluded from pooling), as sentence-transformers' padded path does for
    /// one unpadded text.
    ///
    /// Mean is sum/n with the sum taken token by token in order.
    func pool(_ x: UnsafePointer<Float>, n: Int, h: Int, skip: Int = 0, into out: UnsafeMutablePointer<Float>) {
        let first = Swift.min(skip, n)
        let count = n - first
        switch self {
        case .cls:
            // argmax of the mask: the first kept token, or token 0 when none is kept.
            out.update(from: x + (count > 0 ? first : 0) * h, count: h)
        case .lastToken:
            if count > 0 {
                out.update(from: x + (n - 1) * h, count: h)
            } else {
                out.update(repeating: 0, count: h)
            }
        case .max:
            guard count > 0 else { out.update(repeating: -.infinity, count: h); return }
            out.update(from: x + first * h, count: h)
            for t in (first + 1)..<Swift.max(n, first + 1) {
                let row = x + t * h
                for j in 0..<h { out[j] = Swift.max(out[j], row[j]) }
            }
        case .mean, .meanSqrtLen:
            guard count > 0 else { out.update(repeating: 0, count: h); return }
            out.update(from: x + first * h, count: h)
            for t in (first + 1)..<Swift.max(n, first + 1) {
                let row = x + t * h
                for j in 0..<h { out[j] += row[j] }
            }
            let d = self == .mean ? Float(count) : Float(count).squareRoot()
            for j in 0..<h { out[j] /= d }
        case .weightedMean:
            // Weights are positions counted from 1 at the text's first token; excluded prompt
            // tokens keep their place (weight 0), so the kept tokens keep their weights.
            out.update(repeating: 0, count: h)
            var total: Float = 0
            for t in first..<n {
                let w = Float(t + 1), row = x + t * h
                total += w
                for j in 0..<h { out[j] += row[j] * w }
            }
            let d = Swift.max(total, 1e-9)
            for j in 0..<h { out[j] /= d }
        }
    }

    /// Divides `v` (n floats) by max(‖v‖, 1e-12), as torch's F.normalize.
    static func normalise(_ out: UnsafeMutablePointer<Float>, count h: Int) {
        var s = Vec(repeating: 0)
        var j = 0
        while j + 8 <= h { let v = loadVec(out + j); s += v * v; j += 8 }
        var sq = s.sum()
        while j < h { sq += out[j] * out[j]; j += 1 }
        let norm = Swift.max(sq.squareRoot(), 1e-12)
        for j in 0..<h { out[j] /= norm }
    }
}

/// A Pooling module: one or more modes, concatenated in order, and whether a prompt's
/// tokens take part (`1_Pooling/config.json` in either sentence-transformers layout).
public struct PoolingConfig: Sendable, Equatable {
    /// The modes, in concatenation order.
    public var modes: [Pooling]
    /// False when the prompt's tokens are left out of the pooled vector.
    public var includePrompt: Bool = true
    /// The token width the config declares, if any.
    public var declaredWidth: Int?

    /// Mean pooling over every token (what sentence-transformers uses for a bare folder).
    public static let mean = PoolingConfig(modes: [.mean])

    /// Creates a configuration.
    public init(modes: [Pooling], includePrompt: Bool = true, declaredWidth: Int? = nil) {
        self.modes = modes
        self.includePrompt = includePrompt
        self.declaredWidth = declaredWidth
    }

    /// Reads a pooling config: `pooling_mode` (a name or a list) and `embedding_dimension`
    /// (sentence-transformers 6), or the `pooling_mode_*` booleans and
    /// `word_embedding_dimension` (earlier releases); no mode on means mean, as there.
    init(json: [String: Any], path: String) throws {
        func on(_ key: String) -> Bool { (json[key] as? NSNumber)?.boolValue ?? false }
        if let value = json["pooling_mode"] {
            let names: [String]
            if let s = value as? String {
                names = [s]
            } else if let list = value as? [String], !list.isEmpty {
                names = list
            } else {
                throw IndexerError(.model, "pooling_mode must be a mode name or a list of them", path: path)
            }
            modes = try names.map { name in
                guard let mode = Pooling(rawValue: name) else {
                    let known = Pooling.allCases.map(\.rawValue).joined(separator: ", ")
                    throw IndexerError(.model, "pooling_mode '\(name)' is not one of \(known)", path: path)
                }
                return mode
            }
        } else {
            let legacy = Pooling.legacyKeys.filter { on($0.0) }.map(\.1)
            modes = legacy.isEmpty ? [.mean] : legacy
        }
        includePrompt = (json["include_prompt"] as? NSNumber)?.boolValue ?? true
        declaredWidth = ((json["embedding_dimension"] ?? json["word_embedding_dimension"]) as? NSNumber)?.intValue
    }

    /// The legacy single-mode description kept in fingerprints (`mean`, `cls`, `max`), else
    /// the modes joined with `+` and the prompt rule.
    var fingerprintText: String {
        let base = modes.map(\.rawValue).joined(separator: "+")
        return includePrompt ? base : base + " exclude-prompt"
    }
}
