import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line in bounded memory; gzip files (by magic bytes) are inflated.
///
/// Lines are split on `\n`; a trailing `\r` is removed. Lines are handed out as byte arrays
/// so that callers decide how to treat invalid UTF-8 (``LineReader/string(_:)``).
public final class LineReader: Sequence, IteratorProtocol {
    /// The path being read, for error messages.
    public let path: String
    /// The 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    private let source: ChunkSource
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)
    private var start = 0
    private var end = 0
    private var eof = false

    /// Opens `path` (`-` for standard input).
    public init(path: String) throws {
        self.path = path
        source = try ChunkSource(path: path)
    }

    /// The next line without its terminator, or nil at the end of the file.
    public func next() -> [UInt8]? {
        try? nextLine()
    }

    /// The next line, throwing on read errors (``next()`` turns them into end of file).
    public func nextLine() throws -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            if start < end {
                let found: Int? = chunk.withUnsafeBufferPointer { buf in
                    var i = start
                    while i < end { if buf[i] == 0x0A { return i }; i += 1 }
                    return nil
                }
                if let nl = found {
                    line.append(contentsOf: chunk[start..<nl])
                    start = nl + 1
                    return finish(line)
                }
                line.append(contentsOf: chunk[start..<end])
                start = end
            }
            if eof {
                if line.isEmpty { return nil }
                return finish(line)
            }
            let n = try source.read(into: &chunk)
            start = 0
            end = n
            if n == 0 { eof = true }
        }
    }

    private func finish(_ line: [UInt8]) -> [UInt8] {
        lineNumber += 1
        if line.last == 0x0D { return Array(line.dropLast()) }
        return line
    }

    /// Decodes a line as UTF-8, or throws a bad-input error naming the file and line.
    public func string(_ bytes: [UInt8]) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw IndexerError.badInput("invalid UTF-8", path: path, line: lineNumber)
        }
        return s
    }
}

/// Raw bytes from a plain file, a gzip file or standard input.
final class ChunkSource {
    private var fd: Int32 = -1
    private var gz: gzFile?
    let path: String

    init(path: String) throws {
        self.path = path
        if path == "-" { fd = 0; return }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IndexerError.io("cannot open", path: path) }
        var magic: [UInt8] = [0, 0]
        let n = Glibc.read(fd, &magic, 2)
        if n == 2 && magic[0] == 0x1F && magic[1] == 0x8B {
            lseek(fd, 0, SEEK_SET)
            gz = gzdopen(fd, "rb")
            guard gz != nil else { throw IndexerError.io("cannot open gzip stream", path: path) }
            gzbuffer(gz, 1 << 18)
        } else {
            lseek(fd, 0, SEEK_SET)
        }
    }

    deinit {
        if let gz { gzclose(gz) } else if fd > 0 { close(fd) }
    }

    func read(into buffer: inout [UInt8]) throws -> Int {
        let capacity = buffer.count
        return try buffer.withUnsafeMutableBytes { raw -> Int in
            if let gz {
                let n = gzread(gz, raw.baseAddress, UInt32(capacity))
                if n < 0 {
                    var code: Int32 = 0
                    let msg = gzerror(gz, &code).map { String(cString: $0) } ?? "gzip error"
                    throw IndexerError(.badInput, "corrupt gzip data", path: path, cause: msg)
                }
                return Int(n)
            }
            while true {
                let n = Glibc.read(fd, raw.baseAddress, capacity)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw IndexerError.io("cannot read", path: path) }
                return n
            }
        }
    }
}
