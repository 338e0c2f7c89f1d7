import Formats
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// One repository file into the cache: `blobs/<etag>.incomplete`, checked, renamed to
/// `blobs/<etag>`, then linked from `snapshots/<commit>/<file>` by a relative symlink.
struct HubFileFetch {
    let downloader: HubDownloader
    let ref: HubReference
    let commit: String
    let file: String
    let repositoryFolder: String

    func run() throws {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw IndexerError(.model, "\(ref.description): the Hub lists an unsafe file name '\(file)'")
        }
        let link = repositoryFolder + "/snapshots/" + commit + "/" + file
        if FileManager.default.fileExists(atPath: link) { return }  // follows the link: blob present
        let blobs = repositoryFolder + "/blobs"
        try Folders.create(blobs)
        let address = downloader.url(ref, file: file, revision: commit)
        // The body goes to blobs/<etag>.incomplete, named from the headers when they arrive.
        var staging: String?
        var sink: FileSink?
        defer { IncompleteDownload.end(); if let staging { unlink(staging) } }
        var get = HTTPGet(downloader: downloader, address: address)
        get.openSink = { r in
            let path = blobs + "/" + (try blobName(r)) + ".incomplete"
            IncompleteDownload.begin(path)
            staging = path
            let s = try FileSink(path: path)
            sink = s
            return s
        }
        let (response, _) = try get.run()
        try HTTPGet.check(response.final, ref: ref, what: file, address: address)
        guard let staging, let sink else { throw IndexerError(.internal, "no download file for \(address)") }
        if let e = sink.writeErrno { throw IndexerError.io("cannot store the download of \(file)", path: staging, errno: e) }
        let etag = try blobName(response)
        try verify(staging, etag: etag, expectedSize: response.linkedSize ?? response.final.expectedContentLength)
        let blob = blobs + "/" + etag
        guard rename(staging, blob) == 0 else { throw IndexerError.io("cannot rename the download onto it", path: blob, errno: errno) }
        AtomicFileWriter.syncDirectory(of: blob)
        try linkSnapshot(link, to: etag)
    }

    /// `X-Linked-Etag` (what the Hub sends for LFS files, on the redirect) before `ETag`,
    /// without quotes or the weak prefix.
    func blobName(_ r: HTTPGet.Responses) throws -> String {
        var tag = r.linkedEtag ?? r.final.value(forHTTPHeaderField: "ETag") ?? ""
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        tag = tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard !tag.isEmpty, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
            throw IndexerError(.io, "\(ref.description): \(file) came without a usable ETag (\(tag.isEmpty ? "none" : tag)); it cannot be cached")
        }
        return tag
    }

    /// The size must match the one announced; a 64-hex etag is the file's SHA-256 (LFS).
    func verify(_ path: String, etag: String, expectedSize: Int64) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
        if expectedSize >= 0, size != expectedSize {
            throw IndexerError(.io, "\(ref.description): \(file) arrived with \(size) bytes, \(expectedSize) announced; nothing was cached")
        }
        guard etag.count == 64, etag.allSatisfy(\.isHexDigit) else { return }
        let digest = try SHA256.hex(ofFileAt: path)
        guard digest == etag.lowercased() else {
            throw IndexerError(.io, "\(ref.description): \(file) has SHA-256 \(digest), the Hub announced \(etag); nothing was cached")
        }
    }

    /// `snapshots/<commit>/<file>` → `../../blobs/<etag>` (one more `../` a subfolder).
    func linkSnapshot(_ link: String, to etag: String) throws {
        let depth = file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        try Folders.create((link as NSString).deletingLastPathComponent)
        let temporary = link + ".link-\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0, rename(temporary, link) == 0 else {
            let e = errno
            unlink(temporary)
            throw IndexerError.io("cannot link the snapshot file to its blob", path: link, errno: e)
        }
    }
}

/// The one download in flight, removed by SIGINT/SIGTERM before the process dies, so an
/// interrupted download leaves no `.incomplete` file (a SIGKILL's is swept by the next run).
enum IncompleteDownload {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var installed = false

    static func begin(_ p: String) {
        if !installed {
            installed = true
            for s in [SIGINT, SIGTERM] {
                signal(s) { number in
                    if let p = IncompleteDownload.path { unlink(p) }
                    signal(number, SIG_DFL)
                    raise(number)
                }
            }
        }
        path = strdup(p)
    }

    static func end() {
        let old = path
        path = nil
        free(old)
    }
}
