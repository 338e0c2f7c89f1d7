import Formats

/// Constants and fixed layouts of the shard file format (see docs/FORMAT.md).
public enum ShardFormat {
    /// The first 8 bytes of every shard file.
    public static let magic: [UInt8] = Array("IDXSHARD".utf8)
    /// The last 8 bytes of every finished shard file.
    public static let endMagic: [UInt8] = Array("IDXSEND\0".utf8)
    /// The only version this reader and writer know.
    public static let version: UInt32 = 1
    /// Bytes of the trailer at the very end: table offset, entry count, table checksum, end magic.
    static let trailerLength = 24
    /// Bytes of one section-table entry.
    static let sectionEntryLength = 32
    /// Bytes of one block-directory entry.
    static let blockEntryLength = 32
    /// Bytes of one id-lookup entry (u64 key, u32 row).
    static let lookupEntryLength = 12
    /// Default vectors a block: 4,096 rows of 384 floats is a 6 MiB sgemm operand.
    public static let defaultVectorRowsPerBlock = 4096
    /// Default raw bytes of an id or text block: small enough that fetching one text is cheap.
    public static let defaultTextBlockBytes = 64 * 1024
    /// Upper bound on documents in one id or text block, whatever their size.
    static let maxRowsPerTextBlock = 1 << 16

    /// The shard file name for shard `index` of `count`: `shard-0003-of-0008.shard`.
    public static func fileName(index: Int, count: Int) -> String {
        "shard-\(pad(index))-of-\(pad(count)).shard"
    }

    private static func pad(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}

/// The kinds of section a shard holds; the footer's section table names each by kind.
///
/// New kinds (a lexical postings section, say) are additive: a reader skips kinds it does not
/// know unless the entry's `required` flag is set, in which case it refuses the file.
public enum SectionKind: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case vectorBlocks = 1
    case vectorDirectory = 2
    case idBlocks = 3
    case idDirectory = 4
    case textBlocks = 5
    case textDirectory = 6
    case idLookup = 7
    /// Lexical index blocks (optional, `indexer build --lexical`): header, document lengths,
    /// term index, then term blocks, each compressed with the shard's codec.
    case lexicalBlocks = 8
    /// One 32-byte block-directory entry for each lexical block.
    case lexicalDirectory = 9

    /// A short name for reports.
    public var description: String {
        switch self {
        case .vectorBlocks: return "vectors"
        case .vectorDirectory: return "vector-directory"
        case .idBlocks: return "ids"
        case .idDirectory: return "id-directory"
        case .textBlocks: return "texts"
        case .textDirectory: return "text-directory"
        case .idLookup: return "id-lookup"
        case .lexicalBlocks: return "lexical"
        case .lexicalDirectory: return "lexical-directory"
        }
    }
}

/// Everything that decides a shard's bytes apart from the documents themselves.
///
/// Two builds with equal settings over the same corpus make byte-identical shards; a finished
/// shard whose settings differ from the current build's is refused, never overwritten.
public struct ShardSettings: Sendable, Equatable {
    /// This shard's number, 0-based.
    public var shardIndex: Int
    /// How many shards the index has.
    public var shardCount: Int
    /// Components a vector.
    public var dimension: Int
    /// How vectors are stored.
    public var encoding: VectorEncoding
    /// How blocks are compressed.
    public var codec: BlockCodec
    /// The codec level (zstd 1...19; ignored by lz4 and none, stored anyway).
    public var level: Int
    /// Vectors a vector block (the last block may hold fewer).
    public var vectorRowsPerBlock: Int
    /// Raw bytes after which an id or text block is closed.
    public var textBlockBytes: Int
    /// The fingerprint of the embedding model and its pooling configuration.
    public var modelFingerprint: String
    /// Other settings of the build that decide its output (free text, compared exactly).
    public var buildSettings: String

