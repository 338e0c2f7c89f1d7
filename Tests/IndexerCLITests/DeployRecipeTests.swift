import Foundation
import TestSupport
import XCTest

/// The recipes of deploy/: Kubernetes manifests against the OpenAPI schemas plus a dry run of
/// the phases (scripts/check-kubernetes), and the Slurm scripts' shell syntax and failure rules.
/// The recipes run for real on a Slurm cluster in scripts/test-slurm.
final class DeployRecipeTests: XCTestCase {
    func run(_ executable: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: IndexerProcess.packageRoot)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    func testKubernetesManifestsPassTheSchemaAndPhaseChecks() throws {
        let r = try run(IndexerProcess.packageRoot + "/scripts/check-kubernetes", [])
        if r.status == 77 { throw XCTSkip("kubernetes-validate cannot be installed here: \(r.output)") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(
            r.output.contains("phase 2: kubectl apply -f deploy/kubernetes/search.yaml creates Job/indexer-query-vectors, Job/indexer-search\n"), r.output)
        XCTAssertTrue(r.output.contains("no merge or rerank before phase 3"), r.output)
    }

    func testSlurmScriptsParseAndFailOnAnyFailedStep() throws {
        let dir = IndexerProcess.packageRoot + "/deploy/slurm/"
        for f in ["submit.sh", "settings.sh", "build-index.sbatch", "search-rerank.sbatch"] {
            let r = try run("/bin/bash", ["-n", dir + f])
            XCTAssertEqual(r.status, 0, "\(f): \(r.output)")
        }
        let search = try String(contentsOfFile: dir + "search-rerank.sbatch", encoding: .utf8)
        XCTAssertTrue(search.contains("set -euo pipefail"))
        XCTAssertTrue(search.contains(#"wait "${pids[$i]}" || failed+=("$i")"#), "each search step's pid is waited for")
        XCTAssertFalse(search.contains("\nwait\n"), "no bare wait")
        let submit = try String(contentsOfFile: dir + "submit.sh", encoding: .utf8)
        XCTAssertTrue(submit.contains("--kill-on-invalid-dep=yes"))
        XCTAssertTrue(submit.contains(#"--cpus-per-task="$CPUS_PER_TASK""#))
    }
}

/// The container case: a build as uid 10001 into a folder it may not write fails with the
/// project's message (path, operation, errno text), never a Foundation dump.
final class ForeignUIDFolderTests: XCTestCase {
    func testBuildIntoAFolderOfAnotherUserIsAnIndexerError() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { throw XCTSkip("needs root and setpriv") }
        // Under /tmp itself, not TMPDIR: uid 10001 must be able to reach the folder.
        let dir = try temporaryFolder("foreign-uid", in: "/tmp").path
        try FileManager.default.createDirectory(atPath: dir + "/shards", withIntermediateDirectories: true)
        chmod(dir, 0o755); chmod(dir + "/shards", 0o755)
        try "a\tsome text\n".write(toFile: dir + "/c.tsv", atomically: true, encoding: .utf8)
        chmod(dir + "/c.tsv", 0o644)
        let binary = dir + "/indexer"
        try FileManager.default.copyItem(atPath: try IndexerProcess.binary, toPath: binary)
        chmod(binary, 0o755)
        for out in [dir + "/shards/demo", dir + "/shards"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = [
                "--reuid=10001", "--regid=10001", "--clear-groups", binary,
                "build", "--corpus", dir + "/c.tsv", "--out", out, "--shards", "1", "--quiet",
            ]
            p.environment = ["INDEXER_TEST_EMBEDDER": "hash-8", "PATH": "/usr/bin:/bin"]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            if text.contains("error while loading shared libraries") { throw XCTSkip("the toolchain's libraries are not readable as uid 10001") }
            XCTAssertNotEqual(p.terminationStatus, 0, text)
            XCTAssertTrue(text.contains("(Permission denied)") && text.contains(out), text)
            XCTAssertFalse(text.contains("NSCocoaErrorDomain") || text.contains("Error Domain"), text)
        }
    }
}
