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

    /// The pair length a model folder is meant for (``Inference/CrossEncoder/declaredMaxLength(modelDirectory:)``).
    public static func declaredMaxLength(modelDirectory dir: String) throws -> Int {
        try CrossEncoder.declaredMaxLength(modelDirectory: dir)
    }

    /// The interpolation weight a model folder recommends (``ScoreInterpolation``): config.json's
    /// `indexer_interpolate`, 0 when absent. The default reranker declares the weight chosen on
    /// its held-out training queries; a Hugging Face cross-encoder declares none and is used alone.
    public static func declaredInterpolation(modelDirectory dir: String) throws -> Double {
        try CrossEncoder.declaredInterpolation(modelDirectory: dir)
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
