import CInferenceKernels

/// The error function on 8 lanes, accurate to ≤ 2e-7 absolute over all floats.
///
/// Glibc's `erff` per element is too slow for the GELU of every FFN activation, so this is a
/// branch-free piecewise polynomial: |x| < 0.9 as x·P(x²) (degree 5), 0.9 ≤ |x| < 2.2 and
/// 2.2 ≤ |x| < 3.92 as 1 - erfc where erfc is a polynomial in |x| minus the interval centre
/// (degrees 9 and 8), and 1 beyond (erf(3.92) rounds to 1 in float). Coefficients are
/// least-squares fits on Chebyshev nodes, made and checked in float32 arithmetic by
/// scripts/reference/fit-erf.py; ErfTests checks the bound against Glibc's double `erf`.
/// Multiplies and adds are separate (no FMA contraction), so results are identical on
/// every x86-64 vector width.
@inline(__always)
func vectorErf(_ x: Vec) -> Vec {
    let a = x.replacing(with: -x, where: x .< 0)
    // Region 1: erf(a) = a·P(a²).
    let t = a * a
    var p1 = Vec(repeating: -0.000614411081)
    p1 = p1 * t + 0.00502329087
    p1 = p1 * t - 0.0267874021
    p1 = p1 * t + 0.11282409
    p1 = p1 * t - 0.376125544
    p1 = p1 * t + 1.12837911
    let r1 = a * p1
    // Region 2: erfc(a) as a polynomial in s = a - 1.55.
    let s2 = a - 1.54999995
    var p2 = Vec(repeating: -0.00140049437)
    p2 = p2 * s2 + 0.00178247388
    p2 = p2 * s2 + 0.00544011127
    p2 = p2 * s2 - 0.0175759159
    p2 = p2 * s2 + 0.009350284
    p2 = p2 * s2 + 0.0476205759
    p2 = p2 * s2 - 0.129509136
    p2 = p2 * s2 + 0.158268005
    p2 = p2 * s2 - 0.102108628
    p2 = p2 * s2 + 0.0283772703
    // Region 3: erfc(a) as a polynomial in s = a - 3.06.
    let s3 = a - 3.05999994
    var p3 = Vec(repeating: 0.000102054946)
    p3 = p3 * s3 - 0.000347145076
    p3 = p3 * s3 + 0.000603424909
    p3 = p3 * s3 - 0.000771194347
    p3 = p3 * s3 + 0.000772041734
    p3 = p3 * s3 - 0.000573271944
    p3 = p3 * s3 + 0.00029663794
    p3 = p3 * s3 - 9.67454762e-05
    p3 = p3 * s3 + 1.50753403e-05
    var r = Vec(repeating: 1) - p3
    r.replace(with: Vec(repeating: 1) - p2, where: a .< 2.2)
    r.replace(with: r1, where: a .< 0.9)
    r.replace(with: Vec(repeating: 1), where: .!(a .< 3.92))  // also NaN → 1, fixed below
    r.replace(with: x, where: x .!= x)
    return r.replacing(with: -r, where: x .< 0)
}

/// GELU with the exact erf, as BERT's `hidden_act: gelu`: x·½·(1 + erf(x/√2)).
@inline(__always)
func vectorGelu(_ x: Vec) -> Vec {
    let e = vectorErf(x * 0.707106781)
    return (x * 0.5) * (e + 1)
}

/// Adds `bias` (length `n`) to each of `rows` rows of `x` and applies GELU, in place.
func biasGelu(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>) {
    if ElementwiseKernels.avx512 {
        ik_bias_gelu_avx512(x, Int32(rows), Int32(n), bias)
        return
    }
    biasGeluReference(x, rows: rows, n: n, bias: bias)
}

/// ``biasGelu(_:rows:n:bias:)`` in Swift: the definition the AVX-512 kernel repeats bit for bit.
func biasGeluReference(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * n
        var i = 0
        while i + 8 <= n {
            storeVec(vectorGelu(loadVec(row + i) + loadVec(bias + i)), row + i)
            i += 8
        }
        if i < n {
            var v = Vec(repeating: 0)
            for j in 0..<(n - i) { v[j] = row[i + j] + bias[i + j] }
            let g = vectorGelu(v)
            for j in 0..<(n - i) { row[i + j] = g[j] }
        }
    }
}

/// `erf` on each float (tests and scalar callers), through the vector kernel.
public func erfVectorised(_ values: [Float]) -> [Float] {
    var out = values
    out.withUnsafeMutableBufferPointer { buf in
        if let base = buf.baseAddress { mapInPlace(base, buf.count, vectorErf) }
    }
    return out
}

/// GELU(x + bias) of one row through the AVX-512 kernel when it runs, else the Swift
/// reference (tests compare the two paths).
public func biasGeluRow(_ values: [Float], bias: [Float], reference: Bool) -> [Float] {
    precondition(values.count == bias.count)
    var out = values
    out.withUnsafeMutableBufferPointer { buf in
        bias.withUnsafeBufferPointer { b in
            guard let base = buf.baseAddress, let bb = b.baseAddress else { return }
            if reference {
                biasGeluReference(base, rows: 1, n: buf.count, bias: bb)
            } else {
                biasGelu(base, rows: 1, n: buf.count, bias: bb)
            }
        }
    }
    return out
}
