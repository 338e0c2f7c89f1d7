import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An input that must be read more than once, made re-readable.
///
/// A regular file is used in place. A pipe, FIFO or `/dev/stdin` (`--corpus <(zcat c.gz)`)
/// can be read only once, so its bytes are first copied, as they are, into a hidden locked
/// file in `folder`, which ``remove()`` deletes (and a later run sweeps if this one is killed).
public final class InputSpool {
    /// The path to read: the input itself, or the spooled copy.
    public let path: String
    private let spooled: Bool

    /// Spools `input` into `folder` when it is not a regular file.
    public init(_ input: String, in folder: String, quiet: Bool) throws {
        if input != "-" && InputFile.isRegularFile(input) {
            path = input
            spooled = false
            return
        }
        TemporaryFiles.removeAbandoned(in: folder, prefix: ".input-spool.tmp-")
        let copy = folder + "/.input-spool.tmp-\(getpid())"
        let source = input == "-" ? 0 : try InputFile.openForReading(input)
        defer { if source != 0 { close(source) } }
        let out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw IndexerError.io("cannot create the spool file", path: copy) }
        TemporaryFiles.markLive(out)
        defer { close(out) }
        path = copy
        spooled = true
        if !quiet { Console.info("\(input) is a stream, not a file: reading it once into \(copy)") }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        do {
            while true {
                let n = try buffer.withUnsafeMutableBytes { try InputFile.read(source, into: $0.baseAddress!, count: $0.count, path: input) }
                if n == 0 { break }
                try buffer.withUnsafeBytes { try FileDescriptor.writeAll(out, UnsafeRawBufferPointer(rebasing: $0[0..<n]), path: copy) }
            }
        } catch {
            unlink(copy)
            throw error
        }
    }

    /// Deletes the spooled copy (nothing for a regular file).
    public func remove() {
        if spooled { unlink(path) }
    }
}
