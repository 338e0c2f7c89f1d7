import Formats
import Foundation

/// Library entry points over a whole index folder: `verify` and `inspect`.
public enum IndexDirectory {
    /// The result of ``verify(_:)``.
    public struct VerifyReport: Sendable {
        /// Shards checked.
        public var shards: Int
        /// Documents in the shards that opened.
        public var documents: Int
        /// Every fault found; empty means the index is sound.
        public var faults: [IndexerError]
    }

    /// Checks the manifest, every shard's SHA-256 and size against it, every shard's settings
    /// against it, and every checksum inside every shard. Never throws for a fault in the
    /// index: faults are collected in the report. `shardChecks` adds checks of sections this
    /// module does not interpret (the lexical index), run on every shard whose blocks are sound.
    public static func verify(_ directory: String, shardChecks: ((ShardReader) -> [IndexerError])? = nil) throws -> VerifyReport {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw IndexerError(.usage, "no such index folder", path: directory)
        }
        var faults: [IndexerError] = []
        var docs = 0
        let manifest: Manifest
        do { manifest = try Manifest.load(directory: directory) } catch let e as IndexerError {
            return VerifyReport(shards: 0, documents: 0, faults: [e])
        }
        let mpath = directory + "/" + Manifest.fileName
        // The opening rules are OpenIndex's; verify reports every fault instead of the first.
        faults += OpenIndex.manifestFaults(manifest, path: mpath)
        for entry in manifest.shards where entry.file == ShardFormat.fileName(index: entry.index, count: manifest.shardCount) {
            let path = directory + "/" + entry.file
            let reader: ShardReader
            do { reader = try ShardReader(path: path) } catch let e as IndexerError {
                faults.append(e)
                continue
            }
            docs += reader.count
            faults += OpenIndex.shardFaults(reader, entry: entry, manifest: manifest)
            let shardFaults = reader.verify()
            faults.append(contentsOf: shardFaults)
            if shardFaults.isEmpty, let extra = shardChecks { faults.append(contentsOf: extra(reader)) }
            do {
                let sha = try Manifest.fileSHA256(path)
                if sha != entry.sha256 { faults.append(IndexerError(.corrupt, "SHA-256 \(sha) differs from the manifest's \(entry.sha256)", path: path)) }
            } catch let e as IndexerError { faults.append(e) }
        }
        if docs != manifest.documents && faults.isEmpty {
            faults.append(IndexerError(.corrupt, "shards hold \(docs) documents, the manifest says \(manifest.documents)", path: mpath))
        }
        return VerifyReport(shards: manifest.shards.count, documents: docs, faults: faults)
    }

    /// A plain-text report of an index: documents, shards, bytes, bytes per document and
    /// compression ratio per section.
    public static func inspect(_ directory: String) throws -> String {
        let manifest = try Manifest.load(directory: directory)
        var totals: [String: SectionStats] = [:]
        var order: [String] = []
        var lines: [String] = []
        var bytes = 0
        for entry in manifest.shards {
            let reader = try ShardReader(path: directory + "/" + entry.file)
            bytes += reader.fileSize
            lines.append(
                String(
                    format: "  %@  %d documents  %d bytes  %.1f bytes/document", entry.file, reader.count,
                    reader.fileSize, reader.count > 0 ? Double(reader.fileSize) / Double(reader.count) : 0))
            for s in reader.sectionStats() {
                if totals[s.name] == nil { order.append(s.name); totals[s.name] = SectionStats(name: s.name, storedBytes: 0, rawBytes: 0, blocks: 0) }
                totals[s.name]!.storedBytes += s.storedBytes
                totals[s.name]!.rawBytes += s.rawBytes
                totals[s.name]!.blocks += s.blocks
            }
        }
        let docs = manifest.documents
        func perDoc(_ b: Int) -> Double { docs > 0 ? Double(b) / Double(docs) : 0 }
        var out = "index \(directory)\n"
        out += "documents \(docs)  shards \(manifest.shardCount)  dimension \(manifest.dimension)\n"
        out +=
            "vectors \(manifest.encoding)  codec \(manifest.codec) (level \(manifest.level))  vector block \(manifest.vectorRowsPerBlock) rows  text block \(manifest.textBlockBytes) bytes\n"
        out += "model \(manifest.modelFingerprint)\n"
        out += "builder \(manifest.builder ?? "unknown (written before manifests named their builder)")\n"
        if !manifest.buildSettings.isEmpty { out += "build \(manifest.buildSettings)\n" }
        out += String(format: "bytes %d  (%.1f bytes/document)\n", bytes, perDoc(bytes))
        let f32 = docs * manifest.dimension * 4
        out += String(format: "raw float32 vectors would be %d bytes (%.1f bytes/document)\n", f32, perDoc(f32))
        out += "\n" + pad("section", 14) + lpad("stored", 12) + lpad("raw", 12) + lpad("ratio", 8) + lpad("bytes/doc", 11) + lpad("blocks", 8) + "\n"
        for name in order {
            let s = totals[name]!
            let ratio = s.storedBytes > 0 ? Double(s.rawBytes) / Double(s.storedBytes) : 1
            out +=
                pad(name, 14) + lpad("\(s.storedBytes)", 12) + lpad("\(s.rawBytes)", 12)
                + lpad(String(format: "%.2f", ratio), 8) + lpad(String(format: "%.1f", perDoc(s.storedBytes)), 11)
                + lpad(s.blocks > 0 ? "\(s.blocks)" : "-", 8) + "\n"
        }
        out += "\nshards:\n" + lines.joined(separator: "\n") + "\n"
        return out
    }

    private static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
