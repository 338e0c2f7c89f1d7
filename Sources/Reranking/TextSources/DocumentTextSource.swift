import Formats
import Foundation

/// Where the rerank job gets document text from: index shards or a corpus file.
///
/// The job asks once for every document it will score, so a source can read in the order
/// that suits its storage (shard by shard, block by block; or one pass over a corpus).
public protocol DocumentTextSource {
    /// A short description for messages ("index DIR", "corpus FILE").
    var description: String { get }
    /// Which of `ids` the source holds, and the text of those of them in `wanted` (a subset
    /// of `ids`). The text is what the bi-encoder embedded: `title + " " + text`, stripped.
    func lookup(_ ids: Set<String>, texts wanted: Set<String>) throws -> DocumentLookup
}

/// Opens the text source a `--docs` argument names: an index folder (it holds
/// `manifest.json`) or a corpus file (BEIR JSON lines or TSV, plain or gzipped).
public enum DocumentTextSources {
    /// The source for `path`.
    public static func open(_ path: String) throws -> DocumentTextSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IndexerError(.io, "no such index folder or corpus file", path: path)
        }
        if isDirectory.boolValue { return try ShardTextSource(directory: path) }
        return CorpusTextSource(path: path)
    }
}

/// What a ``DocumentTextSource`` found.
public struct DocumentLookup {
    /// The asked-for ids the source holds.
    public var present: Set<String>
    /// The texts of the wanted ids it holds.
    public var texts: [String: String]

    /// Creates a result.
    public init(present: Set<String>, texts: [String: String]) {
        self.present = present
        self.texts = texts
    }
}
