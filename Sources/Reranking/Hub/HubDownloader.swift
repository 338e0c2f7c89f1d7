import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Formats

/// Fetches a model folder from a Hugging Face Hub endpoint into the Hub's cache layout.
///
/// Files come from `{endpoint}/{repo}/resolve/{revision}/{file}` (the Hub's URL scheme;
/// redirects are followed) and land in `{cache}/models--ORG--NAME/snapshots/{commit}/`, the
/// commit being the Hub's `X-Repo-Commit` answer (or the revision itself when the server does
/// not send one), with `refs/{revision}` holding the commit: the layout `huggingface_hub`
/// uses, so either tool finds the other's downloads. Files are stored as plain files (no
/// `blobs/` symlinks), each written under a temporary name and renamed; `config.json` is
/// written last, so a snapshot with `config.json` and `model.safetensors` is complete.
///
/// Environment, as `huggingface_hub` reads it: `HF_ENDPOINT` (default
/// `https://huggingface.co`), `HF_HUB_CACHE`, else `HF_HOME/hub`, else
/// `~/.cache/huggingface/hub`; `HF_HUB_OFFLINE=1` uses the cache only; `HF_TOKEN` is sent
/// as a bearer token.
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

    /// Files a cross-encoder folder needs.
    public static let requiredFiles = ["config.json", "model.safetensors"]
    /// Files fetched when the repository has them.
    public static let optionalFiles = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]

    /// Settings from `environment` (by default the process environment).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        var e = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
        while e.hasSuffix("/") { e.removeLast() }
        endpoint = e
        if let c = environment["HF_HUB_CACHE"], !c.isEmpty {
            cacheRoot = c
        } else if let h = environment["HF_HOME"], !h.isEmpty {
            cacheRoot = h + "/hub"
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            cacheRoot = home + "/.cache/huggingface/hub"
        }
        offline = ["1", "ON", "YES", "TRUE"].contains((environment["HF_HUB_OFFLINE"] ?? "").uppercased())
        token = environment["HF_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
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
        if let cached = cachedSnapshot(ref), ref.revisionIsCommit || offline { return cached }
        if offline {
            throw IndexerError(.model, "HF_HUB_OFFLINE is set and \(ref.description) is not in the cache (no complete snapshot under \(repositoryFolder(ref)))")
        }
        return try download(ref)
    }

    /// The complete cached snapshot for `ref`, if any.
    public func cachedSnapshot(_ ref: HubReference) -> String? {
        let repo = repositoryFolder(ref)
        var commit = ref.revision
        if !ref.revisionIsCommit {
            guard let data = FileManager.default.contents(atPath: repo + "/refs/" + ref.revision),
                  let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !text.isEmpty, !text.contains("/") else {
                // The revision may itself name a snapshot (a server that sent no commit).
                return complete(repo + "/snapshots/" + ref.revision) ? repo + "/snapshots/" + ref.revision : nil
            }
            commit = text
        }
        let dir = repo + "/snapshots/" + commit
        return complete(dir) ? dir : nil
    }

    private func complete(_ dir: String) -> Bool {
        HubDownloader.requiredFiles.allSatisfy { FileManager.default.fileExists(atPath: dir + "/" + $0) }
    }

    /// The URL of one file.
    public func url(_ ref: HubReference, file: String) -> String {
        let revision = ref.revision.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? ref.revision
        return "\(endpoint)/\(ref.repository)/resolve/\(revision)/\(file)"
    }

    private func download(_ ref: HubReference) throws -> String {
        let repo = repositoryFolder(ref)
        // config.json first: small, it tells the commit and whether the repository exists.
        let config = try fetch(ref, file: "config.json", required: true)
        let commit = (config.commit.flatMap { c in c.allSatisfy { $0.isHexDigit } && !c.isEmpty ? c : nil }) ?? ref.revision
        let dir = repo + "/snapshots/" + commit
        if !complete(dir) {
            try Folders.create(dir)
            for file in HubDownloader.optionalFiles {
                let f = try fetch(ref, file: file, required: false, into: dir)
                _ = f
            }
            _ = try fetch(ref, file: "model.safetensors", required: true, into: dir)
            guard FileManager.default.fileExists(atPath: dir + "/tokenizer.json") || FileManager.default.fileExists(atPath: dir + "/vocab.txt") else {
                throw IndexerError(.model, "\(ref.description) has neither tokenizer.json nor vocab.txt: not a BERT-family model folder", path: dir)
            }
            guard let body = config.body else { throw IndexerError(.internal, "config.json body missing") }
            try AtomicFile.write(body, to: dir + "/config.json")
        }
        if commit != ref.revision {
            try AtomicFile.write(commit, to: repo + "/refs/" + ref.revision)
        }
        return dir
    }

    private struct Fetched {
        var commit: String?
        var body: Data?
        var found: Bool
    }

    /// GETs one file: into memory when `into` is nil, else into `into/file` (atomically).
    ///
    /// A data task whose delegate streams the body into our own temporary file beside the
    /// final one: Foundation's download tasks stage bodies in the system temporary directory
    /// and, on Linux, leave them there (error bodies, and failed connections, too).
    private func fetch(_ ref: HubReference, file: String, required: Bool, into dir: String? = nil) throws -> Fetched {
        let address = url(ref, file: file)
        guard let u = URL(string: address) else { throw IndexerError(.usage, "cannot form a URL from '\(address)'") }
        var request = URLRequest(url: u, timeoutInterval: timeout)
        request.httpMethod = "GET"
        request.setValue("indexer", forHTTPHeaderField: "User-Agent")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        let temporary = dir.map { $0 + "/." + file + ".tmp-\(getpid())" }
        let sink = BodySink(path: temporary)
        let session = URLSession(configuration: config, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        sink.done.wait()
        var kept = false
        defer { if let temporary, !kept { unlink(temporary) } }
        if let error = sink.error {
            throw IndexerError(.io, "cannot fetch \(address); set HF_HUB_OFFLINE=1 to use the cache only, or give --model a local folder",
                               cause: error.localizedDescription)
        }
        guard let response = sink.response else { throw IndexerError(.io, "no HTTP response for \(address)") }
        switch response.statusCode {
        case 200:
            break
        case 404 where !required:
            return Fetched(commit: nil, body: nil, found: false)
        case 404:
            throw IndexerError(.model, "\(ref.description): \(file) not found at \(address) (HTTP 404): no such repository, revision or file")
        case 401, 403:
            throw IndexerError(.model, "\(ref.description): \(file) refused at \(address) (HTTP \(response.statusCode)); a private or gated model needs HF_TOKEN")
        default:
            throw IndexerError(.io, "\(ref.description): \(file) at \(address) answered HTTP \(response.statusCode)")
        }
        if let writeErrno = sink.writeErrno {
            throw IndexerError.io("cannot store the download of \(file)", path: temporary ?? file, errno: writeErrno)
        }
        let commit = response.value(forHTTPHeaderField: "X-Repo-Commit")
        if let temporary, let dir {
            let final = dir + "/" + file
            guard rename(temporary, final) == 0 else {
                throw IndexerError.io("cannot rename the download onto it", path: final, errno: errno)
            }
            kept = true
            AtomicFileWriter.syncDirectory(of: final)
            return Fetched(commit: commit, body: nil, found: true)
        }
        return Fetched(commit: commit, body: sink.body, found: true)
    }
}

/// Receives one response body: into memory, or (for a 200 answer, when a path is given) into
/// that file, written as it arrives and fsynced at the end.
private final class BodySink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let path: String?
    let done = DispatchSemaphore(value: 0)
    // Written on the session's delegate queue, read after `done` is signalled.
    var response: HTTPURLResponse?
    var error: Error?
    var writeErrno: Int32?
    var body = Data()
    private var fd: Int32 = -1

    init(path: String?) {
        self.path = path
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        self.response = response as? HTTPURLResponse
        if let path, self.response?.statusCode == 200 {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { writeErrno = errno }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard response?.statusCode == 200, writeErrno == nil else { return }
        guard path != nil else { body.append(data); return }
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    writeErrno = errno
                    return
                }
                offset += n
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        self.error = error
        if fd >= 0 {
            if fsync(fd) != 0, writeErrno == nil { writeErrno = errno }
            close(fd)
            fd = -1
        }
        done.signal()
    }
}
