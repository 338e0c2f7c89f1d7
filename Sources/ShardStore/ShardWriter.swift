import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes one shard file as documents stream in, holding at most one block of each section.
///
/// Blocks are compressed as they fill and spooled to hidden temporary files beside the shard;
/// ``finish()`` writes header, sections, directories, id lookup and footer through an
/// ``AtomicFileWriter`` (temporary name, fsync, rename), so a crash never leaves a file under
/// the final name. Besides the blocks, the writer keeps 12 bytes a document (key and row) for
/// the id lookup table, which is sorted at the end.
public final class ShardWriter {
    /// The final path of the shard.
    public let path: String
    /// The settings written into the header.
    public let settings: ShardSettings
    /// Documents appended so far.
    public private(set) var count = 0

    private let vectors: Spool
    private let ids: Spool
    private let texts: Spool
    private var pendingVectors: [Float] = []
    private var pendingIDs = TextBlockBuilder()
    private var pendingTexts = TextBlockBuilder()
    private var keys: [UInt64] = []
    private var finished = false
    private var lexical: Spool?

    /// Prepares to write `path`; nothing appears under that name until ``finish()``.
    public init(path: String, settings: ShardSettings) throws {
        try settings.validate()
        self.path = path
        self.settings = settings
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        try Folders.create(dir, for: path)
        let stem = dir + "/." + url.lastPathComponent
        let pid = getpid()
        vectors = try Spool(path: "\(stem).vectors.tmp-\(pid)")
        ids = try Spool(path: "\(stem).ids.tmp-\(pid)")
        texts = try Spool(path: "\(stem).texts.tmp-\(pid)")
        pendingVectors.reserveCapacity(settings.vectorRowsPerBlock * settings.dimension)
    }

    deinit { abandon() }

    /// The hidden temporary files a writer for `shardPath` may leave behind if killed.
    public static func isTemporary(fileName: String, of shardFileName: String) -> Bool {
        fileName.hasPrefix("." + shardFileName + ".") && fileName.contains(".tmp-")
    }

    /// Appends one document; `vector` must hold `dimension` floats.
    public func append(id: String, text: String, vector: UnsafeBufferPointer<Float>) throws {
        precondition(!finished, "append after finish")
        guard vector.count == settings.dimension else {
            throw IndexerError(.internal, "vector of \(vector.count) components for dimension \(settings.dimension)")
        }
        guard count < Int(Int32.max) else { throw IndexerError(.internal, "too many documents for one shard") }
        keys.append(DocumentKey.key(id))
        pendingVectors.append(contentsOf: vector)
        if pendingVectors.count == settings.vectorRowsPerBlock * settings.dimension { try flushVectors(endRow: count + 1) }
        pendingIDs.append(id, row: count)
        if pendingIDs.isFull(settings.textBlockBytes) { try flush(&pendingIDs, to: ids) }
        pendingTexts.append(text, row: count)
        if pendingTexts.isFull(settings.textBlockBytes) { try flush(&pendingTexts, to: texts) }
        count += 1
    }

    /// Appends one document from an array of `dimension` floats.
    public func append(id: String, text: String, vector: [Float]) throws {
        try vector.withUnsafeBufferPointer { try append(id: id, text: text, vector: $0) }
    }

    /// Encodes and spools the pending vectors, which end just before row `endRow`.
    private func flushVectors(endRow: Int) throws {
        let rows = pendingVectors.count / settings.dimension
        guard rows > 0 else { return }
        let raw = pendingVectors.withUnsafeBufferPointer {
            settings.encoding.encode($0, rows: rows, dimension: settings.dimension)
        }
        try vectors.append(block: raw, rows: rows, firstRow: endRow - rows, codec: settings.codec, level: settings.level)
        pendingVectors.removeAll(keepingCapacity: true)
    }

    private func flush(_ builder: inout TextBlockBuilder, to spool: Spool) throws {
        guard builder.rows > 0 else { return }
        try spool.append(
            block: builder.encoded(), rows: builder.rows, firstRow: builder.firstRow,
            codec: settings.codec, level: settings.level)
        builder = TextBlockBuilder()
    }

    /// Appends one block of the optional lexical index (see docs/FORMAT.md): compressed with the
    /// shard's codec and spooled like the other sections. `items` is recorded in the block's
    /// directory entry ("rows"): the number of terms for a term block, 1 for the others; the
    /// entry's "first row" is the block's number.
    ///
    /// The shard store does not interpret these bytes; the `Lexical` module writes the header,
    /// document lengths, term index and term blocks in that order.
    public func appendLexicalBlock(_ raw: [UInt8], items: Int) throws {
        precondition(!finished, "append after finish")
        if lexical == nil {
            lexical = try Spool(path: vectors.path.replacingOccurrences(of: ".vectors.tmp-", with: ".lexical.tmp-"))
        }
        guard let spool = lexical else { return }
        try spool.append(block: raw, rows: items, firstRow: spool.directory.count, codec: settings.codec, level: settings.level)
    }

