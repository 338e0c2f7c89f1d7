import Formats
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// One GET to the Hub, redirects followed; the token goes to the endpoint's host only.
///
/// A data task whose delegate streams a 200 body into our own file (Foundation's download
/// tasks stage bodies in the system temporary directory and, on Linux, leave them there).
struct HTTPGet {
    /// The final response and what the redirects announced.
    struct Responses {
        var final: HTTPURLResponse
        /// `X-Linked-Etag` of the first response that carried one (the Hub's redirect).
        var linkedEtag: String?
        /// `X-Linked-Size` likewise.
        var linkedSize: Int64?
        /// `X-Repo-Commit` likewise.
        var commit: String?

        init(_ response: HTTPURLResponse, redirects: [HTTPURLResponse]) {
            func header(_ name: String) -> String? {
                (redirects + [response]).lazy.compactMap { $0.value(forHTTPHeaderField: name) }.first
            }
            final = response
            linkedEtag = header("X-Linked-Etag")
            linkedSize = header("X-Linked-Size").flatMap { Int64($0) }
            commit = header("X-Repo-Commit")
        }
    }

    let downloader: HubDownloader
    let address: String
    /// Opens the file a 200 body goes to, from the headers (nil: the body is kept in memory).
    var openSink: ((Responses) throws -> FileSink)? = nil

    /// Runs the request; the body is returned when there is no sink.
    func run() throws -> (Responses, Data) {
        guard let u = URL(string: address), let hub = URL(string: downloader.endpoint), let host = hub.host else {
            throw IndexerError(.usage, "cannot form a URL from '\(address)'")
        }
        var request = URLRequest(url: u, timeoutInterval: downloader.timeout)
        request.httpMethod = "GET"
        request.setValue("indexer", forHTTPHeaderField: "User-Agent")
        if let token = downloader.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = downloader.timeout
        let delegate = GetDelegate(hubOrigin: "\(host):\(hub.port ?? -1)", openSink: openSink)
        let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        delegate.done.wait()
        if let error = delegate.sinkError { throw error }
        if let error = delegate.error {
            throw IndexerError(
                .io, "cannot fetch \(address); set HF_HUB_OFFLINE=1 to use the cache only, or give --model a local folder",
                cause: error.localizedDescription)
        }
        guard let response = delegate.response else { throw IndexerError(.io, "no HTTP response for \(address)") }
        return (Responses(response, redirects: delegate.redirects), delegate.body)
    }

    /// Turns a non-200 answer into an error naming the repository, the file and the URL.
    static func check(_ response: HTTPURLResponse, ref: HubReference, what: String, address: String) throws {
        switch response.statusCode {
        case 200: return
        case 404:
            throw IndexerError(.model, "\(ref.description): \(what) not found at \(address) (HTTP 404): no such repository, revision or file")
        case 401, 403:
            throw IndexerError(
                .model, "\(ref.description): \(what) refused at \(address) (HTTP \(response.statusCode)); a private or gated model needs HF_TOKEN")
        default:
            throw IndexerError(.io, "\(ref.description): \(what) at \(address) answered HTTP \(response.statusCode)")
        }
    }
}

/// A file a 200 body is written to as it arrives, locked while written (so a sweep never
/// removes a live download) and fsynced at the end.
final class FileSink: @unchecked Sendable {
    let path: String
    let fd: Int32
    var writeErrno: Int32?

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot create the download file", path: path, errno: errno) }
        TemporaryFiles.markLive(fd)
    }

    func write(_ data: Data) {
        guard writeErrno == nil else { return }
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    writeErrno = errno
                    return
                }
                offset += n
            }
        }
    }

    func finish() {
        if fsync(fd) != 0, writeErrno == nil { writeErrno = errno }
    }

    deinit { close(fd) }
}

/// The session delegate: records redirects (dropping the token when one leaves the Hub's
/// host and port), streams the final body.
private final class GetDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let hubOrigin: String
    let openSink: ((HTTPGet.Responses) throws -> FileSink)?
    var sink: FileSink?
    var sinkError: Error?
    let done = DispatchSemaphore(value: 0)
    // Written on the session's delegate queue, read after `done` is signalled.
    var redirects: [HTTPURLResponse] = []
    var response: HTTPURLResponse?
    var error: Error?
    var body = Data()

    init(hubOrigin: String, openSink: ((HTTPGet.Responses) throws -> FileSink)?) {
        self.hubOrigin = hubOrigin
        self.openSink = openSink
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        redirects.append(response)
        var next = request
        if next.url.map({ "\($0.host ?? ""):\($0.port ?? -1)" }) != hubOrigin {
            next.setValue(nil, forHTTPHeaderField: "Authorization")
        }
        completionHandler(next)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        self.response = response as? HTTPURLResponse
        if let r = self.response, r.statusCode == 200, let openSink {
            do {
                sink = try openSink(HTTPGet.Responses(r, redirects: redirects))
            } catch {
                sinkError = error
                completionHandler(.cancel)
                return
            }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard response?.statusCode == 200 else { return }
        if let sink { sink.write(data) } else if openSink == nil { body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        self.error = error
        sink?.finish()
        done.signal()
    }
}
