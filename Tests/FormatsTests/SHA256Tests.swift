import Formats
import TestSupport
import XCTest

final class SHA256Tests: XCTestCase {
    // Vectors from FIPS 180-4's examples (NIST CSRC "SHA256.pdf") and `sha256sum`.
    func testKnownDigests() {
        XCTAssertEqual(
            SHA256.hex(Array("".utf8)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hex(Array("abc".utf8)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testStreamingEqualsOneShot() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var h = SHA256()
        var i = 0
        for step in [1, 63, 64, 65, 1000, 7] + Array(repeating: 997, count: 20) where i < data.count {
            let j = min(data.count, i + step)
            h.update(data[i..<j])
            i = j
        }
        if i < data.count { h.update(data[i...]) }
        XCTAssertEqual(h.hexDigest(), SHA256.hex(data))
    }

    func testMillionA() {
        // FIPS 180-4 long-message vector: one million 'a'.
        XCTAssertEqual(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testFileDigestStreamsAcrossChunksAndMissingFileIsNil() throws {
        // Larger than the 1 MiB read chunk, and not a multiple of it.
        let bytes = (0..<(3 << 20) + 12_345).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        let folder = try temporaryFolder("sha256")
        let path = try folder.write(Data(bytes), to: "bytes.bin")
        XCTAssertEqual(try SHA256.hex(ofFileAt: path), SHA256.hex(bytes))
        XCTAssertThrowsError(try SHA256.hex(ofFileAt: path + ".absent")) { XCTAssertEqual(($0 as? IndexerError)?.kind, .badInput) }
        // A folder is a clear error, not a trap (it used to crash with SIGILL: R8).
        XCTAssertThrowsError(try SHA256.hex(ofFileAt: folder.path)) {
            XCTAssertEqual(($0 as? IndexerError)?.message, "is a folder, not a file")
        }
    }
}
