import Formats
import Foundation
import ShardStore

/// Document text from an index folder's shards.
///
/// A document's shard follows from its id alone (``ShardStore/DocumentKey/shard(of:count:)``,
/// the rule the build uses), then the shard's id table gives its row. Rows are read in
/// ascending order per shard, so each compressed text block is decoded once (the reader keeps
/// the last block).
public final class ShardTextSource: DocumentTextSource {
    /// The index folder.
    public let directory: String
    private let index: OpenIndex
    private var manifest: Manifest { index.manifest }

    /// Opens and checks the index folder (``ShardStore/OpenIndex``): its manifest now, each
    /// shard, with the same checks as search, when texts are asked for.
    public init(directory: String) throws {
        self.directory = directory
        index = try OpenIndex.open(directory, shards: .none)
    }

    /// "index DIR".
    public var description: String { "index \(directory)" }

    /// The ids the index holds and the wanted texts (only their blocks are decoded).
    public func lookup(_ ids: Set<String>, texts wanted: Set<String>) throws -> DocumentLookup {
        let n = manifest.shardCount
        var byShard = [[String]](repeating: [], count: n)
        for id in ids { byShard[DocumentKey.shard(of: id, count: n)].append(id) }
        var out: [String: String] = [:]
        out.reserveCapacity(wanted.count)
        var present = Set<String>()
        present.reserveCapacity(ids.count)
        for shard in manifest.shards {
            let asked = byShard[shard.index]
            if asked.isEmpty { continue }
            let reader = try index.reader(shard.index)
            var rows: [(row: Int, id: String)] = []
            rows.reserveCapacity(asked.count)
            for id in asked {
                guard let row = try reader.row(forID: id) else { continue }
                present.insert(id)
                if wanted.contains(id) { rows.append((row, id)) }
            }
            rows.sort { $0.row < $1.row }
            for r in rows { out[r.id] = try reader.text(row: r.row) }
        }
        return DocumentLookup(present: present, texts: out)
    }
}
