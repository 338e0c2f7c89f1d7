import Formats
import Foundation

/// Turns a `--model` value (or a job file's model key) into a local model folder: a folder
/// as given, or `hf:ORG/NAME[@REV]` from the Hugging Face cache, downloaded when missing
/// (``HubDownloader``). Every command that takes a model uses this one resolver.
public struct ModelResolver {
    /// The environment the Hub settings are read from.
    public var environment: [String: String]

    /// A resolver reading `environment` (by default the process environment).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Whether `model` names a Hub repository rather than a folder.
    public static func isHubReference(_ model: String) -> Bool {
        model.hasPrefix(HubReference.scheme)
    }

    /// The local folder for `model`.
    public func resolve(_ model: String) throws -> String {
        guard let ref = try HubReference(parsing: model) else { return model }
        return try HubDownloader(environment: environment).resolve(ref)
    }
}
