import CInferenceKernels

/// The arithmetic of an encoder's weight products (`Linear`); softmax, layer norm, GELU and
/// attention stay fp32 whatever it is.
public enum Precision: String, Sendable, CaseIterable {
    /// fp32 weights and activations, OpenBLAS sgemm (the default).
    case fp32
    /// bf16 weights and activations, fp32 sums (AVX512-BF16; else bf16-rounded weights in sgemm).
    case bf16
    /// int8 weights per output channel, int8 activations per token, exact int32 sums.
    case int8

    /// Parses a `--precision` value or job key; nil when it is not one of fp32, bf16, int8.
    public init?(name: String) { self.init(rawValue: name) }

    /// The instruction-set path this precision takes on this CPU, e.g. "int8 avx512-vnni".
    public var kernelPath: String {
        switch self {
        case .fp32: return "fp32 openblas-sgemm " + BLASCore.loaded
        case .bf16: return "bf16 " + String(cString: ik_bf16_isa())
        case .int8: return "int8 " + String(cString: ik_int8_isa())
        }
    }

    /// The line a model fingerprint gains for this precision ("" for fp32, so fp32
    /// fingerprints are those of earlier releases).
    var fingerprintSetting: String { self == .fp32 ? "" : "precision \(rawValue)\n" }
}

/// Forces the kernels' instruction-set path ("avx512", "avx2", "portable"; nil = detect);
/// weights prepared afterwards use it. For tests and benches.
public func forceKernelISA(_ name: String?) {
    if let name { ik_force_isa(name) } else { ik_force_isa(nil) }
}

/// Packed reduced-precision weights owned by one `Linear` (freed with it).
final class PackedWeights: @unchecked Sendable {
    enum Storage {
        case int8(OpaquePointer)
        case bf16(OpaquePointer)
    }
    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    deinit {
        switch storage {
        case .int8(let p): ik_int8_free(p)
        case .bf16(let p): ik_bf16_free(p)
        }
    }
}
