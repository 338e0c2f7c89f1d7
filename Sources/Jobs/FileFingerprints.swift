import Formats
import Foundation

/// Content fingerprints (SHA-256) of input files, cached by (path, size, mtime) so that a
/// cron run over an unchanged multi-gigabyte corpus does not re-read it.
final class FileFingerprints {
    private struct Entry: Codable { var size: Int64; var mtime: Double; var sha256: String }
    private var cache: [String: Entry] = [:]
    private let cachePath: String
    private var dirty = false

    init(cachePath: String) {
        self.cachePath = cachePath
        if let data = FileManager.default.contents(atPath: cachePath),
            let c = try? JSONDecoder().decode([String: Entry].self, from: data)
        {
            cache = c
        }
    }

    /// The SHA-256 of a file's bytes; an error names the file when it cannot be read.
    func sha256(of path: String) throws -> String {
        let attrs: [FileAttributeKey: Any]
        do {
            attrs = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw IndexerError(.io, "cannot read", path: path, cause: "no such file")
        }
        let size = (attrs[.size] as? NSNumber)?.int64Value ?? -1
        let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if let e = cache[path], e.size == size, e.mtime == mtime { return e.sha256 }
        let digest = try FileFingerprints.hashFile(path)
        cache[path] = Entry(size: size, mtime: mtime, sha256: digest)
        dirty = true
        return digest
    }

    /// Streams a file through SHA-256.
    static func hashFile(_ path: String) throws -> String {
        let digest = try SHA256.hex(ofFileAt: path)
        return digest
    }

    /// Writes the cache back (atomically) if anything changed.
    func save() throws {
        guard dirty else { return }
        try AtomicFile.write(try JSONText.encode(cache, layout: .compact), to: cachePath)
        dirty = false
    }
}
