import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files of a Hugging Face model folder that the encoders read, checked up front so
/// that a missing or damaged folder fails with one message naming the file.
struct ModelDirectory {
    let path: String
    let config: ModelConfig
    /// The family config.json's model_type names (checked before the weights are opened).
    let family: any ArchitectureFamily.Type
    let weights: SafeTensorsFile

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IndexerError(.model, "model folder does not exist", path: path)
        }
        self.path = path
        let configPath = path + "/config.json"
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw IndexerError(.model, "model folder has no config.json", path: path)
        }
        config = try ModelConfig(path: configPath)
        family = try Architectures.family(of: config)
        try family.validate(config: config)
        weights = try SafeTensorsWeights.open(folder: path)
    }

    /// The encoder of the checkpoint, built by its family.
    func encoder(precision: Precision = .fp32) throws -> any EncoderArchitecture {
        try family.encoder(config: config, weights: weights, precision: precision)
    }

    /// The sequence-classification head of the checkpoint, built by its family.
    func classificationHead(for encoder: any EncoderArchitecture) throws -> any SequenceClassificationHead {
        try family.head(config: config, weights: weights, encoder: encoder)
    }

    /// The bytes of an optional file in the folder, or nil.
    func contents(_ name: String) -> Data? {
        FileManager.default.contents(atPath: path + "/" + name)
    }

    /// A JSON object file in the folder, or nil if absent; malformed JSON is a model error.
    func jsonObject(_ name: String) throws -> [String: Any]? {
        guard let data = contents(name) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else {
            throw IndexerError(.model, "not a valid JSON object", path: path + "/" + name)
        }
        return dict
    }

    /// SHA-256 hex of model.safetensors (hashed from the mapping, so it cannot fail),
    /// remembered per (path, size, mtime, inode) for the life of the process: hashing 90 MB
    /// costs a noticeable fraction of a second.
    func weightsDigest() -> String {
        if let known = DigestCache.shared.get(weights.identity) { return known }
        var hasher = SHA256()
        let bytes = weights.fileBytes
        var offset = 0
        while offset < bytes.count {
            let n = min(1 << 22, bytes.count - offset)
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
            offset += n
        }
        let hex = hasher.hexDigest()
        DigestCache.shared.set(weights.identity, hex)
        return hex
    }
}

/// Process-wide memo of weight digests.
final class DigestCache: @unchecked Sendable {
    static let shared = DigestCache()
    private var values: [String: String] = [:]
    private let lock = NSLock()
    func get(_ key: String) -> String? { lock.lock(); defer { lock.unlock() }; return values[key] }
    func set(_ key: String, _ value: String) { lock.lock(); values[key] = value; lock.unlock() }
}

extension ModelDirectory {
    /// sha256 hex over the weights digest, config.json, the tokenizer files, `extraFiles`
    /// and `settings`: what decides the numbers an encoder produces.
    func fingerprint(kind: String, extraFiles: [String], settings: String) -> String {
        var h = SHA256()
        h.update("indexer-\(kind)-v1\n")
        h.update("weights-sha256 \(weightsDigest())\n")
        for name in ["config.json", "tokenizer.json", "vocab.txt"] + extraFiles {
            let data = contents(name) ?? Data()
            h.update("\(name) \(data.count)\n")
            h.update(Array(data))
        }
        h.update(settings)
        return h.hexDigest()
    }
}