    /// Settings with the default block sizes.
    public init(
        shardIndex: Int, shardCount: Int, dimension: Int, encoding: VectorEncoding, codec: BlockCodec,
        level: Int = BlockCodec.defaultLevel, vectorRowsPerBlock: Int = ShardFormat.defaultVectorRowsPerBlock,
        textBlockBytes: Int = ShardFormat.defaultTextBlockBytes, modelFingerprint: String, buildSettings: String = ""
    ) {
        self.shardIndex = shardIndex
        self.shardCount = shardCount
        self.dimension = dimension
        self.encoding = encoding
        self.codec = codec
        self.level = level
        self.vectorRowsPerBlock = vectorRowsPerBlock
        self.textBlockBytes = textBlockBytes
        self.modelFingerprint = modelFingerprint
        self.buildSettings = buildSettings
    }

    /// Human-readable differences from `other` ("encoding int8 vs f16"), empty when equal.
    public func differences(from other: ShardSettings) -> [String] {
        var d: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { d.append("\(name) \(a) vs \(b)") } }
        check("shard index", shardIndex, other.shardIndex)
        check("shard count", shardCount, other.shardCount)
        check("dimension", dimension, other.dimension)
        check("vector encoding", encoding.description, other.encoding.description)
        check("codec", codec.description, other.codec.description)
        check("level", level, other.level)
        check("vector rows per block", vectorRowsPerBlock, other.vectorRowsPerBlock)
        check("text block bytes", textBlockBytes, other.textBlockBytes)
        check("model fingerprint", modelFingerprint, other.modelFingerprint)
        check("build settings", "'\(buildSettings)'", "'\(other.buildSettings)'")
        return d
    }

    func validate() throws {
        guard shardCount >= 1, shardIndex >= 0, shardIndex < shardCount else {
            throw IndexerError(.usage, "shard \(shardIndex) of \(shardCount) does not exist")
        }
        guard dimension >= 1, dimension <= 1 << 20 else { throw IndexerError(.internal, "bad vector dimension \(dimension)") }
        guard vectorRowsPerBlock >= 1, vectorRowsPerBlock <= 1 << 20 else {
            throw IndexerError(.internal, "bad vector rows per block \(vectorRowsPerBlock)")
        }
        guard textBlockBytes >= 1, textBlockBytes <= 1 << 28 else { throw IndexerError(.internal, "bad text block size \(textBlockBytes)") }
        if codec == .zstd {
            guard (1...19).contains(level) else { throw IndexerError(.usage, "zstd level must be in 1...19, not \(level)") }
        }
    }
}

/// The header of a shard file: its settings and its document count.
public struct ShardHeader: Sendable, Equatable {
    /// The format version the file was written with.
    public var version: UInt32
    /// The settings the shard was built with.
    public var settings: ShardSettings
    /// Documents in the shard.
    public var count: Int

    func encoded() -> [UInt8] {
        var s = ByteSink()
        s.raw(ShardFormat.magic)
        s.u32(version)
        s.u32(0)  // header length, patched below
        s.u32(UInt32(settings.shardIndex))
        s.u32(UInt32(settings.shardCount))
        s.u32(UInt32(settings.dimension))
        s.u8(settings.encoding.rawValue)
        s.u8(settings.codec.rawValue)
        s.u16(0)
        s.i32(Int32(settings.level))
        s.u32(UInt32(settings.vectorRowsPerBlock))
        s.u32(UInt32(settings.textBlockBytes))
        s.u32(0)
        s.u64(UInt64(count))
        s.string(settings.modelFingerprint)
        s.string(settings.buildSettings)
        let length = UInt32(s.bytes.count + 4)
        withUnsafeBytes(of: length.littleEndian) { s.bytes.replaceSubrange(12..<16, with: $0) }
        s.u32(CRC32C.checksum(s.bytes))
        return s.bytes
    }

