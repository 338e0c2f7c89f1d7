import Formats
import Foundation
import TestSupport
import XCTest

@testable import Inference

/// `hf:ORG/NAME[@REV]` against loopback servers (a Hub and a CDN on another port) serving the
/// tiny random checkpoint, into huggingface_hub's cache layout.
final class HubDownloaderTests: XCTestCase {
    static var model: String { TestPaths.golden + "/cross-f32" }
    static let files = ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "tokenizer_config.json"]
    static let mainCommit = String(repeating: "ab12", count: 10)
    static let tagCommit = String(repeating: "cd34", count: 10)

    var hub: LoopbackHTTPServer!
    var cdn: LoopbackHTTPServer!
    var home: String!

    override func setUpWithError() throws {
        hub = try LoopbackHTTPServer()
        cdn = try LoopbackHTTPServer()
        home = try temporaryFolder("inference-tests").path
        for (revision, commit) in [("main", Self.mainCommit), ("v1", Self.tagCommit)] {
            try serve(revision: revision, commit: commit, files: Self.files, from: Self.model)
        }
    }

    /// The API listing (with files an encoder never reads) and every file at `commit`; the
    /// weights through a redirect to the CDN, as the Hub serves LFS files.
    func serve(revision: String, commit: String, files: [String], from folder: String, repo: String = "org/tiny") throws {
        let siblings = (files + ["pytorch_model.bin", "onnx/model.onnx", ".gitattributes"]).map { ["rfilename": $0] }
        hub.route(
            "/api/models/\(repo)/revision/\(revision)",
            .init(status: 200, body: try JSONSerialization.data(withJSONObject: ["sha": commit, "siblings": siblings])))
        for file in files {
            let body = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + file), file)
            if file.hasSuffix(".safetensors") {
                let sha = SHA256.hex(Array(body))
                hub.route(
                    "/\(repo)/resolve/\(commit)/\(file)",
                    .init(
                        status: 302,
                        headers: [
                            "Location": "\(cdn.endpoint)/cdn/\(sha)", "X-Repo-Commit": commit,
                            "X-Linked-Etag": "\"\(sha)\"", "X-Linked-Size": "\(body.count)",
                        ]))
                cdn.route("/cdn/\(sha)", .init(status: 200, headers: ["ETag": "\"cdn-etag\""], body: body))
            } else {
                hub.route(
                    "/\(repo)/resolve/\(commit)/\(file)",
                    .init(status: 200, headers: ["X-Repo-Commit": commit, "ETag": "\"git-\(SHA256.hex(Array(body)).prefix(40))\""], body: body))
            }
        }
    }

    override func tearDown() {
        hub?.stop()
        cdn?.stop()
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HF_ENDPOINT": hub.endpoint, "HF_HOME": home, "HOME": home].merging(extra) { $1 }
    }

    func testDownloadLandsInTheHubCacheLayoutAndLoads() throws {
        let dir = try ModelResolver(environment: environment(["HF_TOKEN": "secret"])).resolve("hf:org/tiny")
        let repo = home + "/hub/models--org--tiny"
        XCTAssertEqual(dir, repo + "/snapshots/\(Self.mainCommit)")
        for file in Self.files {
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + file)
            XCTAssertTrue(target.hasPrefix("../../blobs/"), "\(file) → \(target): a relative link to its blob")
            XCTAssertEqual(FileManager.default.contents(atPath: dir + "/" + file), FileManager.default.contents(atPath: Self.model + "/" + file), file)
        }
        let weights = try XCTUnwrap(FileManager.default.contents(atPath: Self.model + "/model.safetensors"))
        XCTAssertEqual(
            try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/model.safetensors"),
            "../../blobs/" + SHA256.hex(Array(weights)), "X-Linked-Etag names the blob")
        XCTAssertEqual(try String(contentsOfFile: repo + "/refs/main", encoding: .utf8), Self.mainCommit)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: repo)), ["blobs", "snapshots", "refs"])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: repo + "/blobs").contains { $0.hasSuffix(".incomplete") })
        let paths = hub.requests.map(\.path)
        XCTAssertFalse(paths.contains { $0.contains("pytorch_model.bin") || $0.contains("onnx") }, "only files an encoder reads")
        XCTAssertTrue(hub.requests.allSatisfy { $0.headers["authorization"] == "Bearer secret" }, "the token goes to the Hub")
        XCTAssertEqual(cdn.requests.count, 1)
        XCTAssertNil(cdn.requests.first?.headers["authorization"], "never after a redirect to another host")
        let a = try CrossEncoder(modelDirectory: dir, maxLength: 64, threads: 1)
        let b = try CrossEncoder(modelDirectory: Self.model, maxLength: 64, threads: 1)
        XCTAssertEqual(a.fingerprint, b.fingerprint)
    }

    func testRevisionSelectsItsOwnSnapshotAndCommitsAreServedFromTheCache() throws {
        let resolver = ModelResolver(environment: environment())
        let dir = try resolver.resolve("hf:org/tiny@v1")
        XCTAssertEqual(dir, home + "/hub/models--org--tiny/snapshots/\(Self.tagCommit)")
        XCTAssertEqual(try String(contentsOfFile: home + "/hub/models--org--tiny/refs/v1", encoding: .utf8), Self.tagCommit)
        let before = hub.requests.count
        XCTAssertEqual(try resolver.resolve("hf:org/tiny@\(Self.tagCommit)"), dir)
        XCTAssertEqual(hub.requests.count, before, "a cached commit needs no request")
        XCTAssertEqual(try resolver.resolve("hf:org/tiny@v1"), dir)
        XCTAssertEqual(hub.requests.dropFirst(before).map(\.path), ["/api/models/org/tiny/revision/v1"], "a branch is checked, files are not fetched again")
    }

    func testOfflineMissNamesTheRepositoryAndTheCacheAndOfflineHitNeedsNoNetwork() throws {
        let offline = environment(["HF_HUB_OFFLINE": "1"])
        XCTAssertThrowsError(try ModelResolver(environment: offline).resolve("hf:org/tiny")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .model)
            XCTAssertTrue("\(error)".contains("hf:org/tiny@main") && "\(error)".contains(self.home + "/hub/models--org--tiny"), "\(error)")
        }
        XCTAssertTrue(hub.requests.isEmpty, "offline means no request")
        let dir = try ModelResolver(environment: environment()).resolve("hf:org/tiny")
        let count = hub.requests.count
        XCTAssertEqual(try ModelResolver(environment: offline).resolve("hf:org/tiny"), dir)
        XCTAssertEqual(try ModelResolver(environment: offline).resolve("hf:org/tiny@\(Self.mainCommit)"), dir)
        XCTAssertEqual(hub.requests.count, count)
    }

    func testATruncatedDownloadLeavesNothingAndAStaleIncompleteIsSwept() throws {
        let body = try XCTUnwrap(FileManager.default.contents(atPath: Self.model + "/model.safetensors"))
        let sha = SHA256.hex(Array(body))
        cdn.route("/cdn/\(sha)", .init(status: 200, body: body.prefix(1000)))
        let blobs = home + "/hub/models--org--tiny/blobs"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: blobs + "/0123abcd.incomplete", contents: Data("stale".utf8))
        XCTAssertThrowsError(try ModelResolver(environment: environment()).resolve("hf:org/tiny")) { error in
            XCTAssertTrue("\(error)".contains("model.safetensors") && "\(error)".contains("announced"), "\(error)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: blobs)
        XCTAssertFalse(left.contains { $0.hasSuffix(".incomplete") }, "\(left)")
        XCTAssertFalse(left.contains(sha))
        XCTAssertNil(HubDownloader(environment: environment()).cachedSnapshot(HubReference(repository: "org/tiny")))
    }

    func testAShardedRepositoryDownloadsAndLoads() throws {
        let folder = try temporaryFolder("inference-tests").path + "/sharded"
        let map = try ShardedWeightsTests.makeSharded(folder)
        let commit = String(repeating: "5a", count: 20)
        let files = ["config.json", "tokenizer.json", "vocab.txt", ShardedSafeTensors.indexName] + Set(map.values).sorted()
        try serve(revision: "main", commit: commit, files: files, from: folder, repo: "org/big")
        let dir = try ModelResolver(environment: environment()).resolve("hf:org/big")
        XCTAssertEqual(dir, home + "/hub/models--org--big/snapshots/\(commit)")
        let a = try BiEncoder(modelDirectory: dir, threads: 1), b = try BiEncoder(modelDirectory: Self.model, threads: 1)
        XCTAssertEqual(try a.embed(["sharded weights"]), try b.embed(["sharded weights"]))
    }

    func testMissingRepositoryIsA404ErrorNamingTheURL() throws {
        XCTAssertThrowsError(try ModelResolver(environment: environment()).resolve("hf:org/absent@main")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .model)
            XCTAssertTrue("\(error)".contains("HTTP 404") && "\(error)".contains("\(self.hub.endpoint)/api/models/org/absent/revision/main"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/hub/models--org--absent/snapshots"))
    }

    func testACachedModelResolvesWithTheHubStoppedAndAnUnchangedRefIsNotRewritten() throws {
        let dir = try ModelResolver(environment: environment()).resolve("hf:org/tiny")
        let refs = home + "/hub/models--org--tiny/refs/main"
        let written = try FileManager.default.attributesOfItem(atPath: refs)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.02)
        XCTAssertEqual(try ModelResolver(environment: environment()).resolve("hf:org/tiny"), dir)
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: refs)[.modificationDate] as? Date, written,
            "refs/main is not rewritten when the branch did not move (a read-only cache keeps working)")
        let stopped = environment()
        hub.stop()
        cdn.stop()
        hub = nil  // stopped once: tearDown must not wait on it again
        cdn = nil
        XCTAssertEqual(try ModelResolver(environment: stopped).resolve("hf:org/tiny"), dir, "the cached snapshot, with a warning")
        XCTAssertThrowsError(try ModelResolver(environment: stopped).resolve("hf:org/other")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .io, "nothing cached: the network error stands")
        }
    }

    func testUnreachableEndpointSaysHowToWorkOffline() throws {
        let closed = try LoopbackHTTPServer()
        let endpoint = closed.endpoint
        closed.stop()
        XCTAssertThrowsError(try ModelResolver(environment: ["HF_ENDPOINT": endpoint, "HF_HOME": home]).resolve("hf:org/tiny")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .io)
            XCTAssertTrue("\(error)".contains("HF_HUB_OFFLINE=1"), "\(error)")
        }
    }

    func testReferenceParsingAndEnvironment() throws {
        XCTAssertEqual(
            try HubReference(parsing: "hf:cross-encoder/ms-marco-MiniLM-L-6-v2"),
            HubReference(repository: "cross-encoder/ms-marco-MiniLM-L-6-v2", revision: "main"))
        XCTAssertEqual(try HubReference(parsing: "hf:org/name@refs/pr/3")?.revision, "refs/pr/3")
        XCTAssertNil(try HubReference(parsing: "models/local"))
        for bad in ["hf:", "hf:a/b/c", "hf:org/../x", "hf:org/name@", "hf:org/na me"] {
            XCTAssertThrowsError(try HubReference(parsing: bad), bad) { XCTAssertEqual(($0 as? IndexerError)?.kind, .usage) }
        }
        let d = HubDownloader(environment: ["HOME": "/h"])
        XCTAssertEqual(d.endpoint, "https://huggingface.co")
        XCTAssertEqual(d.cacheRoot, "/h/.cache/huggingface/hub")
        XCTAssertFalse(d.offline)
        XCTAssertEqual(HubDownloader(environment: ["HOME": "/h", "XDG_CACHE_HOME": "/x"]).cacheRoot, "/x/huggingface/hub")
        XCTAssertEqual(HubDownloader(environment: ["HF_HOME": "/x", "XDG_CACHE_HOME": "/y"]).cacheRoot, "/x/hub")
        XCTAssertEqual(HubDownloader(environment: ["HF_HOME": "/x", "HF_HUB_CACHE": "/c"]).cacheRoot, "/c")
        XCTAssertTrue(HubDownloader(environment: ["HF_HUB_OFFLINE": "true"]).offline)
        XCTAssertTrue(HubDownloader(environment: ["TRANSFORMERS_OFFLINE": "1"]).offline)
        XCTAssertFalse(HubDownloader(environment: ["TRANSFORMERS_OFFLINE": "0"]).offline)
        XCTAssertEqual(HubDownloader(environment: ["HF_HOME": "/x", "HUGGINGFACE_HUB_CACHE": "/old"]).cacheRoot, "/old")
        XCTAssertEqual(HubDownloader(environment: ["HF_HUB_CACHE": "/new", "HUGGINGFACE_HUB_CACHE": "/old"]).cacheRoot, "/new")
        XCTAssertEqual(HubDownloader(environment: ["HOME": "/h", "HF_HOME": "~/hf"]).cacheRoot, "/h/hf/hub")
        XCTAssertEqual(HubDownloader(environment: ["HOME": "/h", "HF_HUB_CACHE": "~"]).cacheRoot, "/h")
        try "file-token\n".write(toFile: home + "/token", atomically: true, encoding: .utf8)
        XCTAssertEqual(HubDownloader(environment: ["HF_HOME": home]).token, "file-token")
        XCTAssertEqual(HubDownloader(environment: ["HF_HOME": home, "HF_TOKEN": "env"]).token, "env")
        XCTAssertEqual(
            d.url(HubReference(repository: "o/n", revision: "refs/pr/3"), file: "config.json"),
            "https://huggingface.co/o/n/resolve/refs%2Fpr%2F3/config.json")
    }
}
