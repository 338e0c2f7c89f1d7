import Formats
import Foundation
import ShardStore

/// `indexer inspect`: documents, shards, bytes and compression per section of an index.
struct InspectCommand: Command {
    static let name = "inspect"
    static let summary = "print an index's documents, shards, bytes and compression per section"
    static let synopsis = ["inspect INDEX_DIR"]
    static let options: [OptionSpec] = []
    static let operands = Operands.paths
    static let about = """
        Prints documents, shards, total bytes, bytes per document, and stored bytes, raw bytes,
        compression ratio and bytes per document for each section (vectors, ids, texts, ...).
        """

    let directory: String

    init(arguments: [String]) throws {
        directory = try Self.parse(arguments).onePositional("INDEX_DIR")
    }

    func run() throws {
        try StandardOutput.write(try IndexDirectory.inspect(directory))
    }
}
