import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The run log: one JSON line per step event in `OUTPUT/run-log.jsonl` (format version 1,
/// docs/JOBS.md). Appended, never rewritten, so that a cron history survives.
///
/// A line is written whole or not at all: a short or failed write (a full disk) is cut back
/// to the previous end of the file and reported, and a partial last line that a crash left
/// is dropped, with a warning, before the next append, so the file stays valid JSON lines.
struct RunLog {
    let path: String
    let runID: String

    /// Appends one event with a single `write` (lines never interleave); throws when it fails.
    func append(_ fields: [String: Any]) throws {
        var f = fields
        f["v"] = 1
        f["run"] = runID
        f["time"] = ISO8601DateFormatter().string(from: Date())
        var line = try JSONSerialization.data(withJSONObject: f, options: [.sortedKeys])
        line.append(0x0A)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot open the run log", path: path) }
        defer { close(fd) }
        let size = try repairPartialLine(fd)
        do {
            try line.withUnsafeBytes { try FileDescriptor.writeAll(fd, $0, path: path) }
            guard fsync(fd) == 0 else { throw IndexerError.io("cannot fsync the run log", path: path) }
        } catch {
            _ = ftruncate(fd, off_t(size))
            throw error
        }
    }

    /// Appends, and on failure warns instead of throwing (for events written while another
    /// error is already on its way out).
    func appendOrWarn(_ fields: [String: Any]) {
        do { try append(fields) } catch { Console.warning("the run log misses an event: \(error)") }
    }

    /// Cuts a last line without its newline; returns the file's size afterwards.
    private func repairPartialLine(_ fd: Int32) throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IndexerError.io("cannot stat the run log", path: path) }
        let size = Int(st.st_size)
        guard size > 0 else { return 0 }
        var last: UInt8 = 0
        guard pread(fd, &last, 1, off_t(size - 1)) == 1 else { throw IndexerError.io("cannot read the run log", path: path) }
        if last == 0x0A { return size }
        // Find the last newline, reading backwards a block at a time.
        var end = size
        var cut = 0
        var block = [UInt8](repeating: 0, count: 1 << 16)
        search: while end > 0 {
            let start = max(0, end - block.count)
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
            guard n == end - start else { throw IndexerError.io("cannot read the run log", path: path) }
            for k in stride(from: n - 1, through: 0, by: -1) where block[k] == 0x0A {
                cut = start + k + 1
                break search
            }
            end = start
        }
        guard ftruncate(fd, off_t(cut)) == 0 else { throw IndexerError.io("cannot repair the run log", path: path) }
        Console.warning("\(path): its last line was cut short (a full disk or a crash); dropped \(size - cut) bytes to keep the log valid")
        return cut
    }
}
