import Foundation
import TestSupport
import XCTest

/// A scratch folder with a small Cranfield index, and a shell to run the bad-input
/// campaign's repro commands (issue #13) as written: `$B` is the indexer binary, `$W` the
/// folder, `$C` the collection; the hash test embedder stands in for the model.
final class ShellScenario {
    private let folder: TemporaryFolder
    var dir: String { folder.path }
    let binary: String
    let collection: String

    /// Makes `$W` with c200.jsonl, c50.jsonl and q3.jsonl, and builds `$W/idx` (2 shards, BM25).
    init() throws {
        binary = try IndexerProcess.binary
        collection = IndexerProcess.packageRoot + "/../shared/data/cranfield"
        guard FileManager.default.fileExists(atPath: collection + "/corpus.jsonl") else { throw XCTSkip("no Cranfield at \(collection)") }
        folder = try TemporaryFolder("failures")
        let setup = try sh(
            """
            head -200 "$C/corpus.jsonl" > "$W/c200.jsonl"; head -50 "$W/c200.jsonl" > "$W/c50.jsonl"
            head -3 "$C/queries.jsonl" > "$W/q3.jsonl"
            "$B" build --corpus "$W/c200.jsonl" --out "$W/idx" --shards 2 --lexical --quiet
            """)
        XCTAssertEqual(setup.status, 0, setup.stderr)
    }

    /// Runs `script` under bash with `B`, `W`, `C` and `INDEXER_TEST_EMBEDDER=hash-384` set.
    func sh(_ script: String, timeout: TimeInterval = 120) throws -> IndexerProcess.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        var env = ProcessInfo.processInfo.environment
        env["B"] = binary
        env["W"] = dir
        env["C"] = collection
        env["INDEXER_TEST_EMBEDDER"] = "hash-384"
        env["JOB_COMPLETION_INDEX"] = nil
        env["SLURM_ARRAY_TASK_ID"] = nil
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = DispatchTime.now() + timeout
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            p.waitUntilExit(); done.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        if done.wait(timeout: deadline) == .timedOut {
            p.terminate()
            XCTFail("script timed out: \(script)")
        }
        return IndexerProcess.Result(
            status: p.terminationStatus, signal: p.terminationReason == .uncaughtSignal,
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// The text of `$W/NAME`, or nil.
    func text(_ name: String) -> String? {
        FileManager.default.contents(atPath: dir + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}
