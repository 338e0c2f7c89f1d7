import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a shard file through a memory map, decoding one block at a time.
///
/// Opening checks the header, the footer, the section table and every directory (their
/// checksums and bounds); each block's checksum is checked when the block is decoded, so a
/// flipped byte anywhere in the file is reported as a corrupt-file error, never returned as
/// data. A reader caches the last id and text block it decoded; it is safe to share between
/// threads (the cache is locked).
public final class ShardReader: @unchecked Sendable {
    /// The file read.
    public let path: String
    /// The header: settings and document count.
    public let header: ShardHeader
    /// The file size in bytes.
    public let fileSize: Int

    private let map: UnsafeMutableRawPointer?
    private let data: UnsafeRawBufferPointer
    let sections: [SectionEntry]
    let headerLength: Int
    let vectorBlocks: [BlockEntry]
    let idBlocks: [BlockEntry]
    let textBlocks: [BlockEntry]
    let lexicalBlocks: [BlockEntry]
    private let lookup: UnsafeRawBufferPointer
    private let lock = NSLock()
    private var cachedIDs: (block: Int, strings: StringBlock)?
    private var cachedTexts: (block: Int, strings: StringBlock)?

    /// Maps and checks `path`.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IndexerError.io("cannot open shard", path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IndexerError.io("cannot stat shard", path: path) }
        fileSize = Int(st.st_size)
        guard fileSize >= 64 + ShardFormat.trailerLength else {
            throw IndexerError(.corrupt, "file of \(fileSize) bytes is too short to be a finished shard", path: path)
        }
        guard let m = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw IndexerError.io("cannot map shard", path: path)
        }
        map = m
        let data = UnsafeRawBufferPointer(start: m, count: fileSize)
        self.data = data
        let fileSize = self.fileSize
        do {
            (header, headerLength) = try ShardHeader.decode(data, path: path)
            sections = try ShardReader.readTable(data, path: path)
            let byKind = try ShardReader.sectionsByKind(sections, headerLength: headerLength, fileSize: fileSize, path: path)
            func section(_ k: SectionKind) throws -> SectionEntry {
                guard let s = byKind[k.rawValue] else { throw IndexerError(.corrupt, "\(k) section is missing", path: path) }
                return s
            }
            let count = header.count
            let vectorBytes = header.settings.encoding.bytesPerVector(dimension: header.settings.dimension)
            func directory(_ blocks: SectionKind, _ dir: SectionKind, fixedRows: Int?) throws -> [BlockEntry] {
                try ShardReader.blockDirectory(
                    data, blocks: try section(blocks), directory: try section(dir), name: dir.description,
                    rows: count, fixedRows: fixedRows.map { ($0, vectorBytes) }, path: path)
            }
            vectorBlocks = try directory(.vectorBlocks, .vectorDirectory, fixedRows: header.settings.vectorRowsPerBlock)
            idBlocks = try directory(.idBlocks, .idDirectory, fixedRows: nil)
            textBlocks = try directory(.textBlocks, .textDirectory, fixedRows: nil)
            lexicalBlocks = try ShardReader.lexicalDirectory(data, byKind: byKind, path: path)
            let l = try section(.idLookup)
            lookup = UnsafeRawBufferPointer(rebasing: data[l.offset..<(l.offset + l.length)])
            guard l.length == count * ShardFormat.lookupEntryLength else {
                throw IndexerError(.corrupt, "id lookup has \(l.length) bytes for \(count) documents", path: path)
            }
            guard CRC32C.checksum(lookup) == l.crc else { throw IndexerError(.corrupt, "id lookup checksum mismatch", path: path) }
            release(l.offset..<(l.offset + l.length))
        } catch {
            munmap(m, fileSize)
            throw error
        }
    }

    deinit {
        if let map { munmap(map, fileSize) }
    }

    private static func readTable(_ data: UnsafeRawBufferPointer, path: String) throws -> [SectionEntry] {
        let end = data.count
        var t = ByteSource(data, at: end - ShardFormat.trailerLength, path: path, what: "trailer")
        let tableOffset = try t.u64(), entries = Int(try t.u32()), tableCRC = try t.u32()
        guard Array(try t.bytes(8)) == ShardFormat.endMagic else {
            throw IndexerError(.corrupt, "no end marker: the shard is unfinished or truncated", path: path)
        }
        let tableLength = entries * ShardFormat.sectionEntryLength
        guard entries <= 1024, tableLength <= end - ShardFormat.trailerLength,
            tableOffset <= UInt64(end - ShardFormat.trailerLength - tableLength)
        else {
            throw IndexerError(.corrupt, "section table lies outside the file", path: path)
        }
        let start = Int(tableOffset)
        let bytes = UnsafeRawBufferPointer(rebasing: data[start..<(start + tableLength)])
        guard start + tableLength == end - ShardFormat.trailerLength, CRC32C.checksum(bytes) == tableCRC else {
            throw IndexerError(.corrupt, "section table checksum mismatch", path: path)
        }
        var r = ByteSource(bytes, path: path, what: "section table")
        var out: [SectionEntry] = []
        for _ in 0..<entries {
            let kind = try r.u32(), flags = try r.u32(), offset = try r.u64(), length = try r.u64(), crc = try r.u32()
            _ = try r.u32()
            guard offset < UInt64(Int.max / 2), length < UInt64(Int.max / 2) else {
                throw IndexerError(.corrupt, "section table entry out of range", path: path)
            }
            out.append(SectionEntry(kind: kind, flags: flags, offset: Int(offset), length: Int(length), crc: crc))
        }
        return out
    }

    // MARK: - Shape

    /// Documents in the shard.
    public var count: Int { header.count }
    /// Components a vector.
    public var dimension: Int { header.settings.dimension }
    /// Vector blocks in the shard.
    public var vectorBlockCount: Int { vectorBlocks.count }

    /// The rows (document numbers within the shard) vector block `block` holds.
    public func rows(ofVectorBlock block: Int) -> Range<Int> {
        let e = vectorBlocks[block]
        return e.firstRow..<(e.firstRow + e.rows)
    }

    // MARK: - Lexical blocks

    /// Whether the shard holds a lexical index (built with `--lexical`).
    public var hasLexicalIndex: Bool { !lexicalBlocks.isEmpty }
    /// Blocks of the lexical index (0 without one).
    public var lexicalBlockCount: Int { lexicalBlocks.count }

    /// The items ("rows") the directory records for lexical block `block`.
    public func lexicalBlockItems(_ block: Int) -> Int { lexicalBlocks[block].rows }

    /// The checked, decompressed bytes of lexical block `block` (the `Lexical` module parses them).
    public func lexicalBlock(_ block: Int) throws -> [UInt8] {
        guard block >= 0, block < lexicalBlocks.count else {
            throw IndexerError(.corrupt, "lexical block \(block) of \(lexicalBlocks.count) does not exist", path: path)
        }
        let e = lexicalBlocks[block]
        let stored = UnsafeRawBufferPointer(rebasing: data[e.offset..<(e.offset + e.storedLength)])
        guard CRC32C.checksum(stored) == e.crc else {
            throw IndexerError(.corrupt, "checksum mismatch in lexical block \(block)", path: path)
        }
        return try header.settings.codec.decompress(stored, rawLength: e.rawLength, path: path)
    }

    // MARK: - Blocks

    /// The checked, decompressed bytes of one block.
    func rawBlock(_ e: BlockEntry, what: String, release releasing: Bool = false) throws -> [UInt8] {
        defer { if releasing { release(e.offset..<(e.offset + e.storedLength)) } }
        let stored = UnsafeRawBufferPointer(rebasing: data[e.offset..<(e.offset + e.storedLength)])
        guard CRC32C.checksum(stored) == e.crc else {
            throw IndexerError(.corrupt, "checksum mismatch in the \(what) block at rows \(e.firstRow)..<\(e.firstRow + e.rows)", path: path)
        }
        return try header.settings.codec.decompress(stored, rawLength: e.rawLength, path: path)
    }

    /// Decodes vector block `block` into `out` as `rows × dimension` row-major floats.
    ///
    /// `out` is resized to fit; reuse it across blocks to avoid allocations. int8 vectors are
    /// dequantised (`code * scale`); see ``int8Block(_:)`` for the raw codes.
    public func decodeVectors(block: Int, into out: inout [Float]) throws {
        let e = vectorBlocks[block]
        let raw = try rawBlock(e, what: "vector")
        let n = e.rows * dimension
        if out.count != n { out = [Float](repeating: 0, count: n) }
        raw.withUnsafeBytes { r in
            out.withUnsafeMutableBufferPointer { header.settings.encoding.decode(r, rows: e.rows, dimension: dimension, into: $0) }
        }
    }

    /// Decodes vector block `block` as `rows × dimension` row-major floats.
    public func vectors(block: Int) throws -> [Float] {
        var out: [Float] = []
        try decodeVectors(block: block, into: &out)
        return out
    }

    /// The raw int8 codes (`rows × dimension`) and per-row scales of vector block `block`.
    ///
    /// Only for shards with int8 vectors; an int8 kernel computes `scale * Σ code_j * q_j`.
    public func int8Block(_ block: Int) throws -> (codes: [Int8], scales: [Float]) {
        guard header.settings.encoding == .int8 else {
            throw IndexerError(.mismatch, "shard stores \(header.settings.encoding) vectors, not int8", path: path)
        }
        let e = vectorBlocks[block]
        let raw = try rawBlock(e, what: "vector")
        return raw.withUnsafeBytes { r in
            let scales = (0..<e.rows).map { Float(bitPattern: UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            let codes = Array(UnsafeRawBufferPointer(rebasing: r[(4 * e.rows)...]).bindMemory(to: Int8.self))
            return (codes, scales)
        }
    }

    /// The vector of one row, decoded (this decodes its whole block; prefer block access).
    public func vector(row: Int) throws -> [Float] {
        guard row >= 0, row < count else { throw IndexerError(.internal, "row \(row) out of 0..<\(count)", path: path) }
        let b = row / header.settings.vectorRowsPerBlock
        let v = try vectors(block: b)
        let r = row - vectorBlocks[b].firstRow
        return Array(v[(r * dimension)..<((r + 1) * dimension)])
    }

    func stringBlock(_ entries: [BlockEntry], _ index: Int, what: String, release: Bool = false) throws -> StringBlock {
        let e = entries[index]
        return try StringBlock(raw: try rawBlock(e, what: what, release: release), rows: e.rows, path: path, what: what)
    }

    private static func blockIndex(_ entries: [BlockEntry], row: Int) -> Int {
        var lo = 0, hi = entries.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if entries[mid].firstRow <= row { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The ids of every document, in row order (decodes every id block).
    public func allIDs() throws -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        for b in idBlocks.indices {
            let s = try stringBlock(idBlocks, b, what: "id")
            for i in 0..<s.rows { out.append(try s.string(i)) }
        }
        return out
    }

    /// The id of document `row`.
    public func id(row: Int) throws -> String {
        try string(row: row, ids: true)
    }

    /// The text of document `row` (what the bi-encoder embedded; the reranker reads it).
    public func text(row: Int) throws -> String {
        try string(row: row, ids: false)
    }

    private func string(row: Int, ids: Bool) throws -> String {
        guard row >= 0, row < count else { throw IndexerError(.internal, "row \(row) out of 0..<\(count)", path: path) }
        let entries = ids ? idBlocks : textBlocks
        let b = ShardReader.blockIndex(entries, row: row)
        lock.lock()
        defer { lock.unlock() }
        let cached = ids ? cachedIDs : cachedTexts
        let block: StringBlock
        if let cached, cached.block == b {
            block = cached.strings
        } else {
            block = try stringBlock(entries, b, what: ids ? "id" : "text")
            if ids { cachedIDs = (b, block) } else { cachedTexts = (b, block) }
        }
        return try block.string(row - entries[b].firstRow)
    }

    /// The row of the document with id `id`, or nil when the shard does not hold it.
    ///
    /// Binary search of the id lookup table by ``DocumentKey/key(_:)``, then the id itself is
    /// compared, so a 64-bit key collision cannot return the wrong document.
    public func row(forID id: String) throws -> Int? {
        let key = DocumentKey.key(id)
        let n = count
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            if lookupKey(mid) < key { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < n && lookupKey(i) == key {
            let row = Int(UInt32(littleEndian: lookup.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)))
            guard row < n else { throw IndexerError(.corrupt, "id lookup names row \(row) of \(n)", path: path) }
            if try self.id(row: row) == id { return row }
            i += 1
        }
        return nil
    }

    /// The text of the document with id `id`, or nil when the shard does not hold it.
    public func text(forID id: String) throws -> String? {
        guard let row = try row(forID: id) else { return nil }
        return try text(row: row)
    }

    @inline(__always)
    private func lookupKey(_ i: Int) -> UInt64 {
        UInt64(littleEndian: lookup.loadUnaligned(fromByteOffset: i * 12, as: UInt64.self))
    }

    func lookupEntry(_ i: Int) -> (key: UInt64, row: Int) {
        (lookupKey(i), Int(UInt32(littleEndian: lookup.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self))))
    }

    /// The stored bytes of a section kind (for verification and reports).
    func sectionBytes(_ s: SectionEntry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: data[s.offset..<(s.offset + s.length)])
    }

    /// The CRC-32C of a section, read in slices that are released after use.
    func sectionChecksum(_ s: SectionEntry) -> UInt32 {
        var c = CRC32C()
        var at = s.offset
        let end = s.offset + s.length
        while at < end {
            let next = min(end, at + (8 << 20))
            c.update(UnsafeRawBufferPointer(rebasing: data[at..<next]))
            release(at..<next)
            at = next
        }
        return c.value
    }

    /// Tells the kernel this process is done with the mapped pages inside `range`, so that a
    /// pass over a whole shard (verify, manifest) does not hold the file in its resident set.
    /// The pages stay in the page cache; a later access maps them again.
    func release(_ range: Range<Int>) {
        guard let map else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start else { return }
        madvise(map + start, end - start, MADV_DONTNEED)
    }
}

