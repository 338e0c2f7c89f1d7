import Formats
import TestSupport
import XCTest

@testable import ShardStore

final class CodecTests: XCTestCase {
    func testCRC32CCheckValue() {
        // The CRC-32C check value (RFC 3720 B.4 / the Rocksoft catalogue): "123456789" -> 0xE3069283.
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
        // RFC 3720 B.4: 32 bytes of zeros -> 0x8A9136AA, 32 bytes of 0xFF -> 0x62A8AB43.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
    }

    func testCRC32CStreamingEqualsOneShot() {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        var c = CRC32C()
        var i = 0
        for step in [1, 3, 7, 8, 9, 64, 1000, 13] + Array(repeating: 777, count: 10) where i < data.count {
            let j = min(data.count, i + step)
            c.update(data[i..<j])
            i = j
        }
        if i < data.count { c.update(data[i...]) }
        XCTAssertEqual(c.value, CRC32C.checksum(data))
    }

    func testCodecsRoundTrip() throws {
        var rng = SplitMix(seed: 1)
        let inputs: [[UInt8]] = [
            [],
            [42],
            Array("the quick brown fox jumps over the lazy dog ".utf8) + Array(repeating: 0x61, count: 10_000),
            (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) },
        ]
        for codec in BlockCodec.allCases {
            for input in inputs {
                let stored = try codec.compress(input, level: 3)
                let back = try stored.withUnsafeBytes { try codec.decompress($0, rawLength: input.count, path: "t") }
                XCTAssertEqual(back, input, "\(codec) \(input.count) bytes")
            }
            // A compressible input must shrink with a real codec.
            let text = try codec.compress(inputs[2], level: 3)
            if codec != .none { XCTAssertLessThan(text.count, inputs[2].count / 5) }
        }
    }

    func testCorruptBlockIsRefused() throws {
        let input = Array(repeating: Array("abcdefgh".utf8), count: 200).flatMap { $0 }
        for codec in [BlockCodec.zstd, .lz4] {
            var stored = try codec.compress(input, level: 3)
            stored[stored.count / 2] ^= 0xFF
            // Either it fails to decode or decodes to other bytes; a wrong length must throw.
            XCTAssertThrowsError(try stored.withUnsafeBytes { try codec.decompress($0, rawLength: input.count + 1, path: "t") })
        }
    }

    func testNames() {
        XCTAssertEqual(BlockCodec(name: "zstd"), .zstd)
        XCTAssertEqual(BlockCodec(name: "lz4"), .lz4)
        XCTAssertNil(BlockCodec(name: "gzip"))
        XCTAssertEqual(VectorEncoding(name: "int8"), .int8)
        XCTAssertNil(VectorEncoding(name: "f64"))
    }
}

final class VectorEncodingTests: XCTestCase {
    func testInt8HandExample() {
        // max|x| = 1 -> scale 1/127; 1 -> 127, -0.5 -> -63.5 -> -64 (ties to even), 0.25 -> 31.75 -> 32, 0 -> 0.
        let v: [Float] = [1, -0.5, 0.25, 0]
        let raw = v.withUnsafeBufferPointer { VectorEncoding.int8.encode($0, rows: 1, dimension: 4) }
        XCTAssertEqual(raw.count, 8)
        let scale = raw.withUnsafeBytes { Float(bitPattern: $0.loadUnaligned(as: UInt32.self)) }
        XCTAssertEqual(scale, Float(1) / 127)
        XCTAssertEqual(raw[4...].map { Int8(bitPattern: $0) }, [127, -64, 32, 0])
    }

    func testZeroVector() {
        let v = [Float](repeating: 0, count: 5)
        for enc in VectorEncoding.allCases {
            let raw = v.withUnsafeBufferPointer { enc.encode($0, rows: 1, dimension: 5) }
            var out = [Float](repeating: 9, count: 5)
            raw.withUnsafeBytes { r in out.withUnsafeMutableBufferPointer { enc.decode(r, rows: 1, dimension: 5, into: $0) } }
            XCTAssertEqual(out, v)
        }
    }

    func testRoundTripWithinEncodingError() {
        var rng = SplitMix(seed: 7)
        let rows = 50, dim = 33
        let v = (0..<(rows * dim)).map { _ in rng.float() * 2 - 1 }
        for enc in VectorEncoding.allCases {
            let raw = v.withUnsafeBufferPointer { enc.encode($0, rows: rows, dimension: dim) }
            XCTAssertEqual(raw.count, rows * enc.bytesPerVector(dimension: dim))
            var out = [Float](repeating: 0, count: rows * dim)
            raw.withUnsafeBytes { r in out.withUnsafeMutableBufferPointer { enc.decode(r, rows: rows, dimension: dim, into: $0) } }
            for r in 0..<rows {
                let row = v[(r * dim)..<((r + 1) * dim)]
                let maxabs = row.map { abs($0) }.max()!
                for j in 0..<dim {
                    let x = v[r * dim + j], y = out[r * dim + j]
                    switch enc {
                    case .f32: XCTAssertEqual(x, y)
                    case .f16: XCTAssertLessThanOrEqual(abs(x - y), abs(x) * 0x1p-11 + 0x1p-24)
                    case .int8: XCTAssertLessThanOrEqual(abs(x - y), maxabs / 127 / 2 * 1.0001)
                    }
                }
            }
        }
    }
}
