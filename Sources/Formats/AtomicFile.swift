import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file written under a temporary name in its destination folder, then fsynced and renamed.
///
/// A reader never sees a half-written file under the final name: until ``commit()`` the
/// bytes live in `.NAME.tmp-PID`, and an abandoned writer removes them. Writes are buffered.
public final class AtomicFileWriter {
    /// The final path.
    public let path: String
    /// The temporary path the bytes go to until ``commit()``.
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 20
    private var finished = false
    /// Bytes written so far (buffered included).
    public private(set) var bytesWritten: Int = 0

    /// Opens a temporary file beside `path`; creates the folder if it is missing.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw IndexerError(.io, "cannot create the folder for", path: path, cause: "\(error.localizedDescription)")
        }
        temporaryPath = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot create file", path: temporaryPath) }
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends bytes.
    public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ string: String) throws {
        try write(Array(string.utf8))
    }

    /// Appends raw memory.
    public func write(_ raw: UnsafeRawBufferPointer) throws {
        try write(raw.bindMemory(to: UInt8.self))
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw IndexerError.io("cannot write", path: temporaryPath)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs, renames onto the final path and fsyncs the folder.
    public func commit() throws {
        precondition(!finished, "AtomicFileWriter committed twice")
        try flush()
        guard fsync(fd) == 0 else { throw IndexerError.io("cannot fsync", path: temporaryPath) }
        close(fd)
        finished = true
        guard rename(temporaryPath, path) == 0 else {
            let e = errno
            unlink(temporaryPath)
            throw IndexerError.io("cannot rename \(temporaryPath) onto it", path: path, errno: e)
        }
        AtomicFileWriter.syncDirectory(of: path)
    }

    /// Closes and removes the temporary file; the final path is left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporaryPath)
    }

    /// Fsyncs the folder holding `path`, so that a rename survives a power cut.
    public static func syncDirectory(of path: String) {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}

/// One-shot atomic writes.
public enum AtomicFile {
    /// Writes `data` to `path` through a temporary file, fsync and rename.
    public static func write(_ data: Data, to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        try data.withUnsafeBytes { try w.write($0) }
        try w.commit()
    }

    /// Writes a string's UTF-8 bytes to `path` atomically.
    public static func write(_ string: String, to path: String) throws {
        try write(Data(string.utf8), to: path)
    }
}
