import Formats
import Foundation

/// What a finished step was made from and what it made, kept in `OUTPUT/.state/STEP.json`.
///
/// A step is skipped when its fingerprint (inputs' contents + settings + tool version) equals
/// the recorded one and every recorded output still has its recorded size and hash (re-hashed
/// only when its modification time moved, so an edit that keeps the size is still caught).
struct StepRecord: Codable, Equatable {
    static let version = 1
    var version: Int = StepRecord.version
    var step: String
    /// SHA-256 over the step name, its settings and its inputs' hashes.
    var fingerprint: String
    /// Input path → SHA-256.
    var inputs: [String: String]
    /// The settings as canonical text.
    var settings: String
    /// Output path → (size, SHA-256, modification time).
    var outputs: [String: Output]
    var finished: String

    struct Output: Codable, Equatable {
        var size: Int64
        var sha256: String
        /// Seconds since 1970 when recorded; nil in records written before it was kept.
        var mtime: Double?

        /// The output as it is on disk now.
        static func current(_ path: String) throws -> Output {
            let (size, mtime) = stat(path)
            return Output(size: size, sha256: try FileFingerprints.hashFile(path), mtime: mtime)
        }

        static func stat(_ path: String) -> (size: Int64, mtime: Double?) {
            let attrs = try? FileManager.default.attributesOfItem(atPath: path)
            return (
                (attrs?[.size] as? NSNumber)?.int64Value ?? -1,
                (attrs?[.modificationDate] as? Date)?.timeIntervalSince1970
            )
        }
    }

    static func fingerprint(step: String, settings: String, inputs: [String: String]) -> String {
        var h = SHA256()
        h.update("indexer-step-v\(version)\n\(step)\n\(settings)\n")
        for key in inputs.keys.sorted() { h.update("\(key)=\(inputs[key]!)\n") }
        return h.hexDigest()
    }

    static func load(_ path: String) -> StepRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(StepRecord.self, from: data)
    }

    func save(_ path: String) throws {
        try AtomicFile.write(try JSONText.encode(self, layout: .pretty), to: path)
    }

    /// Whether every output is still there with its recorded size and content: hashed again
    /// when its modification time differs from the recorded one (or was not recorded), or
    /// always when `deep`.
    func outputsIntact(deep: Bool) -> Bool {
        for (path, o) in outputs {
            let now = Output.stat(path)
            guard now.size == o.size else { return false }
            if deep || o.mtime == nil || now.mtime != o.mtime {
                if (try? FileFingerprints.hashFile(path)) != o.sha256 { return false }
            }
        }
        return true
    }
}
