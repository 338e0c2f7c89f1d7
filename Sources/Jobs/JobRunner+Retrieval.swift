import Foundation
import Formats
import Indexing

extension JobRunner {
    static func applyLexical(_ options: inout BuildOptions, _ lexical: Bool) throws {
        if lexical {
            throw IndexerError(.badInput, "index.lexical: this build of indexer cannot add a lexical index to shards yet")
        }
    }

    func searchPlan() throws -> Plan? {
        throw IndexerError(.internal, "the search step is not wired into jobs yet")
    }

    func rerankPlan() throws -> Plan? {
        guard spec.rerank != nil else { return nil }
        throw IndexerError(.internal, "the rerank step is not wired into jobs yet")
    }
}
