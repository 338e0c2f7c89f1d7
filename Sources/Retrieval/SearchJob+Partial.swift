import Formats
import Foundation
import ShardStore

extension SearchJob {
    /// Writes the ``PartialSidecar`` of a `--shard-id` search's run (after the run is complete),
    /// or removes a stale one left beside a whole-index run of the same name.
    static func writePartialSidecar(_ options: SearchOptions, manifest: Manifest) throws {
        let out = options.outPath
        guard out != "-", InputFile.isRegularFile(out) else { return }
        guard let shard = options.shardID else {
            let stale = PartialSidecar.path(for: out)
            if unlink(stale) != 0 && errno != ENOENT { throw IndexerError.io("cannot remove a stale sidecar", path: stale) }
            return
        }
        let sidecar = PartialSidecar(
            index: try SHA256.hex(ofFileAt: options.indexDirectory + "/" + Manifest.fileName),
            model: manifest.modelFingerprint, shard: shard, shards: manifest.shardCount,
            queries: try PartialSidecar.queryDigest(queries: options.queriesPath, qrels: options.qrelsPath),
            retriever: options.retriever.rawValue, topN: options.topN,
            runSHA256: try SHA256.hex(ofFileAt: out))
        try sidecar.write(besideRun: out)
    }
}
