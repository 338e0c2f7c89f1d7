import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An output file: written under a temporary name in its destination folder, then fsynced
/// and renamed; or, for an output that is a stream, written in place.
///
/// A reader never sees a half-written regular file under the final name: until ``commit()``
/// the bytes live in `.NAME.tmp-PID`, and an abandoned writer removes them. The rules for
/// the other kinds of output (docs/FAILURES.md, "Outputs"):
/// - `-` is standard output, written as a stream;
/// - a symbolic link is followed: the file it points to is replaced, the link stays;
/// - an existing character device, FIFO or socket (`/dev/stdout`, `/dev/null`, a named pipe)
///   is written in place as a stream, never renamed over; a block device or folder is refused;
/// - temporary files that killed writers left beside the output are removed first (a
///   temporary file is locked while its writer lives, so a live writer's is never touched).
/// Writes are buffered.
public final class AtomicFileWriter {
    /// The final path, as given.
    public let path: String
    /// The temporary path the bytes go to until ``commit()`` (nil for a stream).
    public let temporaryPath: String?
    /// The file the rename replaces (the path with symbolic links resolved).
    let targetPath: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 20
    private var finished = false
    /// Bytes written so far (buffered included).
    public private(set) var bytesWritten: Int = 0

    /// Whether the output is written in place (standard output, a device, a FIFO).
    public var isStream: Bool { temporaryPath == nil }

    /// Opens the output; creates the destination folder if it is missing.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            (targetPath, temporaryPath, fd, ownsDescriptor) = ("-", nil, 1, false)
            return
        }
        let target = try OutputPath.resolveLinks(path)
        targetPath = target
        var st = stat()
        if stat(target, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw IndexerError(.badInput, "is a folder; an output must be a file", path: path)
            case S_IFBLK: throw IndexerError(.badInput, "is a block device; refusing to write an output onto it", path: path)
            default:
                let fd = open(target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw IndexerError.io("cannot open for writing", path: path) }
                (temporaryPath, self.fd, ownsDescriptor) = (nil, fd, true)
                return
            }
        }
        let dir = (target as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        try Folders.create(folder, for: path)
        let name = (target as NSString).lastPathComponent
        TemporaryFiles.removeAbandoned(in: folder, prefix: "." + name + ".tmp-")
        let temp = folder + "/." + name + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot create file", path: temp) }
        TemporaryFiles.markLive(fd)
        (temporaryPath, self.fd, ownsDescriptor) = (temp, fd, true)
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
        try buffer.withUnsafeBytes { raw in
            try FileDescriptor.writeAll(fd, raw, path: temporaryPath ?? path)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs, renames onto the final path and fsyncs the folder (a stream is only
    /// flushed).
    public func commit() throws {
        precondition(!finished, "AtomicFileWriter committed twice")
        do { try flush() } catch { abandon(); throw error }
        finished = true
        guard let temp = temporaryPath else {
            if ownsDescriptor { close(fd) }
            return
        }
        guard fsync(fd) == 0 else {
            let e = errno
            close(fd); unlink(temp)
            throw IndexerError.io("cannot fsync", path: temp, errno: e)
        }
        close(fd)
        guard rename(temp, targetPath) == 0 else {
            let e = errno
            unlink(temp)
            throw IndexerError.io("cannot rename \(temp) onto it", path: path, errno: e)
        }
        AtomicFileWriter.syncDirectory(of: targetPath)
    }

    /// Closes and removes the temporary file; the final path is left as it was (what a
    /// stream already received cannot be taken back).
    public func abandon() {
        guard !finished else { return }
        finished = true
        if ownsDescriptor { close(fd) }
        if let temp = temporaryPath { unlink(temp) }
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
