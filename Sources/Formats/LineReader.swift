import CZlib
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a file line by line in bounded memory; gzip files (by magic bytes) are inflated.
///
/// Lines are split on `\n`; a trailing `\r` is removed, and so is a UTF-8 byte-order mark at
/// the start of the file. Pipes, FIFOs and `/dev/stdin` are read as streams (nothing is read
/// twice or seeked). A gzip stream must end with its trailer (CRC-32 and length checked):
/// a truncated archive or bytes after it are errors, never a shorter file. Lines are handed out as byte arrays
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

    /// Opens `path` (`-` for standard input); messages name `displayPath` when given (the
    /// user's path for a spooled copy).
    public init(path: String, displayPath: String? = nil) throws {
        self.path = displayPath ?? path
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
        var line = line
        // A UTF-8 byte-order mark is not part of the first record (Python's utf-8-sig): kept,
        // it would become part of the first id and silently change what is scored.
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        if line.last == 0x0D { line.removeLast() }
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
