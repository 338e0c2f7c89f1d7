// Lucene's lossy one-byte document length (norm) encoding.

/// Lucene's `SmallFloat.intToByte4` / `byte4ToInt`: a document length in one byte, exact up to
/// 23 and then with 4 significant bits. Lucene's BM25 (and so Anserini's figures) scores with the
/// decoded length, not the true one, so we do the same.
public enum LuceneSmallFloat {
    /// Lengths below this are stored as themselves (255 - longToInt4(Int32.max) = 24).
    static let freeValues = 255 - longToInt4(Int64(Int32.max))

    static func longToInt4(_ i: Int64) -> Int {
        let bits = 64 - i.leadingZeroBitCount
        if bits < 4 { return Int(i) }  // subnormal
        let shift = bits - 4
        var encoded = Int(i >> Int64(shift)) & 0x07  // the implicit leading bit dropped
        encoded |= (shift + 1) << 3
        return encoded
    }

    static func int4ToLong(_ i: Int) -> Int64 {
        let bits = Int64(i & 0x07)
        let shift = (i >> 3) - 1
        return shift == -1 ? bits : (bits | 0x08) << Int64(shift)
    }

    /// Encodes a non-negative length (negative values encode as 0).
    public static func intToByte4(_ i: Int) -> UInt8 {
        let v = max(0, min(i, Int(Int32.max)))
        if v < freeValues { return UInt8(v) }
        return UInt8(freeValues + longToInt4(Int64(v - freeValues)))
    }

    /// Decodes a norm byte to the length BM25 uses.
    public static func byte4ToInt(_ b: UInt8) -> Int {
        let i = Int(b)
        if i < freeValues { return i }
        return freeValues + Int(int4ToLong(i - freeValues))
    }

    /// `byte4ToInt` for all 256 bytes, as floats (Lucene's `BM25Similarity.LENGTH_TABLE`).
    public static let lengthTable: [Float] = (0..<256).map { Float(byte4ToInt(UInt8($0))) }
}
