import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Opening and reading inputs, with one rule for what a failure means (docs/FAILURES.md).
///
/// An input the user named that does not exist, is a folder, or may not be read is a bad
/// argument: ``IndexerError/Kind/badInput``, exit 2. A read that fails part-way (EIO, a
/// vanished network file) is an I/O failure: exit 1. Both name the path and the errno text.
public enum InputFile {
    /// Opens `path` read-only; a folder is refused here, before any read.
    public static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw cannotOpen(path, errno: errno) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IndexerError(.badInput, "is a folder, not a file", path: path)
        }
        return fd
    }

    /// The error for a failed `open` of an input.
    public static func cannotOpen(_ path: String, errno code: Int32) -> IndexerError {
        switch code {
        case ENOENT: return IndexerError(.badInput, "no such file", path: path)
        case EISDIR: return IndexerError(.badInput, "is a folder, not a file", path: path)
        case EACCES, EPERM, ENOTDIR, ELOOP, ENAMETOOLONG:
            return IndexerError(.badInput, "cannot open", path: path, cause: String(cString: strerror(code)))
        default: return IndexerError(.io, "cannot open", path: path, cause: String(cString: strerror(code)))
        }
    }

    /// Reads up to `count` bytes (retrying on EINTR); 0 at the end of the file.
    public static func read(_ fd: Int32, into pointer: UnsafeMutableRawPointer, count: Int, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, pointer, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            if errno == EISDIR { throw IndexerError(.badInput, "is a folder, not a file", path: path) }
            throw IndexerError.io("cannot read", path: path)
        }
    }

    /// Whether `path` names a regular file (following links); false when it does not exist.
    public static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// The whole content of a small input file (a manifest, a config, a job file).
    public static func contents(_ path: String) throws -> Data {
        let fd = try openForReading(path)
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try read(fd, into: $0.baseAddress!, count: $0.count, path: path) }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
        }
    }
}
