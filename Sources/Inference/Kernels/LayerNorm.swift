/// Layer normalisation over the last dimension with a learned scale and shift.
struct LayerNorm {
    let gamma: FloatBuffer
    let beta: FloatBuffer
    let eps: Float
    var size: Int { gamma.count }

    /// x[r] = LN(x[r] + y[r] + bias) for each of `rows` rows: the residual add of a BERT
    /// sub-layer fused with its output bias and the normalisation. `y` and `bias` may be nil.
    ///
    /// Mean and variance are two passes over the row in float, accumulated in eight lanes
    /// in a fixed order, so a row's result depends on the row only.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, adding y: UnsafePointer<Float>?, bias: UnsafePointer<Float>?) {
        let n = size
        let g = UnsafePointer(gamma.pointer), b = UnsafePointer(beta.pointer)
        let invN = 1 / Float(n)
        for r in 0..<rows {
            let row = x + r * n
            if let y {
                let yr = y + r * n
                if let bias {
                    addInto(row, yr, bias, n)
                } else {
                    var i = 0
                    while i + 8 <= n { storeVec(loadVec(row + i) + loadVec(yr + i), row + i); i += 8 }
                    while i < n { row[i] += yr[i]; i += 1 }
                }
            }
            var s = Vec(repeating: 0)
            var i = 0
            while i + 8 <= n { s += loadVec(row + i); i += 8 }
            var sum = s.sum()
            while i < n { sum += row[i]; i += 1 }
            let mean = sum * invN
            let mv = Vec(repeating: mean)
            var q = Vec(repeating: 0)
            i = 0
            while i + 8 <= n { let d = loadVec(row + i) - mv; q += d * d; i += 8 }
            var sq = q.sum()
            while i < n { let d = row[i] - mean; sq += d * d; i += 1 }
            let inv = 1 / (sq * invN + eps).squareRoot()
            let iv = Vec(repeating: inv)
            i = 0
            while i + 8 <= n {
                storeVec(((loadVec(row + i) - mv) * iv) * loadVec(g + i) + loadVec(b + i), row + i)
                i += 8
            }
            while i < n { row[i] = ((row[i] - mean) * inv) * g[i] + b[i]; i += 1 }
        }
    }

    @inline(__always)
    private func addInto(_ row: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int) {
        // (sub-layer output + bias) + residual, the order torch's Linear then add uses.
        var i = 0
        while i + 8 <= n { storeVec((loadVec(y + i) + loadVec(bias + i)) + loadVec(row + i), row + i); i += 8 }
        while i < n { row[i] = (y[i] + bias[i]) + row[i]; i += 1 }
    }
}
