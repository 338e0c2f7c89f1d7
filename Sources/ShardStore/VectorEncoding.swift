import Formats

/// How embedding vectors are stored in a shard's vector blocks.
///
/// A block of `rows` vectors of dimension `dim` is laid out, before compression, as:
/// - `f32`: `rows * dim` IEEE binary32 values, little-endian, row-major.
/// - `f16`: `rows * dim` IEEE binary16 values (round to nearest even), little-endian, row-major.
/// - `int8`: `rows` binary32 scales, then `rows * dim` signed bytes, row-major. Symmetric
///   per-vector quantisation: `scale = max|x| / 127`, `code = round(x / scale)` (ties to even)
///   clamped to -127...127; a reader dequantises `x ≈ Float(code) * scale`, an error of at most
///   `scale / 2` per component. An all-zero vector has scale 0 and codes 0.
public enum VectorEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// 4 bytes a component, exact.
    case f32 = 1
    /// 2 bytes a component.
    case f16 = 2
    /// 1 byte a component plus a 4-byte scale a vector.
    case int8 = 3

    /// The name used on the command line and in manifests.
    public var description: String {
        switch self {
        case .f32: return "f32"
        case .f16: return "f16"
        case .int8: return "int8"
        }
    }

    /// The encoding named `name` (`f32`, `f16`, `int8`), or nil.
    public init?(name: String) {
        guard let e = VectorEncoding.allCases.first(where: { $0.description == name }) else { return nil }
        self = e
    }

    /// Bytes one encoded vector takes before compression.
    public func bytesPerVector(dimension: Int) -> Int {
        switch self {
        case .f32: return 4 * dimension
        case .f16: return 2 * dimension
        case .int8: return dimension + 4
        }
    }

    /// Encodes `rows` row-major vectors into the block layout described above.
    public func encode(_ vectors: UnsafeBufferPointer<Float>, rows: Int, dimension: Int) -> [UInt8] {
        precondition(vectors.count == rows * dimension, "vector buffer does not hold rows * dimension values")
        var out = [UInt8](repeating: 0, count: rows * bytesPerVector(dimension: dimension))
        out.withUnsafeMutableBytes { dst in
            switch self {
            case .f32:
                for i in 0..<vectors.count { dst.storeBytes(of: vectors[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
            case .f16:
                for i in 0..<vectors.count {
                    dst.storeBytes(of: Float16(vectors[i]).bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            case .int8:
                let codesStart = 4 * rows
                for r in 0..<rows {
                    let row = UnsafeBufferPointer(rebasing: vectors[(r * dimension)..<((r + 1) * dimension)])
                    let scale = VectorEncoding.int8Scale(row)
                    dst.storeBytes(of: scale.bitPattern.littleEndian, toByteOffset: 4 * r, as: UInt32.self)
                    for j in 0..<dimension {
                        let code = VectorEncoding.int8Code(row[j], scale: scale)
                        dst.storeBytes(of: code, toByteOffset: codesStart + r * dimension + j, as: Int8.self)
                    }
                }
            }
        }
        return out
    }

    /// The int8 scale of one vector: `max|x| / 127`.
    public static func int8Scale(_ row: UnsafeBufferPointer<Float>) -> Float {
        var m: Float = 0
        for x in row { m = max(m, abs(x)) }
        return m / 127
    }

    /// The int8 code of one component.
    @inline(__always)
    public static func int8Code(_ x: Float, scale: Float) -> Int8 {
        guard scale > 0 else { return 0 }
        let q = (x / scale).rounded(.toNearestOrEven)
        return Int8(max(-127, min(127, q)))
    }

    /// Decodes a raw block (the layout above) of `rows` vectors into `out` (`rows * dimension` floats).
    public func decode(
        _ raw: UnsafeRawBufferPointer, rows: Int, dimension: Int,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(raw.count == rows * bytesPerVector(dimension: dimension) && out.count >= rows * dimension)
        let n = rows * dimension
        switch self {
        case .f32:
            for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16:
            for i in 0..<n {
                out[i] = Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
            }
        case .int8:
            let codesStart = 4 * rows
            for r in 0..<rows {
                let scale = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * r, as: UInt32.self)))
                for j in 0..<dimension {
                    out[r * dimension + j] = Float(raw.load(fromByteOffset: codesStart + r * dimension + j, as: Int8.self)) * scale
                }
            }
        }
    }
}