/// A decoded id or text block: offsets and bytes (layout in ``TextBlockBuilder``).
struct StringBlock {
    let rows: Int
    private let raw: [UInt8]
    private let dataStart: Int
    private let path: String

    init(raw: [UInt8], rows: Int, path: String, what: String) throws {
        self.raw = raw
        self.rows = rows
        self.path = path
        dataStart = 4 + 4 * (rows + 1)
        let bad = IndexerError(.corrupt, "malformed \(what) block", path: path)
        guard raw.count >= dataStart else { throw bad }
        let ok: Bool = raw.withUnsafeBytes { r in
            guard UInt32(littleEndian: r.loadUnaligned(as: UInt32.self)) == UInt32(rows) else { return false }
            var prev: UInt32 = 0
            for i in 0...rows {
                let o = UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 + 4 * i, as: UInt32.self))
                if (i == 0 && o != 0) || o < prev { return false }
                prev = o
            }
            return Int(prev) == raw.count - dataStart
        }
        guard ok else { throw bad }
    }

    func string(_ i: Int) throws -> String {
        try raw.withUnsafeBytes { r in
            let a = Int(UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 + 4 * i, as: UInt32.self)))
            let b = Int(UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 8 + 4 * i, as: UInt32.self)))
            guard let s = String(validating: UnsafeRawBufferPointer(rebasing: r[(dataStart + a)..<(dataStart + b)]), as: UTF8.self) else {
                throw IndexerError(.corrupt, "invalid UTF-8 in a stored string", path: path)
            }
            return s
        }
    }
}
