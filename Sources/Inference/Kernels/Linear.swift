import CBLAS
import CInferenceKernels

/// A dense layer y = x·Wᵀ + b with W stored as PyTorch does, `outFeatures × inFeatures`.
///
/// Built in fp32; `prepared(for:)` gives the same layer at another precision (weights packed
/// once at load). Every weight product of an encoder goes through `apply`.
struct Linear {
    let weight: FloatBuffer
    let bias: FloatBuffer
    let inFeatures: Int
    let outFeatures: Int
    /// The precision `apply` computes at.
    private(set) var precision: Precision = .fp32
    private var packed: PackedWeights?

    init(weight: FloatBuffer, bias: FloatBuffer, inFeatures: Int, outFeatures: Int) {
        self.weight = weight
        self.bias = bias
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// This layer at `precision`. int8 packs weights per output channel (activations are
    /// quantised per token at run time, outliers kept fp32); bf16 packs bf16 weights, or
    /// without AVX512-BF16 rounds the fp32 weights to bf16 for sgemm. Shapes the kernels
    /// cannot take (outputs not a multiple of 16) stay fp32.
    func prepared(for precision: Precision) -> Linear {
        var copy = self
        let n = Int32(outFeatures), k = Int32(inFeatures)
        switch precision {
        case .fp32:
            return self
        case .int8:
            guard let p = ik_int8_pack(weight.pointer, n, k) else { return self }
            copy.packed = PackedWeights(.int8(p))
        case .bf16:
            if let p = ik_bf16_pack(weight.pointer, n, k) {
                copy.packed = PackedWeights(.bf16(p))
            } else {
                let rounded = FloatBuffer(count: weight.count)
                rounded.pointer.update(from: weight.pointer, count: weight.count)
                ik_round_bf16(rounded.pointer, rounded.count)
                copy = Linear(weight: rounded, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures)
            }
        }
        copy.precision = precision
        return copy
    }

    /// y[rows × out] = x[rows × in]·Wᵀ, plus the bias when `addBias` (else the caller fuses
    /// the bias into its next pass). Single-threaded, one call per sequence: see EncoderArchitecture.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addBias: Bool) {
        guard rows > 0 else { return }
        switch packed?.storage {
        case .int8(let p):
            ik_int8_gemm(p, x, Int32(rows), y, addBias ? UnsafePointer(bias.pointer) : nil)
        case .bf16(let p):
            ik_bf16_gemm(p, x, Int32(rows), y, addBias ? UnsafePointer(bias.pointer) : nil)
        case nil:
            if addBias {
                for r in 0..<rows { (y + r * outFeatures).update(from: bias.pointer, count: outFeatures) }
            }
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                1, x, Int32(inFeatures), weight.pointer, Int32(inFeatures), addBias ? 1 : 0, y, Int32(outFeatures))
        }
    }
}
