import Formats
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Fetches a model repository from a Hugging Face Hub endpoint into the cache layout
/// `huggingface_hub` writes, so that either tool reads the other's downloads:
///
/// ```
/// CACHE/models--ORG--NAME/blobs/<etag>                      file contents
/// CACHE/models--ORG--NAME/snapshots/<commit>/<file>         relative symlink to ../../blobs/<etag>
/// CACHE/models--ORG--NAME/refs/<revision>                   the commit
/// ```
///
/// The file list comes from `{endpoint}/api/models/{repo}/revision/{revision}` (its `sha` is
/// the commit); files come from `{endpoint}/{repo}/resolve/{commit}/{file}`, redirects
/// followed. A file's blob is named by its `X-Linked-Etag` (else `ETag`) header; the body is
/// written to `blobs/<etag>.incomplete`, checked (size, and SHA-256 when the etag is one) and
/// renamed. Only the files an encoder reads are fetched (JSON, text, safetensors, tokenizer
/// models; no PyTorch, ONNX or TensorFlow weights).
///
/// Environment, as `huggingface_hub` reads it: `HF_ENDPOINT` (default
/// `https://huggingface.co`); `HF_HUB_CACHE`, else `HUGGINGFACE_HUB_CACHE`, else
/// `HF_HOME/hub`, else `XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (a
/// leading `~` expanded); `HF_HUB_OFFLINE=1` or `TRANSFORMERS_OFFLINE=1` uses the cache only,
/// and an unreachable Hub falls back to a cached snapshot with a warning; `HF_TOKEN`, else the
/// file `HF_HOME/token` (default `~/.cache/huggingface/token`), is sent as a bearer token to
/// the endpoint's host only.
public struct HubDownloader {
    /// The Hub endpoint, without a trailing slash.
    public var endpoint: String
    /// The cache root (`.../hub`).
    public var cacheRoot: String
    /// Never touch the network.
    public var offline: Bool
    /// Bearer token for private or gated models.
    public var token: String?
    /// Seconds before a request without progress fails.
    public var timeout: TimeInterval = 60

