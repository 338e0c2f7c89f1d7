import Formats
import Foundation

/// A model on the Hugging Face Hub: `hf:ORG/NAME[@REVISION]` (revision `main` when absent).
public struct HubReference: Sendable, Equatable {
    /// `ORG/NAME` (or a bare `NAME` for the Hub's old top-level models).
    public var repository: String
    /// A branch, tag or 40-hex commit.
    public var revision: String

    /// The prefix that marks a Hub reference in `--model`.
    public static let scheme = "hf:"

    /// Parses `hf:ORG/NAME[@REVISION]`; nil when `text` does not start with `hf:`.
    public init?(parsing text: String) throws {
        guard text.hasPrefix(HubReference.scheme) else { return nil }
        let body = String(text.dropFirst(HubReference.scheme.count))
        let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        repository = String(parts[0])
        revision = parts.count > 1 ? String(parts[1]) : "main"
        let names = repository.split(separator: "/", omittingEmptySubsequences: false)
        let nameOK =
            names.count >= 1 && names.count <= 2
            && names.allSatisfy { n in
                !n.isEmpty && n != "." && n != ".." && n.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            }
        guard nameOK else {
            throw IndexerError(.usage, "'\(text)' is not a Hub model: expected hf:ORG/NAME or hf:ORG/NAME@REVISION")
        }
        let revisionOK =
            !revision.isEmpty && !revision.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
            && revision.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }
        guard revisionOK else {
            throw IndexerError(.usage, "'\(revision)' is not a usable revision in '\(text)' (a branch, tag or commit)")
        }
    }

    /// Creates a reference.
    public init(repository: String, revision: String = "main") {
        self.repository = repository
        self.revision = revision
    }

    /// True when the revision is a full commit hash (its files can never change).
    public var revisionIsCommit: Bool {
        revision.count == 40 && revision.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// The cache folder name the Hub's own client uses: `models--ORG--NAME`.
    public var cacheFolderName: String {
        "models--" + repository.replacingOccurrences(of: "/", with: "--")
    }

    /// `hf:ORG/NAME@REVISION`.
    public var description: String { "hf:\(repository)@\(revision)" }
}
