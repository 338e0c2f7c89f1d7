import Formats

/// Little-endian serialisation into a growing byte array (headers, directories, tables).
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func raw<C: Collection>(_ b: C) where C.Element == UInt8 { bytes.append(contentsOf: b) }
    /// A UTF-8 string prefixed by its byte length as a u32.
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// Bounds-checked little-endian reads from memory; running off the end is a corrupt-file error.
struct ByteSource {
    let base: UnsafeRawBufferPointer
    var position: Int
    let path: String
    let what: String

    init(_ base: UnsafeRawBufferPointer, at position: Int = 0, path: String, what: String) {
        self.base = base
        self.position = position
        self.path = path
        self.what = what
    }

    private mutating func take(_ n: Int) throws -> Int {
        guard n >= 0, position >= 0, position <= base.count - n else {
            throw IndexerError(.corrupt, "\(what) runs past the end of its data (truncated or corrupt shard)", path: path)
        }
        defer { position += n }
        return position
    }

    mutating func u8() throws -> UInt8 { base.load(fromByteOffset: try take(1), as: UInt8.self) }
    mutating func u16() throws -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: try take(2), as: UInt16.self)) }
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self)) }
    mutating func i32() throws -> Int32 { Int32(bitPattern: try u32()) }
    mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
        let at = try take(n)
        return UnsafeRawBufferPointer(rebasing: base[at..<(at + n)])
    }
    mutating func string() throws -> String {
        let n = Int(try u32())
        let b = try bytes(n)
        guard let s = String(validating: b, as: UTF8.self) else {
            throw IndexerError(.corrupt, "\(what) holds invalid UTF-8", path: path)
        }
        return s
    }
}
