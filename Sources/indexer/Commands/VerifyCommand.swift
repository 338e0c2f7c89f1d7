import Formats
import Foundation
import Lexical
import ShardStore

/// `indexer verify`: check every checksum of an index; non-zero exit on any fault.
struct VerifyCommand: Command {
    static let name = "verify"
    static let summary = "check every checksum of an index (exit 1 on any fault)"
    static let synopsis = ["verify INDEX_DIR"]
    static let options: [OptionSpec] = []
    static let operands = Operands.paths
    static let about = """
        Checks manifest.json, each shard's size and SHA-256 against it, each shard's header,
        section table, directories, every block checksum, that every block decodes, the id
        lookup, and (for an index built with --lexical) the lexical index's structure: term
        order, postings that decode to their frequencies, lengths that match the postings. Prints one line a fault on stderr and exits 1 if there is any, 0 otherwise.
        """

    let directory: String

    init(arguments: [String]) throws {
        directory = try Self.parse(arguments).onePositional("INDEX_DIR")
    }

    func run() throws {
        let report = try IndexDirectory.verify(directory, shardChecks: LexicalShardIndex.faults)
        for f in report.faults { Console.error(f.description) }
        if report.faults.isEmpty {
            print("ok: \(report.shards) shards, \(report.documents) documents, every checksum matches")
            return
        }
        let summary = "\(report.faults.count) fault\(report.faults.count == 1 ? "" : "s") in \(directory)"
        print("FAILED: " + summary)
        throw IndexerError(.corrupt, "verify found " + summary)
    }
}
