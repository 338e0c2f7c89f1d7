/// Vector loads and stores at float pointers, unaligned-safe.
typealias Vec = SIMD8<Float>

@inline(__always)
func loadVec(_ p: UnsafePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func loadVec(_ p: UnsafeMutablePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func storeVec(_ v: Vec, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self)
}

/// Applies a lane-wise vector function to `n` floats in place; the tail goes through the
/// same function in a zero-padded vector, so every element gets bit-identical arithmetic
/// wherever it sits.
@inline(__always)
func mapInPlace(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Vec) -> Vec) {
    var i = 0
    while i + 8 <= n {
        storeVec(f(loadVec(p + i)), p + i)
        i += 8
    }
    if i < n {
        var v = Vec(repeating: 0)
        for j in 0..<(n - i) { v[j] = p[i + j] }
        let r = f(v)
        for j in 0..<(n - i) { p[i + j] = r[j] }
    }
}
