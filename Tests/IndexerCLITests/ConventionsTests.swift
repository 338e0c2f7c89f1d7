import Foundation
import TestSupport
import XCTest

/// The README's "Conventions", each checked on the built binary: help on stdout with exit 0,
/// usage errors on stderr with exit 2, the version, `-` as stdout and stdin, missing inputs.
final class ConventionsTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "conventions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "q1 Q0 d1 1 3.0 a\nq1 Q0 d2 2 2.0 a\nq2 Q0 d3 1 1.0 a\n".write(toFile: dir + "/a.run", atomically: true, encoding: .utf8)
        try "q1 Q0 d2 1 9.0 b\nq1 Q0 d4 2 8.0 b\nq2 Q0 d3 1 5.0 b\n".write(toFile: dir + "/b.run", atomically: true, encoding: .utf8)
        try "q1 0 d2 1\nq2 0 d3 2\n".write(toFile: dir + "/qrels.txt", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// The command names `indexer help` lists, plus the hidden bench-sgemm.
    static func commandNames() throws -> [String] {
        let help = try IndexerProcess.run(["help"])
        let listed = help.stdout.split(separator: "\n").drop { $0 != "commands:" }.dropFirst().prefix { $0.hasPrefix("  ") }
        return listed.map { String($0.split(separator: " ")[0]) } + ["bench-sgemm"]
    }

    func testVersionAndTopLevelHelp() throws {
        for args in [["--version"], ["version"], ["-V"]] {
            let r = try IndexerProcess.run(args)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("indexer ") && r.stdout.split(separator: ".").count == 3, r.stdout)
        }
        let top = try IndexerProcess.run(["--help"])
        XCTAssertEqual(top.status, 0)
        XCTAssertTrue(top.stdout.contains("usage: indexer COMMAND"), top.stdout)
        let none = try IndexerProcess.run([])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("usage: indexer COMMAND") && none.stdout.isEmpty)
    }

    func testEveryCommandsHelpIsOnStdoutWithExitZero() throws {
        let names = try Self.commandNames()
        XCTAssertTrue(names.contains("search") && names.contains("completions") && names.contains("man"), "\(names)")
        for name in names {
            for args in [[name, "--help"], [name, "-h"], ["help", name]] {
                let r = try IndexerProcess.run(args)
                XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
                XCTAssertEqual(r.stderr, "", "\(args)")
                XCTAssertTrue(r.stdout.hasPrefix("usage: indexer \(name)"), "\(args): \(r.stdout)")
                XCTAssertTrue(r.stdout.contains("-h, --help"), "\(args)")
            }
        }
        let unknown = try IndexerProcess.run(["help", "no-such-command"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no-such-command") && unknown.stdout.isEmpty, unknown.stderr)
    }

    func testAnUnknownOptionIsAUsageErrorNamingIt() throws {
        for name in try Self.commandNames() {
            let r = try IndexerProcess.run([name, "--no-such-option", "1"])
            XCTAssertEqual(r.status, 2, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("unknown option --no-such-option"), "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("see 'indexer \(name) --help'"), "\(name): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", name)
        }
    }

    func testDashOutIsStandardOutput() throws {
        let r = try IndexerProcess.run(["fuse", "--top-n", "2", "--out", "-", dir + "/a.run", dir + "/b.run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, r.stdout)
        // d2 is in both runs (ranks 2 and 1), so RRF puts it first for q1.
        XCTAssertTrue(lines.first?.hasPrefix("q1 Q0 d2 1 ") ?? false, r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "-"))
    }

    func testDashInputIsStandardInput() throws {
        let env = ["B": try IndexerProcess.binary, "D": dir]
        let piped = try Self.bash(#"cat "$D/a.run" | "$B" eval --qrels "$D/qrels.txt" --metrics map,ndcg@10 -"#, env: env)
        let file = try IndexerProcess.run(["eval", "--qrels", dir + "/qrels.txt", "--metrics", "map,ndcg@10", dir + "/a.run"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.contains("map"), piped.stdout)
        // The same figures whether the run comes from a pipe or from the file.
        let figures = { (s: String) in s.split(separator: "\n").dropFirst().map { $0.split(separator: " ").dropFirst() } }
        XCTAssertEqual(figures(piped.stdout), figures(file.stdout), piped.stdout + file.stdout)
        XCTAssertFalse(figures(piped.stdout).isEmpty)
    }

    func testAMissingInputFileIsExitTwo() throws {
        let missing = dir + "/no-such.run"
        for args in [
            ["eval", "--qrels", dir + "/qrels.txt", missing],
            ["eval", "--qrels", dir + "/no-such-qrels.txt", dir + "/a.run"],
            ["fuse", "--top-n", "5", "--out", "-", missing, dir + "/a.run"],
        ] {
            let r = try IndexerProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("no-such"), r.stderr)
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
    }

    func testFuseTakesRrfKAndTheOldKWithAWarning() throws {
        let loud = try IndexerProcess.run(["fuse", "--top-n", "2", "--k", "60", "--out", dir + "/f.run", dir + "/a.run", dir + "/b.run"])
        XCTAssertEqual(loud.status, 0, loud.stderr)
        // The deprecated alias warns, and still means --rrf-k: the same bytes as the new name.
        XCTAssertTrue(loud.stderr.contains("warning: --k is deprecated; use --rrf-k"), loud.stderr)
        let new = try IndexerProcess.run(["fuse", "--top-n", "2", "--rrf-k", "60", "--out", "-", dir + "/a.run", dir + "/b.run"])
        XCTAssertEqual(new.stdout, try String(contentsOfFile: dir + "/f.run", encoding: .utf8))
        XCTAssertFalse(new.stderr.contains("deprecated"), new.stderr)
    }

    /// Runs `script` under /bin/bash with `env` added.
    static func bash(_ script: String, env: [String: String]) throws -> IndexerProcess.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return IndexerProcess.Result(
            status: p.terminationStatus, signal: p.terminationReason == .uncaughtSignal,
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