    /// Flushes the last blocks and writes the shard under its final name; returns its size.
    @discardableResult
    public func finish() throws -> Int {
        precondition(!finished, "finish twice")
        try flushVectors(endRow: count)
        try flush(&pendingIDs, to: ids)
        try flush(&pendingTexts, to: texts)

        let out = try AtomicFileWriter(path: path)
        do {
            let header = ShardHeader(version: ShardFormat.version, settings: settings, count: count)
            try out.write(header.encoded())
            var table: [SectionEntry] = []
            var directories: [(SectionKind, [BlockEntry])] = []
            var spools = [
                (SectionKind.vectorBlocks, SectionKind.vectorDirectory, vectors),
                (.idBlocks, .idDirectory, ids), (.textBlocks, .textDirectory, texts),
            ]
            if let lexical { spools.append((.lexicalBlocks, .lexicalDirectory, lexical)) }
            for (kind, dirKind, spool) in spools {
                let start = out.bytesWritten
                try spool.copy(to: out)
                // Lexical sections are optional: a reader that does not know them still reads the shard.
                let flags = kind == .lexicalBlocks ? 0 : SectionEntry.requiredFlag
                table.append(
                    SectionEntry(
                        kind: kind.rawValue, flags: flags, offset: start,
                        length: spool.length, crc: spool.crc.value))
                directories.append(
                    (
                        dirKind,
                        spool.directory.map {
                            var e = $0; e.offset += start; return e
                        }
                    ))
            }
            for (kind, entries) in directories {
                var s = ByteSink()
                for e in entries { e.encode(into: &s) }
                let flags = kind == .lexicalDirectory ? 0 : SectionEntry.requiredFlag
                table.append(
                    SectionEntry(
                        kind: kind.rawValue, flags: flags, offset: out.bytesWritten,
                        length: s.bytes.count, crc: CRC32C.checksum(s.bytes)))
                try out.write(s.bytes)
            }
            table.append(try writeLookup(to: out))
            try ShardWriter.writeFooter(table, to: out)
            try out.commit()
        } catch {
            out.abandon()
            abandon()
            throw error
        }
        finished = true
        vectors.remove(); ids.remove(); texts.remove(); lexical?.remove()
        keys = []
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Writes the id lookup, (key, row) sorted by key then row so that readers binary-search
    /// the map, in chunks of about 1 MiB; returns its section entry.
    private func writeLookup(to out: AtomicFileWriter) throws -> SectionEntry {
        var pairs = keys.enumerated().map { LookupPair(key: $0.element, row: UInt32($0.offset)) }
        keys = []
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
        var lookupCRC = CRC32C()
        let lookupStart = out.bytesWritten
        var chunk = ByteSink()
        for (i, p) in pairs.enumerated() {
            chunk.u64(p.key)
            chunk.u32(p.row)
            if chunk.bytes.count >= 1 << 20 || i == pairs.count - 1 {
                lookupCRC.update(chunk.bytes)
                try out.write(chunk.bytes)
                chunk.bytes.removeAll(keepingCapacity: true)
            }
        }
        return SectionEntry(
            kind: SectionKind.idLookup.rawValue, flags: SectionEntry.requiredFlag,
            offset: lookupStart, length: pairs.count * ShardFormat.lookupEntryLength, crc: lookupCRC.value)
    }

    /// Writes the section table and the trailer (table offset, entry count, CRC, end magic).
    private static func writeFooter(_ table: [SectionEntry], to out: AtomicFileWriter) throws {
        var footer = ByteSink()
        for e in table { e.encode(into: &footer) }
        let tableOffset = out.bytesWritten
        let tableCRC = CRC32C.checksum(footer.bytes)
        footer.u64(UInt64(tableOffset))
        footer.u32(UInt32(table.count))
        footer.u32(tableCRC)
        footer.raw(ShardFormat.endMagic)
        try out.write(footer.bytes)
    }

    /// Removes the temporary files; the final path is untouched.
    public func abandon() {
        guard !finished else { return }
        finished = true
        vectors.remove(); ids.remove(); texts.remove(); lexical?.remove()
    }
}

struct LookupPair {
    var key: UInt64
    var row: UInt32
}

/// The raw layout of an id or text block: a u32 count n, n + 1 u32 end offsets into the data
/// (the first is 0), then the UTF-8 bytes of the n strings back to back.
struct TextBlockBuilder {
    var firstRow = 0
    var rows = 0
    var offsets: [UInt32] = [0]
    var data: [UInt8] = []

    mutating func append(_ s: String, row: Int) {
        if rows == 0 { firstRow = row }
        data.append(contentsOf: s.utf8)
        offsets.append(UInt32(data.count))
        rows += 1
    }

    func isFull(_ limit: Int) -> Bool {
        data.count + 4 * offsets.count >= limit || rows >= ShardFormat.maxRowsPerTextBlock
    }

    func encoded() -> [UInt8] {
        var s = ByteSink()
        s.bytes.reserveCapacity(4 + 4 * offsets.count + data.count)
        s.u32(UInt32(rows))
        for o in offsets { s.u32(o) }
        s.raw(data)
        return s.bytes
    }
}

/// A section's compressed blocks, spooled to a hidden file until the shard is assembled.
final class Spool {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var length = 0
    private(set) var crc = CRC32C()
    private(set) var directory: [BlockEntry] = []

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot create temporary file", path: path) }
    }

    deinit { remove() }

    func append(block raw: [UInt8], rows: Int, firstRow: Int, codec: BlockCodec, level: Int) throws {
        guard raw.count <= Int(UInt32.max) else { throw IndexerError(.internal, "block too large") }
        let stored = try codec.compress(raw, level: level)
        let blockCRC = CRC32C.checksum(stored)
        directory.append(
            BlockEntry(
                firstRow: firstRow, offset: length, rows: rows, rawLength: raw.count,
                storedLength: stored.count, crc: blockCRC))
        crc.update(stored)
        length += stored.count
        buffer.append(contentsOf: stored)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IndexerError.io("cannot write temporary file", path: path)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends the spooled bytes to `out`, a megabyte at a time.
    func copy(to out: AtomicFileWriter) throws {
        try flush()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var position = 0
        while position < length {
            let want = min(chunk.count, length - position)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(position)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw IndexerError.io("cannot read back temporary file", path: path) }
            try out.write(chunk[0..<n])
            position += n
        }
    }

    func remove() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(path)
    }
}
