import CInferenceKernels

/// e^x on 8 lanes, within 2 ulp of `expf` on [-87.3, 88.7]; 0 below, +inf above.
///
/// Cephes' scheme: x = n·ln2 + r with |r| ≤ ½ln2 (ln2 split in two for an exact reduction),
/// a degree-6 polynomial for e^r, then 2^n put straight into the exponent bits. Rounding
/// to the nearest integer uses the 1.5·2^23 trick, which needs no SSE4.1 rounding mode.
@inline(__always)
func vectorExp(_ x0: Vec) -> Vec {
    // Explicit selects: the generic clamped/pointwiseMin are not inlined for SIMD8.
    var x = x0.replacing(with: -87.3, where: x0 .< -87.3)
    x.replace(with: 88.7, where: x .> 88.7)
    let magic = Vec(repeating: 12582912.0)  // 1.5 × 2^23
    let shifted = x * 1.44269504 + magic
    let n = shifted - magic
    var r = x - n * 0.693359375
    r = r + n * 2.12194440e-4
    var p = Vec(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * (r * r) + r + 1
    // The integer n sits in the low mantissa bits of `shifted`.
    let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: Vec.self)
    var out = y * scale
    out.replace(with: Vec(repeating: 0), where: x0 .< -87.3)
    out.replace(with: Vec(repeating: .infinity), where: x0 .> 88.7)
    return out
}

/// Row-wise softmax of a `rows × n` matrix with leading dimension `ld`, in place.
///
/// Max, exponentials and sum run in a fixed order for a given `n`, so a row's result does
/// not depend on anything but the row.
func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, ld: Int) {
    if ElementwiseKernels.avx512 {
        ik_softmax_rows_avx512(x, Int32(rows), Int32(n), Int32(ld))
        return
    }
    softmaxRowsReference(x, rows: rows, n: n, ld: ld)
}

/// ``softmaxRows(_:rows:n:ld:)`` in Swift: the definition the AVX-512 kernel repeats bit for bit.
func softmaxRowsReference(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, ld: Int) {
    for r in 0..<rows {
        let row = x + r * ld
        var m = Vec(repeating: -.infinity)
        var i = 0
        while i + 8 <= n { let v = loadVec(row + i); m.replace(with: v, where: v .> m); i += 8 }
        var mx = m.max()
        while i < n { mx = Swift.max(mx, row[i]); i += 1 }
        let mv = Vec(repeating: mx)
        var acc = Vec(repeating: 0)
        i = 0
        while i + 8 <= n {
            let e = vectorExp(loadVec(row + i) - mv)
            storeVec(e, row + i)
            acc += e
            i += 8
        }
        if i < n {
            var v = Vec(repeating: -.infinity)
            for j in 0..<(n - i) { v[j] = row[i + j] - mx }
            let e = vectorExp(v)
            for j in 0..<(n - i) { row[i + j] = e[j] }
            acc += e  // padded lanes are exp(-inf) = 0
        }
        let inv = 1 / acc.sum()
        let iv = Vec(repeating: inv)
        i = 0
        while i + 8 <= n { storeVec(loadVec(row + i) * iv, row + i); i += 8 }
        while i < n { row[i] *= inv; i += 1 }
    }
}

/// `exp` on each float through the vector kernel (tests).
public func expVectorised(_ values: [Float]) -> [Float] {
    var out = values
    out.withUnsafeMutableBufferPointer { buf in
        if let base = buf.baseAddress { mapInPlace(base, buf.count, vectorExp) }
    }
    return out
}

/// Softmax of one vector (tests).
public func softmax(_ values: [Float]) -> [Float] {
    var out = values
    out.withUnsafeMutableBufferPointer { buf in
        if let base = buf.baseAddress { softmaxRows(base, rows: 1, n: buf.count, ld: buf.count) }
    }
    return out
}

/// Whether the elementwise kernels (GELU, softmax) take their AVX-512 C versions, decided once.
/// Those give bitwise the Swift results (same operations, same order), 16 lanes wide where
/// the Swift code has 8.
enum ElementwiseKernels {
    static let avx512 = ik_activations_avx512() != 0
}

/// Softmax of one vector through the Swift reference (tests compare the two paths).
public func softmaxReference(_ values: [Float]) -> [Float] {
    var out = values
    out.withUnsafeMutableBufferPointer { buf in
        if let base = buf.baseAddress { softmaxRowsReference(base, rows: 1, n: buf.count, ld: buf.count) }
    }
    return out
}
