import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (random port) for the Hub download tests: one
/// request a connection, canned responses by path, every request recorded.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A canned answer; with `stallAfter`, only that many body bytes are sent, then the
    /// connection hangs until ``stop()`` (an interrupted download).
    public struct Response {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var stallAfter: Int?

        public init(status: Int, headers: [String: String] = [:], body: Data = Data(), stallAfter: Int? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.stallAfter = stallAfter
        }
    }

    /// A request received.
    public struct Request {
        public var path: String
        public var headers: [String: String]
    }

    public let port: UInt16
    private let release = DispatchSemaphore(value: 0)
    private let listener: Int32
    private let lock = NSLock()
    private var routes: [String: Response] = [:]
    private var log: [Request] = []
    private let stopped = DispatchSemaphore(value: 0)

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { close(listener); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        self.listener = listener
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Answers GET `path` with `response` from now on.
    public func route(_ path: String, _ response: Response) {
        lock.lock()
        routes[path] = response
        lock.unlock()
    }

    /// The requests received so far.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    public func stop() {
        release.signal()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        stopped.wait()
    }

    private func serve() {
        defer { stopped.signal() }
        while true {
            let c = accept(listener, nil, nil)
            if c < 0 { return }
            handle(c)
            close(c)
        }
    }

    private func handle(_ c: Int32) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while !bytes.suffix(4).elementsEqual(end) {
            let n = read(c, &buffer, buffer.count)
            if n <= 0 { return }
            bytes += buffer[0..<n]
            if bytes.count > 1 << 16 { return }
        }
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let path = String(parts[1])
        lock.lock()
        log.append(Request(path: path, headers: headers))
        let response = routes[path] ?? Response(status: 404, body: Data("Entry not found".utf8))
        lock.unlock()
        var head = "HTTP/1.1 \(response.status) \(response.status == 200 ? "OK" : "Status")\r\n"
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (k, v) in response.headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + [UInt8](response.body.prefix(response.stallAfter ?? response.body.count))
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
        if response.stallAfter != nil { release.wait() }
    }
}
