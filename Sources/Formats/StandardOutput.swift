import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes to file descriptors with every error reported (Foundation's `FileHandle.write`
/// traps on a failed write, which killed the process on a full disk or a closed pipe).
public enum FileDescriptor {
    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw IndexerError.io("cannot write", path: path)
            }
            offset += n
        }
    }
}

/// Results on standard output: a failed write is an I/O error (exit 1), never a crash.
public enum StandardOutput {
    /// Writes `text` to standard output.
    public static func write(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try FileDescriptor.writeAll(1, $0, path: "standard output") }
    }
}
