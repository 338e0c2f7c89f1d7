import Foundation
import XCTest
import Formats
@testable import Reranking

/// `--model hf:ORG/NAME[@REV]` against a loopback server serving the tiny random checkpoint.
final class HubDownloaderTests: XCTestCase {
    static let model = TestPaths.inferenceGolden + "/cross-f32"
    static let files = ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "tokenizer_config.json"]
    static let mainCommit = String(repeating: "ab12", count: 10)
    static let tagCommit = String(repeating: "cd34", count: 10)

    var server: LoopbackHTTPServer!
    var home: String!

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: Self.model + "/model.safetensors") else { throw XCTSkip("no tiny checkpoint") }
        server = try LoopbackHTTPServer()
        home = try TestPaths.temporaryFolder(self)
        // The Hub serves weights through a redirect to its CDN: do the same.
        for (revision, commit) in [("main", Self.mainCommit), ("v1", Self.tagCommit)] {
            for file in Self.files {
                let body = try XCTUnwrap(FileManager.default.contents(atPath: Self.model + "/" + file))
                if file == "model.safetensors" {
                    server.route("/org/tiny/resolve/\(revision)/\(file)",
                                 .init(status: 302, headers: ["Location": "/cdn/\(commit)/\(file)", "X-Repo-Commit": commit]))
                    server.route("/cdn/\(commit)/\(file)", .init(status: 200, body: body))
                } else {
                    server.route("/org/tiny/resolve/\(revision)/\(file)", .init(status: 200, headers: ["X-Repo-Commit": commit], body: body))
                }
            }
        }
    }

    override func tearDown() {
        server?.stop()
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HF_ENDPOINT": server.endpoint, "HF_HOME": home, "HOME": home].merging(extra) { $1 }
    }

    func testDownloadLandsInTheHubCacheLayoutAndLoads() throws {
        let dir = try RerankModel.resolve("hf:org/tiny", environment: environment(["HF_TOKEN": "secret"]))
        XCTAssertEqual(dir, home + "/hub/models--org--tiny/snapshots/\(Self.mainCommit)")
        for file in Self.files {
            XCTAssertEqual(FileManager.default.contents(atPath: dir + "/" + file), FileManager.default.contents(atPath: Self.model + "/" + file), file)
        }
        XCTAssertEqual(try String(contentsOfFile: home + "/hub/models--org--tiny/refs/main", encoding: .utf8), Self.mainCommit)
        let paths = server.requests.map(\.path)
        XCTAssertTrue(paths.contains("/org/tiny/resolve/main/special_tokens_map.json"), "optional files are asked for")
        XCTAssertTrue(paths.contains("/cdn/\(Self.mainCommit)/model.safetensors"), "redirect followed")
        XCTAssertEqual(server.requests.first?.headers["authorization"], "Bearer secret")
        // No temporary files left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertEqual(Set(names), Set(Self.files))
        // The downloaded folder is a working model with the original's scores.
        let a = try CrossEncoderScorer(modelDirectory: dir, maxLength: 64, threads: 1)
        let b = try CrossEncoderScorer(modelDirectory: Self.model, maxLength: 64, threads: 1)
        let pair = a.encode(query: "a query", document: "a document text")
        XCTAssertEqual(try a.score([pair]), try b.score([pair]))
        XCTAssertEqual(a.fingerprint, b.fingerprint)
    }

    func testRevisionSelectsItsOwnSnapshotAndCommitsAreServedFromTheCache() throws {
        let dir = try RerankModel.resolve("hf:org/tiny@v1", environment: environment())
        XCTAssertEqual(dir, home + "/hub/models--org--tiny/snapshots/\(Self.tagCommit)")
        XCTAssertTrue(server.requests.allSatisfy { !$0.path.contains("/main/") })
        XCTAssertEqual(try String(contentsOfFile: home + "/hub/models--org--tiny/refs/v1", encoding: .utf8), Self.tagCommit)

        // A commit revision already cached needs no request at all.
        let before = server.requests.count
        XCTAssertEqual(try RerankModel.resolve("hf:org/tiny@\(Self.tagCommit)", environment: environment()), dir)
        XCTAssertEqual(server.requests.count, before)

        // A branch is checked online, but a complete snapshot is not fetched again.
        XCTAssertEqual(try RerankModel.resolve("hf:org/tiny@v1", environment: environment()), dir)
        XCTAssertEqual(server.requests.dropFirst(before).map(\.path), ["/org/tiny/resolve/v1/config.json"])
    }

    func testOfflineModeUsesOnlyTheCache() throws {
        let offline = environment(["HF_HUB_OFFLINE": "1"])
        XCTAssertThrowsError(try RerankModel.resolve("hf:org/tiny", environment: offline)) { error in
            let e = error as? IndexerError
            XCTAssertEqual(e?.kind, .model)
            XCTAssertTrue(e?.message.contains("HF_HUB_OFFLINE") ?? false, "\(error)")
        }
        XCTAssertTrue(server.requests.isEmpty, "offline means no request")
        let dir = try RerankModel.resolve("hf:org/tiny", environment: environment())
        let count = server.requests.count
        XCTAssertEqual(try RerankModel.resolve("hf:org/tiny", environment: offline), dir)
        XCTAssertEqual(try RerankModel.resolve("hf:org/tiny@main", environment: offline), dir)
        XCTAssertEqual(server.requests.count, count)
    }

    func testMissingRepositoryIsA404ErrorNamingTheURL() throws {
        XCTAssertThrowsError(try RerankModel.resolve("hf:org/absent@main", environment: environment())) { error in
            let e = error as? IndexerError
            XCTAssertEqual(e?.kind, .model)
            XCTAssertTrue(e?.message.contains("HTTP 404") ?? false, "\(error)")
            XCTAssertTrue(e?.message.contains("\(self.server.endpoint)/org/absent/resolve/main/config.json") ?? false, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/hub/models--org--absent/snapshots"))
    }

    func testMissingWeightsIsAnErrorAndLeavesNoCompleteSnapshot() throws {
        server.route("/org/tiny/resolve/v2/config.json", .init(status: 200, headers: ["X-Repo-Commit": String(repeating: "ef56", count: 10)],
                                                             body: Data("{}".utf8)))
        XCTAssertThrowsError(try RerankModel.resolve("hf:org/tiny@v2", environment: environment())) { error in
            XCTAssertTrue("\(error)".contains("model.safetensors not found"), "\(error)")
        }
        XCTAssertNil(HubDownloader(environment: environment()).cachedSnapshot(HubReference(repository: "org/tiny", revision: "v2")))
    }

    /// Foundation downloads into the temporary directory; nothing may stay there, neither the
    /// files read into memory, nor the 404 bodies of optional files, nor a failed download's.
    func testDownloadsLeaveNothingInTheTemporaryDirectory() throws {
        let scratch = try TestPaths.temporaryFolder(self) + "/tmpdir"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let saved = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", scratch + "/", 1)
        defer { if let saved { setenv("TMPDIR", saved, 1) } else { unsetenv("TMPDIR") } }
        XCTAssertEqual(NSTemporaryDirectory().hasPrefix(scratch), true, "Foundation reads TMPDIR")
        _ = try RerankModel.resolve("hf:org/tiny", environment: environment())
        XCTAssertThrowsError(try RerankModel.resolve("hf:org/absent@main", environment: environment()))
        let closed = try LoopbackHTTPServer()
        let endpoint = closed.endpoint
        closed.stop()
        XCTAssertThrowsError(try RerankModel.resolve("hf:org/tiny", environment: ["HF_ENDPOINT": endpoint, "HF_HOME": home + "/other"]))
        XCTAssertTrue(server.requests.contains { $0.path.hasSuffix("/special_tokens_map.json") }, "a 404 was served")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), [])
    }

    func testUnreachableEndpointSaysHowToWorkOffline() throws {
        let closed = try LoopbackHTTPServer()
        let endpoint = closed.endpoint
        closed.stop()
        XCTAssertThrowsError(try RerankModel.resolve("hf:org/tiny", environment: ["HF_ENDPOINT": endpoint, "HF_HOME": home])) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .io)
            XCTAssertTrue("\(error)".contains("HF_HUB_OFFLINE=1"), "\(error)")
        }
    }

    func testReferenceParsingAndEnvironment() throws {
        XCTAssertEqual(try HubReference(parsing: "hf:cross-encoder/ms-marco-MiniLM-L-6-v2"),
                       HubReference(repository: "cross-encoder/ms-marco-MiniLM-L-6-v2", revision: "main"))
        XCTAssertEqual(try HubReference(parsing: "hf:org/name@refs/pr/3")?.revision, "refs/pr/3")
        XCTAssertNil(try HubReference(parsing: "models/local"))
        for bad in ["hf:", "hf:a/b/c", "hf:org/../x", "hf:org/name@", "hf:org/na me"] {
            XCTAssertThrowsError(try HubReference(parsing: bad), bad) { XCTAssertEqual(($0 as? IndexerError)?.kind, .usage) }
        }
        XCTAssertEqual(HubReference(repository: "o/n").cacheFolderName, "models--o--n")
        let d = HubDownloader(environment: ["HOME": "/h"])
        XCTAssertEqual(d.endpoint, "https://huggingface.co")
        XCTAssertEqual(d.cacheRoot, "/h/.cache/huggingface/hub")
        XCTAssertFalse(d.offline)
        XCTAssertEqual(HubDownloader(environment: ["HF_HOME": "/x", "HF_HUB_CACHE": "/c"]).cacheRoot, "/c")
        XCTAssertTrue(HubDownloader(environment: ["HF_HUB_OFFLINE": "true"]).offline)
        XCTAssertEqual(d.url(HubReference(repository: "o/n", revision: "refs/pr/3"), file: "config.json"),
                       "https://huggingface.co/o/n/resolve/refs%2Fpr%2F3/config.json")
    }
}
