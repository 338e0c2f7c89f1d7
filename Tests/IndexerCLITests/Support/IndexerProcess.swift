import Foundation
import XCTest

/// Runs the built `indexer` binary as a subprocess, for tests of whole commands.
struct IndexerProcess {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The `indexer` binary built beside the test bundle.
    static var binary: String {
        get throws {
            let here = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("indexer").path
            for p in [here, packageRoot + "/.build/debug/indexer"] where FileManager.default.isExecutableFile(atPath: p) { return p }
            throw XCTSkip("indexer binary not built (swift build --build-tests)")
        }
    }

    struct Result {
        var status: Int32
        /// True when the process was ended by a signal (SIGKILL in the crash tests).
        var signal: Bool
        var stdout: String
        var stderr: String
    }

    let process = Process()
    private let out = Pipe(), err = Pipe()

    /// Starts `indexer ARGS` with the test's environment plus `env`; scheduler variables are
    /// removed unless `env` sets them.
    init(_ args: [String], env extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try Self.binary)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["JOB_COMPLETION_INDEX"] = nil
        env["SLURM_ARRAY_TASK_ID"] = nil
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    /// Waits for the exit and collects both streams.
    func finish() -> Result {
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, signal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs `indexer ARGS` to the end.
    @discardableResult
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        try IndexerProcess(args, env: env).finish()
    }
}
