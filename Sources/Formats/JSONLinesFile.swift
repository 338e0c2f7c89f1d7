import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A JSON-lines file appended one whole line at a time: the run log and `--log-json`.
///
/// A line is written with a single `write` or not at all: a short or failed write (a full
/// disk) is cut back to the previous end of the file and reported, and a partial last line
/// that a crash left is dropped, with a warning, before the next append, so the file stays
/// valid JSON lines for any reader.
public struct JSONLinesFile: Sendable {
    /// The file's path.
    public let path: String
    /// What the file is called in messages ("the run log").
    public let name: String

    /// A file at `path`, called `name` in messages.
    public init(path: String, name: String) {
        self.path = path
        self.name = name
    }

    /// Appends `fields` as one line with sorted keys; with `sync`, fsyncs before returning.
    public func append(_ fields: [String: Any], sync: Bool) throws {
        var line = try JSONText.serialize(fields, layout: .compact)
        line.append(0x0A)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot open \(name)", path: path) }
        defer { close(fd) }
        let size = try repairPartialLine(fd)
        do {
            try line.withUnsafeBytes { try FileDescriptor.writeAll(fd, $0, path: path) }
            if sync, fsync(fd) != 0 { throw IndexerError.io("cannot fsync \(name)", path: path) }
        } catch {
            _ = ftruncate(fd, off_t(size))
            throw error
        }
    }

    /// Cuts a last line without its newline; returns the file's size afterwards.
    private func repairPartialLine(_ fd: Int32) throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IndexerError.io("cannot stat \(name)", path: path) }
        let size = Int(st.st_size)
        guard size > 0 else { return 0 }
        var last: UInt8 = 0
        guard pread(fd, &last, 1, off_t(size - 1)) == 1 else { throw IndexerError.io("cannot read \(name)", path: path) }
        if last == 0x0A { return size }
        // Find the last newline, reading backwards a block at a time.
        var end = size
        var cut = 0
        var block = [UInt8](repeating: 0, count: 1 << 16)
        search: while end > 0 {
            let start = max(0, end - block.count)
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
            guard n == end - start else { throw IndexerError.io("cannot read \(name)", path: path) }
            for k in stride(from: n - 1, through: 0, by: -1) where block[k] == 0x0A {
                cut = start + k + 1
                break search
            }
            end = start
        }
        guard ftruncate(fd, off_t(cut)) == 0 else { throw IndexerError.io("cannot repair \(name)", path: path) }
        // Written raw, not as Console.warning: a warning is itself logged, through this file.
        Console.write(
            "indexer: warning: \(path): its last line was cut short (a full disk or a crash); dropped \(size - cut) bytes to keep the log valid\n")
        return cut
    }
}
