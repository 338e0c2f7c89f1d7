import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `manifest.json`: the list of a finished index's shards with their counts, sizes and
/// SHA-256, and the model and settings they were built with.
///
/// It is written once every shard exists and verifies, atomically and with sorted keys and no
/// timestamps, so that it is the same bytes whichever worker writes it and however often.
public struct Manifest: Codable, Equatable, Sendable {
    /// One shard of the index.
    public struct Shard: Codable, Equatable, Sendable {
        /// Its number, 0-based.
        public var index: Int
        /// Its file name inside the index folder.
        public var file: String
        /// Documents it holds.
        public var documents: Int
        /// Its size in bytes.
        public var bytes: Int
        /// The SHA-256 of the whole file, lowercase hex.
        public var sha256: String
    }

    /// Always `indexer-index`.
    public var format: String
    /// The manifest version (1).
    public var version: Int
    /// Shards in the index.
    public var shardCount: Int
    /// Documents in all shards.
    public var documents: Int
    /// Components a vector.
    public var dimension: Int
    /// The fingerprint of the model and pooling configuration.
    public var modelFingerprint: String
    /// The vector encoding (`f32`, `f16`, `int8`).
    public var encoding: String
    /// The block codec (`zstd`, `lz4`, `none`).
    public var codec: String
    /// The codec level.
    public var level: Int
    /// Vectors a vector block.
    public var vectorRowsPerBlock: Int
    /// Raw bytes after which an id or text block is closed.
    public var textBlockBytes: Int
    /// Other build settings, as stored in every shard header.
    public var buildSettings: String
    /// The shards, by index.
    public var shards: [Shard]
    /// The program that wrote the manifest (`indexer 0.3.0`); absent in manifests written
    /// before it was added, which still open. Informational: nothing checks or compares it.
    public var builder: String?

    /// The manifest's file name inside an index folder.
    public static let fileName = "manifest.json"

    /// Reads `DIR/manifest.json`.
    public static func load(directory: String) throws -> Manifest {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw IndexerError(.io, "no \(fileName): the index is unfinished or this is not an index folder", path: path)
        }
        let data = try InputFile.contents(path)
        let m: Manifest
        do { m = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw IndexerError(.corrupt, "unreadable manifest: \(DecodingFailure.describe(error))", path: path)
        }
        guard m.format == "indexer-index" else { throw IndexerError(.corrupt, "not an indexer manifest (format '\(m.format)')", path: path) }
        guard m.version == 1 else {
            throw IndexerError(.mismatch, "manifest version \(m.version) is not supported (this indexer reads version 1)", path: path)
        }
        return m
    }

    /// The settings every shard of this index must carry (with `shardIndex` set to `index`).
    public func settings(shardIndex index: Int) -> ShardSettings? {
        guard let enc = VectorEncoding(name: encoding), let c = BlockCodec(name: codec) else { return nil }
        return ShardSettings(
            shardIndex: index, shardCount: shardCount, dimension: dimension, encoding: enc, codec: c,
            level: level, vectorRowsPerBlock: vectorRowsPerBlock, textBlockBytes: textBlockBytes,
            modelFingerprint: modelFingerprint, buildSettings: buildSettings)
    }

    /// The manifest as written: pretty, sorted keys, trailing newline.
    public func encoded() throws -> Data {
        var d = try JSONText.encode(self, layout: .pretty, escapingSlashes: false)
        d.append(0x0A)
        return d
    }

    /// Builds the manifest of `directory` from its `shardCount` shard files.
    ///
    /// Every shard must exist, open, pass ``ShardReader/verify()`` and carry the same settings
    /// (apart from its index) as shard 0; otherwise this throws, naming the file.
    public static func make(directory: String, shardCount: Int) throws -> Manifest {
        var shards: [Shard] = []
        var first: ShardSettings?
        for i in 0..<shardCount {
            let name = ShardFormat.fileName(index: i, count: shardCount)
            let path = directory + "/" + name
            let reader = try ShardReader(path: path)
            let s = reader.header.settings
            if let f = first {
                var expected = f
                expected.shardIndex = i
                let diff = s.differences(from: expected)
                guard diff.isEmpty else {
                    throw IndexerError(.mismatch, "shard was built with other settings than shard 0: \(diff.joined(separator: "; "))", path: path)
                }
            } else {
                guard s.shardIndex == 0, s.shardCount == shardCount else {
                    throw IndexerError(.mismatch, "file is shard \(s.shardIndex) of \(s.shardCount), not 0 of \(shardCount)", path: path)
                }
                first = s
            }
            if let fault = reader.verify().first { throw fault }
            shards.append(
                Shard(
                    index: i, file: name, documents: reader.count, bytes: reader.fileSize,
                    sha256: try fileSHA256(path)))
        }
        guard let s = first else { throw IndexerError(.internal, "an index needs at least one shard") }
        return Manifest(
            format: "indexer-index", version: 1, shardCount: shardCount,
            documents: shards.reduce(0) { $0 + $1.documents }, dimension: s.dimension,
            modelFingerprint: s.modelFingerprint, encoding: s.encoding.description, codec: s.codec.description,
            level: s.level, vectorRowsPerBlock: s.vectorRowsPerBlock, textBlockBytes: s.textBlockBytes,
            buildSettings: s.buildSettings, shards: shards, builder: Manifest.builder)
    }

    /// What ``make(directory:shardCount:)`` records as the builder.
    public static let builder = "indexer \(IndexerVersion.current)"

    /// Whether the two manifests describe the same index, whichever program wrote them.
    public func sameIndex(as other: Manifest) -> Bool {
        var a = self
        a.builder = other.builder
        return a == other
    }

    /// Writes `DIR/manifest.json` atomically.
    public func write(directory: String) throws {
        try AtomicFile.write(try encoded(), to: directory + "/" + Manifest.fileName)
    }

    /// Writes `DIR/manifest.json` unless the one there describes the same index: a finished
    /// index that an older indexer wrote keeps its bytes (and so the fingerprints of job steps
    /// that read it) when only the builder would differ.
    public func writeUnlessSameIndex(directory: String) throws {
        let path = directory + "/" + Manifest.fileName
        let data = try encoded()
        guard FileManager.default.contents(atPath: path) != data else { return }
        if FileManager.default.fileExists(atPath: path), let old = try? Manifest.load(directory: directory), sameIndex(as: old) { return }
        try AtomicFile.write(data, to: path)
    }

    /// The SHA-256 of a shard file; a missing one is a damaged index (exit 1), not a bad argument.
    public static func fileSHA256(_ path: String) throws -> String {
        do { return try SHA256.hex(ofFileAt: path) } catch let e as IndexerError where e.kind == .badInput {
            throw IndexerError(.corrupt, e.message, path: path, cause: e.cause)
        }
    }
}
