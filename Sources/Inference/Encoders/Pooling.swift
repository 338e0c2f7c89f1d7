import Foundation
import Formats

/// How token vectors become one text vector (sentence-transformers' Pooling module).
public enum Pooling: String, Sendable {
    /// The average over the tokens of the text (padding excluded).
    case mean
    /// The first token, [CLS].
    case cls
    /// The per-dimension maximum over the tokens.
    case max

    /// Reads `1_Pooling/config.json`; exactly one supported mode must be on.
    init(json: [String: Any], path: String) throws {
        func on(_ key: String) -> Bool { (json[key] as? Bool) ?? ((json[key] as? NSNumber)?.boolValue ?? false) }
        if on("pooling_mode_mean_sqrt_len_tokens") || on("pooling_mode_weightedmean_tokens") || on("pooling_mode_lasttoken") {
            throw IndexerError(.model, "pooling mode not supported (only mean, cls or max)", path: path)
        }
        let modes: [Pooling] = [(on("pooling_mode_mean_tokens"), Pooling.mean), (on("pooling_mode_cls_token"), .cls),
                                (on("pooling_mode_max_tokens"), .max)].filter(\.0).map(\.1)
        guard modes.count == 1 else {
            throw IndexerError(.model, "exactly one pooling mode must be on (mean, cls or max), found \(modes.count)", path: path)
        }
        self = modes[0]
    }

    /// Pools `n` token rows of width `h` into `out`, then L2-normalises `out`.
    ///
    /// Mean is sum/n with the sum taken token by token in order, as sentence-transformers;
    /// normalisation divides by max(‖v‖, 1e-12), as torch's F.normalize.
    func poolAndNormalise(_ x: UnsafePointer<Float>, n: Int, h: Int, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .cls:
            out.update(from: x, count: h)
        case .mean, .max:
            out.update(from: x, count: h)
            for t in 1..<Swift.max(n, 1) {
                let row = x + t * h
                if self == .mean {
                    for j in 0..<h { out[j] += row[j] }
                } else {
                    for j in 0..<h { out[j] = Swift.max(out[j], row[j]) }
                }
            }
            if self == .mean {
                let count = Float(n)
                for j in 0..<h { out[j] /= count }
            }
        }
        var s = Vec(repeating: 0)
        var j = 0
        while j + 8 <= h { let v = loadVec(out + j); s += v * v; j += 8 }
        var sq = s.sum()
        while j < h { sq += out[j] * out[j]; j += 1 }
        let norm = Swift.max(sq.squareRoot(), 1e-12)
        for j in 0..<h { out[j] /= norm }
    }
}
