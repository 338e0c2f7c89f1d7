import CBLAS

/// Multi-head self-attention over one sequence whose Q, K and V sit side by side in each
/// row of `qkv` (`n × 3h`, heads contiguous within each of the three), into `context` (`n × h`).
///
/// The two products per head are the only sgemm calls outside `Linear`. `addBias(head,
/// scores)` adds a position bias to the `n × n` scores before the softmax (MPNet); with
/// `window`, query i sees keys j with |i − j| ≤ window only (ModernBERT's local layers).
func selfAttention(
    qkv: UnsafeMutablePointer<Float>, n: Int, hidden h: Int, heads: Int,
    scores: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>,
    window: Int? = nil, addBias: ((Int, UnsafeMutablePointer<Float>) -> Void)? = nil
) {
    let d = h / heads
    let scale = 1 / Float(d).squareRoot()
    let ld = Int32(3 * h)
    for head in 0..<heads {
        let q = qkv + head * d, k = qkv + h + head * d, v = qkv + 2 * h + head * d
        // scores = (Q·Kᵀ)/√d (+ bias), softmax over the keys a query sees, context = P·V.
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(d),
            scale, q, ld, k, ld, 0, scores, Int32(n))
        addBias?(head, scores)
        if let window, window < n - 1 {
            for i in 0..<n {
                let row = scores + i * n
                let lo = max(0, i - window), hi = min(n - 1, i + window)
                softmaxRows(row + lo, rows: 1, n: hi - lo + 1, ld: n)
                for j in 0..<lo { row[j] = 0 }
                if hi + 1 < n { for j in (hi + 1)..<n { row[j] = 0 } }
            }
        } else {
            softmaxRows(scores, rows: n, n: n, ld: n)
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(n),
            1, scores, Int32(n), v, ld, 0, context + head * d, Int32(h))
    }
}
