import CBLAS

/// A dense layer y = x·Wᵀ + b with W stored as PyTorch does, `outFeatures × inFeatures`.
struct Linear {
    let weight: FloatBuffer
    let bias: FloatBuffer
    let inFeatures: Int
    let outFeatures: Int

    /// y[rows × out] = x[rows × in]·Wᵀ, plus the bias when `addBias` (else the caller fuses
    /// the bias into its next pass). Single-threaded OpenBLAS sgemm: see BertEncoder for why.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addBias: Bool) {
        guard rows > 0 else { return }
        if addBias {
            for r in 0..<rows { (y + r * outFeatures).update(from: bias.pointer, count: outFeatures) }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                    1, x, Int32(inFeatures), weight.pointer, Int32(inFeatures), addBias ? 1 : 0, y, Int32(outFeatures))
    }
}
