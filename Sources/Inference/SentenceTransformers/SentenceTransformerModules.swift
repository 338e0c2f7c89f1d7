import Formats
import Foundation

/// What follows pooling in a sentence-transformers pipeline, applied in `modules.json` order.
public enum VectorStep: Sendable {
    /// A Dense module: a linear layer and its activation.
    case dense(DenseLayer)
    /// A Normalize module: v / max(‖v‖, 1e-12).
    case normalize
}

/// A bi-encoder folder's modules as sentence-transformers reads them: `modules.json`
/// (Transformer, Pooling, then Dense and Normalize in order), `sentence_bert_config.json` and
/// the pooling config, in the classic layout (`sentence_transformers.models.Pooling`,
/// `pooling_mode_*_tokens` booleans) and the one sentence-transformers 6 writes
/// (`sentence_transformers.base.modules.…`, `pooling_mode`, `embedding_dimension`).
///
/// A folder without `modules.json` is what sentence-transformers makes of a bare Hugging Face
/// model: the transformer and mean pooling over `1_Pooling/config.json` when present, no
/// normalisation.
public struct SentenceTransformerModules: Sendable {
    /// The transformer's subfolder ("" for the folder itself).
    public var transformerPath: String
    /// The Pooling module.
    public var pooling: PoolingConfig
    /// Its folder, relative to the model folder (nil when there is no pooling config file).
    public var poolingPath: String?
    /// Dense and Normalize modules after pooling, in order.
    public var steps: [VectorStep]
    /// `max_seq_length` from the transformer's `sentence_bert_config.json`, if given.
    public var maxSequenceLength: Int?
    /// Files (relative to the model folder) that define the pipeline beyond the transformer.
    public var files: [String]

    /// Whether a Normalize module is present.
    public var normalises: Bool { steps.contains { if case .normalize = $0 { return true } else { return false } } }

    /// The module kinds this reader implements, by the last component of their type name.
    static let kinds = ["Transformer", "Pooling", "Dense", "Normalize"]

    /// Reads the pipeline of the model folder `directory`.
    public static func load(directory: String) throws -> SentenceTransformerModules {
        let modulesPath = directory + "/modules.json"
        guard let data = FileManager.default.contents(atPath: modulesPath) else {
            return try bare(directory: directory)
        }
        guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw IndexerError(.model, "modules.json must be a list of module objects", path: modulesPath)
        }
        let ordered = list.sorted { (($0["idx"] as? NSNumber)?.intValue ?? 0) < (($1["idx"] as? NSNumber)?.intValue ?? 0) }
        var result = SentenceTransformerModules(
            transformerPath: "", pooling: .mean, poolingPath: nil, steps: [],
            maxSequenceLength: nil, files: ["modules.json"])
        var seen: [String] = []
        for entry in ordered {
            guard let type = entry["type"] as? String, let path = entry["path"] as? String else {
                throw IndexerError(.model, "a module lacks its \"type\" or \"path\"", path: modulesPath)
            }
            let kind = try moduleKind(type, modulesPath: modulesPath)
            try checkOrder(kind, after: seen, modulesPath: modulesPath)
            seen.append(kind)
            let folder = path.isEmpty ? directory : directory + "/" + path
            try checkRelative(path, modulesPath: modulesPath)
            switch kind {
            case "Transformer":
                result.transformerPath = path
                let name = path.isEmpty ? "sentence_bert_config.json" : path + "/sentence_bert_config.json"
                result.maxSequenceLength = try maxSequenceLength(directory + "/" + name)
                result.files.append(name)
            case "Pooling":
                let name = path.isEmpty ? "config.json" : path + "/config.json"
                let config = try jsonObject(directory + "/" + name) ?? [:]
                result.pooling = try PoolingConfig(json: config, path: directory + "/" + name)
                result.poolingPath = path
                result.files.append(name)
            case "Dense":
                var layer = try DenseLayer(folder: folder)
                layer.path = path
                result.steps.append(.dense(layer))
                result.files += layer.files.map { path + "/" + $0 }
            default:
                result.steps.append(.normalize)
            }
        }
        guard seen.contains("Pooling") else {
            throw IndexerError(.model, "modules.json has no Pooling module: a bi-encoder needs one", path: modulesPath)
        }
        return result
    }

    /// The pipeline of a folder without modules.json.
    static func bare(directory: String) throws -> SentenceTransformerModules {
        var pooling = PoolingConfig.mean
        var poolingPath: String?
        var files = ["sentence_bert_config.json"]
        if let json = try jsonObject(directory + "/1_Pooling/config.json") {
            pooling = try PoolingConfig(json: json, path: directory + "/1_Pooling/config.json")
            poolingPath = "1_Pooling"
            files.append("1_Pooling/config.json")
        }
        return SentenceTransformerModules(
            transformerPath: "", pooling: pooling, poolingPath: poolingPath, steps: [],
            maxSequenceLength: try maxSequenceLength(directory + "/sentence_bert_config.json"),
            files: files)
    }

    /// "Transformer", "Pooling", "Dense" or "Normalize" for a sentence-transformers type name.
    static func moduleKind(_ type: String, modulesPath: String) throws -> String {
        let last = String(type.split(separator: ".").last ?? "")
        guard type.hasPrefix("sentence_transformers."), kinds.contains(last) else {
            throw IndexerError(
                .model, "module type '\(type)' is not supported (only sentence-transformers' \(kinds.joined(separator: ", ")))",
                path: modulesPath)
        }
        return last
    }

    /// Transformer first, one Pooling after it, then Dense and Normalize modules.
    static func checkOrder(_ kind: String, after seen: [String], modulesPath: String) throws {
        let ok: Bool
        switch kind {
        case "Transformer": ok = seen.isEmpty
        case "Pooling": ok = seen == ["Transformer"]
        default: ok = seen.contains("Pooling")
        }
        guard ok else {
            throw IndexerError(
                .model, "module \(kind) after [\(seen.joined(separator: ", "))]: expected Transformer, Pooling, then Dense/Normalize modules",
                path: modulesPath)
        }
    }

    /// A module path must stay inside the model folder.
    static func checkRelative(_ path: String, modulesPath: String) throws {
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw IndexerError(.model, "module path '\(path)' leaves the model folder", path: modulesPath)
        }
    }

    /// `max_seq_length` of a sentence_bert_config.json, nil when the file or key is absent.
    static func maxSequenceLength(_ path: String) throws -> Int? {
        guard let json = try jsonObject(path), let value = json["max_seq_length"], !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, n.intValue >= 1 else {
            throw IndexerError(.model, "max_seq_length must be a positive whole number, not \(value)", path: path)
        }
        return n.intValue
    }

    /// A JSON object file, nil when absent; anything else than an object is a model error.
    static func jsonObject(_ path: String) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw IndexerError(.model, "not a valid JSON object", path: path)
        }
        return object
    }
}
