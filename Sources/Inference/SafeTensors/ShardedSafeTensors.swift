import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sharded safetensors weights: `model.safetensors.index.json` (`weight_map`: tensor name →
/// shard file) and its shards, as `transformers` writes a large checkpoint.
///
/// The shards are checked (each as a ``SafeTensorsFile``) and their listed tensors merged,
/// in name order, into one safetensors file in the temporary directory, mapped and unlinked at
/// once: the encoders read one ``SafeTensorsFile`` whatever the layout, and nothing is left on
/// disk. (It costs the model's size in temporary space while it is open.)
enum ShardedSafeTensors {
    /// The index file name.
    static let indexName = "model.safetensors.index.json"

    /// The merged weights of the sharded checkpoint in `folder`.
    static func open(folder: String) throws -> SafeTensorsFile {
        let indexPath = folder + "/" + indexName
        guard let data = FileManager.default.contents(atPath: indexPath),
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let map = json["weight_map"] as? [String: String], !map.isEmpty
        else {
            throw IndexerError(.model, "not a safetensors index: needs a non-empty \"weight_map\" of tensor name → shard file", path: indexPath)
        }
        var shards: [String: SafeTensorsFile] = [:]
        var parts: [(String, TensorInfo, SafeTensorsFile)] = []
        for name in map.keys.sorted() {
            let shard = map[name]!
            guard !shard.contains("/"), shard.hasSuffix(".safetensors") else {
                throw IndexerError(.model, "weight_map.\(name): '\(shard)' is not a .safetensors file of this folder", path: indexPath)
            }
            if shards[shard] == nil { shards[shard] = try SafeTensorsFile(path: folder + "/" + shard) }
            guard let file = shards[shard], let info = file.tensors[name] else {
                throw IndexerError(.model, "weight_map.\(name): the tensor is not in \(shard)", path: indexPath)
            }
            parts.append((name, info, file))
        }
        let merged = try SafeTensorsBytes.write(
            parts.map { ($0.0, $0.1.dtype, $0.1.shape, $0.2.bytes($0.1)) },
            to: NSTemporaryDirectory() + "/indexer-merged-\(getpid())-\(UUID().uuidString).safetensors")
        defer { unlink(merged) }
        return try SafeTensorsFile(path: merged)
    }
}

/// Writes the safetensors format: 8-byte little-endian header length, the JSON header
/// (padded with spaces to a multiple of 8), the tensors back to back.
enum SafeTensorsBytes {
    /// Writes `tensors` to `path` and returns the path.
    static func write(_ tensors: [(String, TensorDType, [Int], UnsafeRawBufferPointer)], to path: String) throws -> String {
        var header: [String: Any] = [:]
        var offset = 0
        for (name, dtype, shape, bytes) in tensors {
            header[name] = ["dtype": dtype.rawValue, "shape": shape, "data_offsets": [offset, offset + bytes.count]]
            offset += bytes.count
        }
        var json = try JSONText.serialize(header, layout: .compact)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, _, _, bytes) in tensors { out.append(contentsOf: bytes) }
        guard FileManager.default.createFile(atPath: path, contents: out) else {
            throw IndexerError(.io, "cannot write the merged weights", path: path)
        }
        return path
    }
}
