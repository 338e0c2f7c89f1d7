import Formats
import Foundation
import TestSupport

/// Temporary files for reader tests, and a dependency-free gzip writer (stored deflate blocks).
enum TestFiles {
    /// One folder for the whole test process; static, so (as before the shared fixture) it is
    /// left for the system's temporary-file cleaning rather than removed at exit.
    private static let root = try! TemporaryFolder("indexer-formats-tests")

    /// A fresh temporary folder.
    static func folder() -> String {
        let dir = root.path(UUID().uuidString)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes `bytes` to a new file named `name` in a fresh folder and returns its path.
    static func write(_ bytes: [UInt8], name: String) -> String {
        let path = folder() + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func write(_ text: String, name: String) -> String { write(Array(text.utf8), name: name) }

    /// The package root (three levels above this file).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/data/NAME/FILE` relative to the package root, or nil when absent.
    static func sharedData(_ rel: String) -> String? {
        let candidates = [
            packageRoot.appendingPathComponent("../shared/data/" + rel).standardized.path,
            "/work/shared/data/" + rel,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// A valid gzip member holding `data` in stored (uncompressed) deflate blocks (RFC 1951/1952).
    static func gzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var i = 0
        repeat {
            let n = min(65_535, data.count - i)
            let last: UInt8 = i + n == data.count ? 1 : 0
            out.append(last)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[i..<(i + n)]
            i += n
        } while i < data.count
        let crc = crc32(data)
        for k in 0..<4 { out.append(UInt8((crc >> (8 * UInt32(k))) & 0xFF)) }
        let size = UInt32(truncatingIfNeeded: data.count)
        for k in 0..<4 { out.append(UInt8((size >> (8 * UInt32(k))) & 0xFF)) }
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Runs `body` and returns the IndexerError it throws (nil if it does not throw one).
func indexerError(_ body: () throws -> Void) -> IndexerError? {
    do { try body() } catch let e as IndexerError { return e } catch { return nil }
    return nil
}