    /// Parses and checks the header at the start of `data`; returns it and its length.
    static func decode(_ data: UnsafeRawBufferPointer, path: String) throws -> (ShardHeader, Int) {
        var r = ByteSource(data, path: path, what: "header")
        guard data.count >= 16, Array(try r.bytes(8)) == ShardFormat.magic else {
            throw IndexerError(.corrupt, "not an indexer shard file (bad magic)", path: path)
        }
        let version = try r.u32()
        guard version == ShardFormat.version else {
            throw IndexerError(
                .mismatch,
                "shard format version \(version) is not supported (this indexer reads version \(ShardFormat.version)); rebuild the index with this indexer or use a matching indexer",
                path: path)
        }
        let length = Int(try r.u32())
        guard length >= 64, length <= data.count else {
            throw IndexerError(.corrupt, "header length \(length) is impossible", path: path)
        }
        let stored = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: data[0..<(length - 4)])) == stored else {
            throw IndexerError(.corrupt, "header checksum mismatch", path: path)
        }
        r = ByteSource(UnsafeRawBufferPointer(rebasing: data[0..<(length - 4)]), at: 16, path: path, what: "header")
        let index = Int(try r.u32()), count = Int(try r.u32()), dim = Int(try r.u32())
        let encRaw = try r.u8(), codecRaw = try r.u8()
        _ = try r.u16()
        let level = Int(try r.i32())
        let rowsPerBlock = Int(try r.u32()), textBytes = Int(try r.u32())
        _ = try r.u32()
        let docs = try r.u64()
        let fingerprint = try r.string()
        let build = try r.string()
        guard let enc = VectorEncoding(rawValue: encRaw) else {
            throw IndexerError(.corrupt, "unknown vector encoding \(encRaw)", path: path)
        }
        guard let codec = BlockCodec(rawValue: codecRaw) else { throw IndexerError(.corrupt, "unknown block codec \(codecRaw)", path: path) }
        guard docs <= UInt64(Int32.max) else { throw IndexerError(.corrupt, "impossible document count \(docs)", path: path) }
        let settings = ShardSettings(
            shardIndex: index, shardCount: count, dimension: dim, encoding: enc, codec: codec,
            level: level, vectorRowsPerBlock: rowsPerBlock, textBlockBytes: textBytes,
            modelFingerprint: fingerprint, buildSettings: build)
        do { try settings.validate() } catch { throw IndexerError(.corrupt, "header holds impossible settings: \(error)", path: path) }
        return (ShardHeader(version: version, settings: settings, count: Int(docs)), length)
    }
}

/// One entry of the footer's section table.
struct SectionEntry: Equatable {
    static let requiredFlag: UInt32 = 1
    var kind: UInt32
    var flags: UInt32
    var offset: Int
    var length: Int
    var crc: UInt32

    func encode(into s: inout ByteSink) {
        s.u32(kind); s.u32(flags); s.u64(UInt64(offset)); s.u64(UInt64(length)); s.u32(crc); s.u32(0)
    }
}

/// One entry of a block directory: where a compressed block is and which rows it holds.
struct BlockEntry: Equatable {
    var firstRow: Int
    var offset: Int
    var rows: Int
    var rawLength: Int
    var storedLength: Int
    var crc: UInt32

    func encode(into s: inout ByteSink) {
        s.u64(UInt64(firstRow)); s.u64(UInt64(offset)); s.u32(UInt32(rows)); s.u32(UInt32(rawLength))
        s.u32(UInt32(storedLength)); s.u32(crc)
    }

    static func decode(_ r: inout ByteSource) throws -> BlockEntry {
        let first = try r.u64(), offset = try r.u64()
        let rows = try r.u32(), raw = try r.u32(), stored = try r.u32(), crc = try r.u32()
        guard first < UInt64(Int32.max), offset < UInt64(Int.max / 2) else {
            throw IndexerError(.corrupt, "block directory entry out of range", path: r.path)
        }
        return BlockEntry(
            firstRow: Int(first), offset: Int(offset), rows: Int(rows), rawLength: Int(raw),
            storedLength: Int(stored), crc: crc)
    }
}

/// The 64-bit key of a document id, which decides its shard and orders the id lookup table.
///
/// `key(id)` is the first 8 bytes of SHA-256 over the id's UTF-8 bytes, read big-endian, so in
/// Python: `int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big")`. A document goes to
/// shard `key(id) % N`: it depends only on the id, never on threads, workers or corpus order.
public enum DocumentKey {
    /// The 64-bit key of `id`.
    public static func key(_ id: String) -> UInt64 {
        var h = SHA256()
        h.update(Array(id.utf8))
        let d = h.finalize()
        var k: UInt64 = 0
        for i in 0..<8 { k = k << 8 | UInt64(d[i]) }
        return k
    }

    /// The shard (0..<count) the document `id` belongs to.
    public static func shard(of id: String, count: Int) -> Int {
        Int(key(id) % UInt64(count))
    }
}
