import Formats
import Foundation

/// A finished index folder, opened once with every check a reader needs.
///
/// ``open(_:shards:)`` is the one place the opening rules live (search, BM25, rerank texts and
/// the build's resume all go through it): the manifest parses and is version 1; it lists
/// exactly `shardCount` shards, numbered 0..<N in order, each under its canonical file name
/// inside the folder; its encoding and codec are known; and every opened shard carries the
/// manifest's settings (its own index included) and the document count the manifest gives.
/// A swapped, foreign or truncated shard is named as such, never taken for part of the index.
public struct OpenIndex: Sendable {
    /// The index folder.
    public let directory: String
    /// Its manifest.
    public let manifest: Manifest
    /// The opened shards, by shard index (only those asked for are opened).
    public let readers: [Int: ShardReader]

    /// The path of the manifest.
    public var manifestPath: String { directory + "/" + Manifest.fileName }

    /// Every shard index of the index, ascending.
    public var shardIndices: [Int] { Array(0..<manifest.shardCount) }

    /// The opened readers in ascending shard order.
    public var orderedReaders: [ShardReader] { readers.keys.sorted().map { readers[$0]! } }

    /// Which shards ``open(_:shards:)`` opens.
    public enum Selection: Sendable {
        /// Every shard.
        case all
        /// Only these shard indices (each must be a shard of the index).
        case only([Int])
        /// None: the manifest alone is checked (shards are opened later with ``reader(_:)``).
        case none
    }

    /// Opens `directory`: checks the manifest, then opens and checks the selected shards.
    public static func open(_ directory: String, shards selection: Selection = .all) throws -> OpenIndex {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw IndexerError(.badInput, "no such index folder", path: directory)
        }
        guard isDir.boolValue else { throw IndexerError(.badInput, "is a file, not an index folder", path: directory) }
        let manifest = try Manifest.load(directory: directory)
        let index = OpenIndex(directory: directory, manifest: manifest, readers: [:])
        try index.checkManifest()
        let wanted: [Int]
        switch selection {
        case .all: wanted = index.shardIndices
        case .none: wanted = []
        case .only(let ids):
            for id in ids where !(0..<manifest.shardCount).contains(id) {
                throw IndexerError(.usage, "shard \(id) is not in the index (shards 0...\(manifest.shardCount - 1))", path: directory)
            }
            wanted = ids
        }
        var readers: [Int: ShardReader] = [:]
        for id in wanted { readers[id] = try index.reader(id) }
        return OpenIndex(directory: directory, manifest: manifest, readers: readers)
    }

    /// Throws the first of ``manifestFaults(_:path:)``.
    private func checkManifest() throws {
        if let fault = OpenIndex.manifestFaults(manifest, path: manifestPath).first { throw fault }
    }

    /// Every way `manifest` is inconsistent in itself: shard list, numbering, SHA-256 form,
    /// file names, document total, encoding and codec. Empty when it can be opened.
    public static func manifestFaults(_ m: Manifest, path manifestPath: String) -> [IndexerError] {
        guard m.shardCount >= 1 else { return [IndexerError(.corrupt, "manifest gives a shard count of \(m.shardCount)", path: manifestPath)] }
        var faults: [IndexerError] = []
        if m.shards.count != m.shardCount {
            faults.append(
                IndexerError(
                    .corrupt, "manifest lists \(m.shards.count) shards for a count of \(m.shardCount); the index is incomplete or the manifest was edited",
                    path: manifestPath))
        }
        for (i, s) in m.shards.enumerated() {
            guard s.index == i else {
                faults.append(IndexerError(.corrupt, "manifest lists shard \(s.index) in place \(i)", path: manifestPath))
                continue
            }
            if !(s.sha256.utf8.count == 64 && s.sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })) {
                faults.append(IndexerError(.corrupt, "manifest gives shard \(i) the SHA-256 '\(s.sha256)', not 64 hex digits", path: manifestPath))
            }
            let canonical = ShardFormat.fileName(index: i, count: m.shardCount)
            if s.file != canonical {
                faults.append(IndexerError(.corrupt, "manifest names shard \(i) '\(s.file)', not '\(canonical)'", path: manifestPath))
            }
        }
        let total = m.shards.reduce(0) { $0 + $1.documents }
        if total != m.documents || !m.shards.allSatisfy({ $0.documents >= 0 && $0.bytes >= 0 }) {
            faults.append(IndexerError(.corrupt, "manifest's shards hold \(total) documents, its total says \(m.documents)", path: manifestPath))
        }
        if m.settings(shardIndex: 0) == nil {
            faults.append(IndexerError(.corrupt, "manifest names an unknown vector encoding '\(m.encoding)' or codec '\(m.codec)'", path: manifestPath))
        }
        return faults
    }

    /// Opens shard `id` and checks it against the manifest (settings, index, document count).
    public func reader(_ id: Int) throws -> ShardReader {
        if let r = readers[id] { return r }
        let entry = manifest.shards[id]
        let r = try ShardReader(path: directory + "/" + entry.file)
        if let fault = OpenIndex.shardFaults(r, entry: entry, manifest: manifest).first { throw fault }
        return r
    }

    /// Every way the opened shard `r` disagrees with its manifest `entry`: settings (its own
    /// index included), document count and size. The SHA-256, a whole read, is `verify`'s.
    public static func shardFaults(_ r: ShardReader, entry: Manifest.Shard, manifest: Manifest) -> [IndexerError] {
        var faults: [IndexerError] = []
        let id = entry.index
        if let expected = manifest.settings(shardIndex: id) {
            let diff = r.header.settings.differences(from: expected)
            if r.header.settings.shardIndex != id, diff.count == 1 {
                faults.append(
                    IndexerError(
                        .corrupt, "the file holds shard index \(r.header.settings.shardIndex), not \(id): shard files were swapped or copied over each other",
                        path: r.path))
            } else if !diff.isEmpty {
                faults.append(IndexerError(.mismatch, "shard settings differ from the manifest: \(diff.joined(separator: "; "))", path: r.path))
            }
        }
        if r.count != entry.documents {
            faults.append(IndexerError(.corrupt, "\(r.count) documents, the manifest says \(entry.documents)", path: r.path))
        }
        if r.fileSize != entry.bytes {
            faults.append(IndexerError(.corrupt, "size \(r.fileSize) bytes, the manifest says \(entry.bytes)", path: r.path))
        }
        return faults
    }
}