    /// Settings from `environment` (by default the process environment).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var e = value("HF_ENDPOINT") ?? "https://huggingface.co"
        while e.hasSuffix("/") { e.removeLast() }
        endpoint = e
        let home = value("HOME") ?? NSHomeDirectory()
        // huggingface_hub expands a leading ~ in these paths (os.path.expanduser).
        func path(_ name: String) -> String? {
            value(name).map { $0 == "~" || $0.hasPrefix("~/") ? home + $0.dropFirst() : $0 }
        }
        let hfHome = path("HF_HOME") ?? ((path("XDG_CACHE_HOME") ?? home + "/.cache") + "/huggingface")
        cacheRoot = path("HF_HUB_CACHE") ?? path("HUGGINGFACE_HUB_CACHE") ?? hfHome + "/hub"
        let truthy = ["1", "ON", "YES", "TRUE"]
        offline = ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"].contains { truthy.contains((environment[$0] ?? "").uppercased()) }
        token =
            value("HF_TOKEN")
            ?? FileManager.default.contents(atPath: hfHome + "/token")
            .flatMap { String(data: $0, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The repository's cache folder.
    public func repositoryFolder(_ ref: HubReference) -> String {
        cacheRoot + "/" + ref.cacheFolderName
    }

    /// The local folder holding `ref`'s files, downloading them unless they are cached.
    ///
    /// A commit revision already in the cache is used without the network; a branch or tag
    /// is looked up on the Hub (it may have moved) unless offline.
    public func resolve(_ ref: HubReference) throws -> String {
        HubDownloader.sweepIncomplete(repositoryFolder(ref))
        if let cached = cachedSnapshot(ref), ref.revisionIsCommit || offline { return cached }
        if offline {
            throw IndexerError(
                .model, "HF_HUB_OFFLINE is set and \(ref.description) is not in the cache (no snapshot with config.json under \(repositoryFolder(ref)))")
        }
        return try download(ref)
    }

    /// The cached snapshot for `ref` (one holding config.json), if any.
    public func cachedSnapshot(_ ref: HubReference) -> String? {
        let repo = repositoryFolder(ref)
        var commit = ref.revision
        if !ref.revisionIsCommit {
            guard let data = FileManager.default.contents(atPath: repo + "/refs/" + ref.revision),
                let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                !text.isEmpty, !text.contains("/")
            else {
                return nil
            }
            commit = text
        }
        let dir = repo + "/snapshots/" + commit
        return FileManager.default.fileExists(atPath: dir + "/config.json") ? dir : nil
    }

    /// The URL of one file at `revision`.
    public func url(_ ref: HubReference, file: String, revision: String? = nil) -> String {
        "\(endpoint)/\(ref.repository)/resolve/\(HubDownloader.escape(revision ?? ref.revision))/\(file)"
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? s
    }

    /// Whether a repository file is one an encoder may read.
    static func wanted(_ file: String) -> Bool {
        let parts = file.split(separator: "/")
        guard !parts.contains(where: { ["onnx", "openvino", "tf", "flax"].contains($0.lowercased()) || $0.hasPrefix(".") }) else { return false }
        return [".json", ".txt", ".safetensors", ".model"].contains { file.hasSuffix($0) }
    }

    private func download(_ ref: HubReference) throws -> String {
        let repo = repositoryFolder(ref)
        let listing: HubListing
        do {
            listing = try HubListing.fetch(self, ref)
        } catch let error as IndexerError where error.kind == .io {
            // As huggingface_hub does: when the revision lookup cannot reach the Hub, the cached
            // snapshot serves. A failure after the lookup (a download, the disk) is not hidden.
            guard let cached = cachedSnapshot(ref) else { throw error }
            Console.warning("cannot reach the Hub for \(ref.description) (\(error.message)); using the cached snapshot \(cached)")
            return cached
        }
        let files = listing.files.filter(HubDownloader.wanted)
        guard files.contains("config.json") else {
            throw IndexerError(.model, "\(ref.description) has no config.json: not a model repository")
        }
        let dir = repo + "/snapshots/" + listing.commit
        // config.json last: a snapshot that has it is complete.
        for file in files.filter({ $0 != "config.json" }) + ["config.json"] {
            try HubFileFetch(downloader: self, ref: ref, commit: listing.commit, file: file, repositoryFolder: repo).run()
        }
        // The ref is rewritten only when it moved, so a read-only cache that already holds the
        // revision keeps working online.
        let refFile = repo + "/refs/" + ref.revision
        let current = FileManager.default.contents(atPath: refFile).flatMap { String(data: $0, encoding: .utf8) }
        if listing.commit != ref.revision, current?.trimmingCharacters(in: .whitespacesAndNewlines) != listing.commit {
            try Folders.create((refFile as NSString).deletingLastPathComponent)
            try AtomicFile.write(listing.commit, to: refFile)
        }
        return dir
    }

    /// Removes `blobs/*.incomplete` files left by a process killed mid-download: those no
    /// live writer holds the lock of (``FileSink`` locks its file while it writes).
    static func sweepIncomplete(_ repositoryFolder: String) {
        let blobs = repositoryFolder + "/blobs"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? [] where name.hasSuffix(".incomplete") {
            let fd = open(blobs + "/" + name, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(blobs + "/" + name) }
            close(fd)
        }
    }
}

/// The Hub's answer to `api/models/{repo}/revision/{revision}`: the commit and the files.
struct HubListing {
    var commit: String
    var files: [String]

    static func fetch(_ d: HubDownloader, _ ref: HubReference) throws -> HubListing {
        let address = "\(d.endpoint)/api/models/\(ref.repository)/revision/\(HubDownloader.escape(ref.revision))"
        let (response, body) = try HTTPGet(downloader: d, address: address).run()
        try HTTPGet.check(response.final, ref: ref, what: "the file list", address: address)
        guard let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let commit = json["sha"] as? String, commit.count == 40, commit.allSatisfy(\.isHexDigit),
            let siblings = json["siblings"] as? [[String: Any]]
        else {
            throw IndexerError(.io, "\(ref.description): \(address) did not answer a model's file list (sha, siblings)")
        }
        return HubListing(commit: commit.lowercased(), files: siblings.compactMap { $0["rfilename"] as? String })
    }
}
