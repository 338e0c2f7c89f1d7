import Formats
import Foundation

/// Paths and loaders for the golden files made by scripts/reference/eval_golden.py (pytrec_eval).
enum Golden {
    static var folder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden") }

    static func path(_ rel: String) -> String { folder.appendingPathComponent(rel).path }

    /// A JSON file (plain or gzipped) as a dictionary.
    static func json(_ rel: String) throws -> [String: Any] {
        let lines = try LineReader(path: path(rel))
        var bytes: [UInt8] = []
        while let l = try lines.nextLine() { bytes += l; bytes.append(0x0A) }
        return try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
    }

    /// The package root (three levels above this file).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/data/REL`, or nil when absent.
    static func sharedData(_ rel: String) -> String? {
        let candidates = [packageRoot.appendingPathComponent("../shared/data/" + rel).standardized.path, "/work/shared/data/" + rel]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Our metric names used in the golden files, in a fixed order.
    static let metricNames = ["ndcg@10", "ndcg@5", "ndcg", "recall@100", "recall@10", "p@10", "map", "map@10", "mrr", "mrr@10"]
}
