import Formats
import Foundation
import Inference

/// Finds the model folder a `--model` value names.
public enum RerankModel {
    /// The committed default reranker, relative to the package root.
    public static let defaultFolder = "models/indexer-reranker-minilm-l6"

    /// The local folder for `model`: `hf:ORG/NAME[@REV]` (downloaded or cached), a folder, or
    /// nil for the default reranker.
    public static func resolve(_ model: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let model else { return try defaultDirectory() }
        return try ModelResolver(environment: environment).resolve(model)
    }

    /// The pair length a model folder is meant for: `tokenizer_config.json`'s
    /// `model_max_length` (what `transformers` and sentence-transformers truncate to), capped
    /// by `config.json`'s `max_position_embeddings`; 512 (so capped) when it is absent or is the
    /// "no limit" placeholder. A model trained on short pairs is thus scored as it was trained.
    public static func declaredMaxLength(modelDirectory dir: String) throws -> Int {
        let positions = (try object("config.json", in: dir)?["max_position_embeddings"] as? NSNumber)?.intValue ?? 512
        var length = 512
        if let declared = (try object("tokenizer_config.json", in: dir)?["model_max_length"] as? NSNumber)?.doubleValue,
            declared >= 3, declared <= 1_000_000
        {
            length = Int(declared)
        }
        return min(length, positions)
    }

    /// The interpolation weight a model folder recommends (``ScoreInterpolation``):
    /// `config.json`'s `indexer_interpolate`, 0 when absent (other tools ignore the key).
    /// The default reranker declares the weight chosen on its held-out training queries; a
    /// Hugging Face cross-encoder declares none and is used alone.
    public static func declaredInterpolation(modelDirectory dir: String) throws -> Double {
        guard let value = try object("config.json", in: dir)?["indexer_interpolate"] else { return 0 }
        guard let n = value as? NSNumber, (0...1).contains(n.doubleValue) else {
            throw IndexerError(
                .model, "indexer_interpolate must be a number between 0 and 1, not \(value)",
                path: dir + "/config.json")
        }
        return n.doubleValue
    }

    private static func object(_ name: String, in dir: String) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: dir + "/" + name) else { return nil }
        guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IndexerError(.model, "not a valid JSON object", path: dir + "/" + name)
        }
        return o
    }

    /// The default reranker: `models/indexer-reranker-minilm-l6` under the current folder,
    /// else under the package root the executable was built in.
    public static func defaultDirectory() throws -> String {
        var candidates = [FileManager.default.currentDirectoryPath + "/" + defaultFolder]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.path + "/Package.swift") {
                candidates.append(dir.path + "/" + defaultFolder)
                break
            }
            dir = dir.deletingLastPathComponent()
        }
        for c in candidates where FileManager.default.fileExists(atPath: c + "/config.json") { return c }
        throw IndexerError(
            .model,
            "the default reranker is missing (looked for \(candidates.joined(separator: ", "))); run scripts/setup from the package root, or give --model DIR or --model hf:ORG/NAME"
        )
    }
}
