import Formats
import Foundation

/// A sentence-transformers Dense module: y = activation(W·x + b) (+ x or R·x with
/// `use_residual`), read from its folder's `config.json` and `model.safetensors`
/// (`linear.weight`, `linear.bias`, `residual.weight`).
public struct DenseLayer: Sendable {
    /// The activations sentence-transformers saves by their torch class name.
    public enum Activation: String, Sendable {
        case identity = "torch.nn.modules.linear.Identity"
        case tanh = "torch.nn.modules.activation.Tanh"
        case relu = "torch.nn.modules.activation.ReLU"
        case sigmoid = "torch.nn.modules.activation.Sigmoid"
        case gelu = "torch.nn.modules.activation.GELU"

        func apply(_ v: Float) -> Float {
            switch self {
            case .identity: return v
            case .tanh: return tanhf(v)
            case .relu: return Swift.max(v, 0)
            case .sigmoid: return 1 / (1 + expf(-v))
            case .gelu: return Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot())))
            }
        }
    }

    /// Input width.
    public let inFeatures: Int
    /// Output width.
    public let outFeatures: Int
    /// The activation after the linear map.
    public let activation: Activation
    /// The files read, relative to the module folder.
    public let files: [String]
    /// The module folder, relative to the model folder.
    public internal(set) var path = ""
    let weight: [Float]
    let bias: [Float]?
    let residual: [Float]?
    let useResidual: Bool

    /// Reads the module in `folder`.
    init(folder: String) throws {
        let configPath = folder + "/config.json"
        guard let data = FileManager.default.contents(atPath: configPath),
            let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else {
            throw IndexerError(.model, "the Dense module has no readable config.json", path: configPath)
        }
        guard let i = (config["in_features"] as? NSNumber)?.intValue, let o = (config["out_features"] as? NSNumber)?.intValue,
            i >= 1, o >= 1
        else {
            throw IndexerError(.model, "in_features and out_features must be positive whole numbers", path: configPath)
        }
        inFeatures = i
        outFeatures = o
        // sentence-transformers' default activation is Tanh.
        let name = (config["activation_function"] as? String) ?? Activation.tanh.rawValue
        guard let a = Activation(rawValue: name) else {
            throw IndexerError(.model, "activation_function '\(name)' is not supported (Identity, Tanh, ReLU, Sigmoid, GELU)", path: configPath)
        }
        activation = a
        let hasBias = (config["bias"] as? NSNumber)?.boolValue ?? true
        useResidual = (config["use_residual"] as? NSNumber)?.boolValue ?? false
        let weights = try SafeTensorsWeights.requireSafeTensors(folder: folder)
        let file = try SafeTensorsFile(path: weights)
        weight = try file.floats("linear.weight", shape: [o, i])
        bias = hasBias ? try file.floats("linear.bias", shape: [o]) : nil
        residual = useResidual && i != o ? try file.floats("residual.weight", shape: [o, i]) : nil
        files = ["config.json", "model.safetensors"]
    }

    /// Maps `x` (inFeatures floats) to `out` (outFeatures floats); each output is one dot
    /// product summed in index order.
    func apply(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        weight.withUnsafeBufferPointer { w in
            for r in 0..<outFeatures {
                var s: Float = 0
                let row = w.baseAddress! + r * inFeatures
                for c in 0..<inFeatures { s += row[c] * x[c] }
                if let bias { s += bias[r] }
                var y = activation.apply(s)
                if useResidual {
                    if let residual {
                        var t: Float = 0
                        for c in 0..<inFeatures { t += residual[r * inFeatures + c] * x[c] }
                        y += t
                    } else {
                        y += x[r]
                    }
                }
                out[r] = y
            }
        }
    }
}

/// Where a module's weights are, refusing PyTorch pickles (they are never unpickled here).
enum SafeTensorsWeights {
    /// The command that converts a folder's `pytorch_model.bin` to `model.safetensors`.
    static let convertCommand = "scripts/convert-to-safetensors"

    /// The weights of `folder`: `model.safetensors`, else the shards of
    /// `model.safetensors.index.json` (merged), else an error.
    static func open(folder: String) throws -> SafeTensorsFile {
        if !FileManager.default.fileExists(atPath: folder + "/model.safetensors"),
            FileManager.default.fileExists(atPath: folder + "/" + ShardedSafeTensors.indexName)
        {
            return try ShardedSafeTensors.open(folder: folder)
        }
        return try SafeTensorsFile(path: try requireSafeTensors(folder: folder))
    }

    /// `folder/model.safetensors`, or an error naming the conversion command when only
    /// `pytorch_model.bin` is there.
    static func requireSafeTensors(folder: String) throws -> String {
        let path = folder + "/model.safetensors"
        if FileManager.default.fileExists(atPath: path) { return path }
        if FileManager.default.fileExists(atPath: folder + "/pytorch_model.bin") {
            throw IndexerError(
                .model, "only pytorch_model.bin here: PyTorch pickles are not read; convert the folder with `\(convertCommand) \(folder)`",
                path: folder)
        }
        throw IndexerError(.model, "model folder has no model.safetensors (only safetensors weights are read)", path: folder)
    }
}
