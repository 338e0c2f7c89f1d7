/// The indexer's version, printed by `indexer --version` and written into the run log.
///
/// Semantic versioning: the minor number moves with every landed wave of features, the patch
/// number with fixes; formats that last (shards, manifest, job files) carry their own versions.
public enum IndexerVersion {
    /// `MAJOR.MINOR.PATCH`.
    public static let current = "0.3.0"
}
