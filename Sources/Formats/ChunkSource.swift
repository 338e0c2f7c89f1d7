import CZlib
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Raw bytes of an input: a plain file, a pipe or FIFO, standard input (`-`), or any of these
/// holding gzip data (recognised by its magic bytes, inflated with its trailer checked).
///
/// Nothing is read twice and nothing is seeked, so a stream loses no bytes to the gzip sniff.
final class ChunkSource {
    let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Bytes read ahead (the magic sniff) and not yet handed out.
    private var pending: [UInt8] = []
    private var gzip: GzipInflater?

    init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            fd = try InputFile.openForReading(path)
            ownsDescriptor = true
        }
        var magic = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let n = try rawRead(into: &magic, offset: got, count: 2 - got)
            if n == 0 { break }
            got += n
        }
        pending = Array(magic[0..<got])
        if got == 2 && magic[0] == 0x1F && magic[1] == 0x8B {
            gzip = try GzipInflater(path: path)
        }
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    private func rawRead(into buffer: inout [UInt8], offset: Int, count: Int) throws -> Int {
        try buffer.withUnsafeMutableBytes { raw in
            try InputFile.read(fd, into: raw.baseAddress! + offset, count: count, path: path)
        }
    }

    /// Bytes of the file as stored (before inflation), the read-ahead first.
    fileprivate func readStored(into pointer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if !pending.isEmpty {
            let n = min(count, pending.count)
            pending.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            return n
        }
        return try InputFile.read(fd, into: pointer, count: count, path: path)
    }

    /// Fills `buffer` from the start with the next bytes; 0 at the end of the data.
    func read(into buffer: inout [UInt8]) throws -> Int {
        let capacity = buffer.count
        return try buffer.withUnsafeMutableBytes { raw in
            if let gzip { return try gzip.read(from: self, into: raw.baseAddress!, count: capacity) }
            return try readStored(into: raw.baseAddress!, count: capacity)
        }
    }
}

/// A zlib inflate stream over gzip members, one after another (as `gzip -d` reads them).
private final class GzipInflater {
    private let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var inputEnded = false
    private var memberEnded = false

    init(path: String) throws {
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: inputCapacity)
        guard czlib_inflate_init_gzip(stream) == Z_OK else {
            throw IndexerError(.internal, "cannot start a gzip decoder", path: path)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// Refills the input when it is used up; false at the end of the stored bytes.
    private func refill(from source: ChunkSource) throws -> Bool {
        if stream.pointee.avail_in > 0 { return true }
        if inputEnded { return false }
        let n = try source.readStored(into: UnsafeMutableRawPointer(input), count: inputCapacity)
        if n == 0 { inputEnded = true; return false }
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(n)
        return true
    }

    func read(from source: ChunkSource, into out: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            if memberEnded {
                // After a member: another member, or the end. Anything else is refused.
                guard try refill(from: source) else { return 0 }
                let first = stream.pointee.next_in[0]
                let second: UInt8? = stream.pointee.avail_in > 1 ? stream.pointee.next_in[1] : try peekAfterOne(source)
                guard first == 0x1F, second == 0x8B else {
                    throw IndexerError.badInput("unexpected bytes after the end of the gzip data (a damaged or concatenated file)", path: path)
                }
                inflateReset(stream)
                memberEnded = false
            }
            let hasInput = try refill(from: source)
            stream.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(count)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = count - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                if produced == 0 && !hasInput {
                    throw IndexerError.badInput("the gzip data ends early: the file is truncated (gzip -t reports it too)", path: path)
                }
            case Z_MEM_ERROR:
                throw IndexerError(.internal, "out of memory while inflating", path: path)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw IndexerError(.badInput, "corrupt gzip data", path: path, cause: message)
            }
            if produced > 0 { return produced }
        }
    }

    /// The byte after a lone last input byte, moving both into the input buffer.
    private func peekAfterOne(_ source: ChunkSource) throws -> UInt8? {
        let first = stream.pointee.next_in[0]
        input[0] = first
        let n = try source.readStored(into: UnsafeMutableRawPointer(input + 1), count: inputCapacity - 1)
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(1 + n)
        if n == 0 { inputEnded = true; return nil }
        return input[1]
    }
}
