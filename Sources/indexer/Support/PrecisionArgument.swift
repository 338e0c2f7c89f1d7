import Formats
import Inference

extension Arguments {
    /// `--precision fp32|bf16|int8` (default fp32); any other value is a usage error (exit 2).
    func precision(_ name: String = "--precision") throws -> Precision {
        guard let value = string(name) else { return .fp32 }
        guard let p = Precision(name: value) else {
            throw IndexerError(.usage, "\(name) must be fp32, bf16 or int8, not '\(value)'")
        }
        return p
    }
}
