import Foundation
import TestSupport
import XCTest

/// `--precision` on embed, build, search and rerank: a bad value is a usage error (exit 2),
/// and a non-fp32 run names the kernel path on stderr.
final class PrecisionArgumentTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try temporaryFolder("precision").path }

    func testBadPrecisionExitsTwoOnEveryModelCommand() throws {
        let commands: [[String]] = [
            ["embed", "--input", dir + "/in.jsonl", "--out", dir + "/x.npy"],
            ["build", "--corpus", dir + "/in.jsonl", "--out", dir + "/index", "--shards", "1"],
            ["search", "--index", dir + "/index", "--queries", dir + "/q.jsonl", "--top-n", "10", "--out", dir + "/run"],
            [
                "rerank", "--candidates", dir + "/run", "--queries", dir + "/q.jsonl", "--docs", dir + "/in.jsonl",
                "--depth", "10", "--out", dir + "/out",
            ],
        ]
        for args in commands {
            let r = try IndexerProcess.run(args + ["--precision", "int4"])
            XCTAssertEqual(r.status, 2, args[0])
            XCTAssertTrue(r.stderr.contains("--precision must be fp32, bf16 or int8, not 'int4'"), r.stderr)
        }
    }

    func testInt8EmbedNamesItsKernelPath() throws {
        let input = dir + "/in.jsonl"
        try "{\"text\": \"a short text\"}\n".write(toFile: input, atomically: true, encoding: .utf8)
        let r = try IndexerProcess.run([
            "embed", "--model", EmbedCommandTests.tinyModel, "--input", input,
            "--out", dir + "/x.npy", "--precision", "int8",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("embed: precision int8 "), r.stderr)
    }
}
