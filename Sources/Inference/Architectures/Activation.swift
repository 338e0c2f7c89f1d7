import Foundation

/// The activations of a feed-forward layer, named as transformers' `ACT2FN` names them.
enum Activation: String, Sendable {
    /// Exact GELU, x·½·(1 + erf(x/√2)) (`gelu`).
    case gelu
    /// GELU's tanh approximation (`gelu_new`, `gelu_pytorch_tanh`).
    case geluTanh
    /// max(0, x).
    case relu
    /// x·σ(x) (`silu`, `swish`).
    case silu

    /// The names accepted, for error messages.
    static let supportedNames = "gelu, gelu_new, gelu_pytorch_tanh, relu, silu, swish"

    /// The activation `config[key]` names (default `gelu`), or an error naming config.json and the key.
    init(config: ModelConfig, key: String) throws {
        let name = try config.string(key, default: "gelu")
        switch name {
        case "gelu": self = .gelu
        case "gelu_new", "gelu_pytorch_tanh": self = .geluTanh
        case "relu": self = .relu
        case "silu", "swish": self = .silu
        default:
            throw config.error("\(key) '\(name)' is not supported (supported: \(Activation.supportedNames))")
        }
    }

    /// x ← act(x + bias) over `rows × n` (bias of length `n`, or none), in place.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>?) {
        if self == .gelu, let bias {
            biasGelu(x, rows: rows, n: n, bias: bias)
            return
        }
        for r in 0..<rows {
            let row = x + r * n
            if let bias { for j in 0..<n { row[j] += bias[j] } }
            switch self {
            case .gelu: mapInPlace(row, n, vectorGelu)
            case .geluTanh:
                // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as torch's tanh GELU.
                for j in 0..<n {
                    let v = row[j]
                    row[j] = 0.5 * v * (1 + tanhf(0.7978845608028654 * (v + 0.044715 * v * v * v)))
                }
            case .relu: for j in 0..<n { row[j] = max(row[j], 0) }
            case .silu: for j in 0..<n { row[j] = row[j] / (1 + expf(-row[j])) }
            }
        }
    }
}
