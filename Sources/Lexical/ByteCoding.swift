// Little-endian varint writing and bounds-checked reading for the lexical index blocks.
import Formats

/// Appends LEB128 varints and raw bytes to a growing buffer.
struct ByteWriter {
    var bytes: [UInt8] = []

    @inline(__always) mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always) mutating func varint(_ value: Int) { varint(UInt64(value)) }

    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    mutating func raw<C: Collection>(_ data: C) where C.Element == UInt8 { bytes.append(contentsOf: data) }

    /// A 4-byte magic plus a format version byte.
    mutating func header(_ magic: StaticString, version: UInt8) {
        let p = magic.utf8Start
        for i in 0..<magic.utf8CodeUnitCount { bytes.append(p[i]) }
        bytes.append(version)
    }
}

/// Reads what `ByteWriter` wrote, throwing `IndexerError.corrupt` on truncation or bad values.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var atEnd: Bool { position >= bytes.count }

    func corrupt(_ message: String) -> IndexerError {
        IndexerError(.corrupt, "\(what): \(message) at byte \(position)")
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw corrupt("truncated varint") }
            let b = bytes[position]
            position += 1
            if shift == 63 && b > 1 { throw corrupt("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw corrupt("varint too long") }
        }
    }

    /// A varint that must fit `limit` (an Int count, length or id).
    mutating func int(max limit: Int = Int(Int32.max)) throws -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw corrupt("value \(v) exceeds \(limit)") }
        return Int(v)
    }

    mutating func raw(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else { throw corrupt("truncated: need \(count) bytes") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func header(_ magic: StaticString, version: UInt8) throws {
        let found = try raw(magic.utf8CodeUnitCount + 1)
        let p = magic.utf8Start
        for i in 0..<magic.utf8CodeUnitCount where found[found.startIndex + i] != p[i] {
            throw corrupt("bad magic, expected \(magic)")
        }
        let v = found[found.endIndex - 1]
        guard v == version else { throw corrupt("unsupported version \(v), expected \(version)") }
    }

    func expectEnd() throws {
        guard atEnd else { throw corrupt("\(bytes.count - position) trailing bytes") }
    }
}
