import Foundation
import TestSupport
import XCTest

/// `indexer embed --model hf:…` stopped by SIGTERM or SIGINT while the weights are arriving:
/// the partial download is removed before the process dies.
final class HubDownloadSignalTests: XCTestCase {
    func testASignalDuringADownloadLeavesNoIncompleteFile() throws {
        for signal in [SIGTERM, SIGINT] {
            try interrupt(with: signal)
        }
    }

    func interrupt(with signal: Int32) throws {
        let model = Fixtures.tinyCrossEncoder
        let dir = try temporaryFolder("hubsignal").path
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let commit = String(repeating: "ef", count: 20)
        let files = ["model.safetensors", "config.json", "vocab.txt"]
        let listing = ["sha": commit, "siblings": files.map { ["rfilename": $0] }] as [String: Any]
        server.route("/api/models/org/tiny/revision/main", .init(status: 200, body: try JSONSerialization.data(withJSONObject: listing)))
        let weights = try XCTUnwrap(FileManager.default.contents(atPath: model + "/model.safetensors"))
        server.route(
            "/org/tiny/resolve/\(commit)/model.safetensors",
            .init(status: 200, headers: ["ETag": "\"w\"", "X-Repo-Commit": commit], body: weights, stallAfter: 4096))
        try #"{"text": "a"}"#.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let p = try IndexerProcess(
            ["embed", "--model", "hf:org/tiny", "--input", dir + "/in.jsonl", "--out", dir + "/o.npy", "--quiet"],
            env: ["HF_ENDPOINT": server.endpoint, "HF_HUB_CACHE": dir + "/hub", "HF_TOKEN": ""])
        let blobs = dir + "/hub/models--org--tiny/blobs"
        var started = false
        for _ in 0..<200 where !started {
            // huggingface_hub's name for a download in progress: blobs/<etag>.incomplete.
            started = ((try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []).contains("w.incomplete")
            if !started { usleep(50_000) }
        }
        XCTAssertTrue(started, "the download began")
        kill(p.process.processIdentifier, signal)
        let r = p.finish()
        XCTAssertTrue(r.signal, "ended by the signal: \(r.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
        XCTAssertEqual(left, [], "signal \(signal)")
    }
}
