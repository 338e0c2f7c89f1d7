import Foundation
import XCTest

/// Runs the built `indexer` binary as a subprocess, for tests of whole commands.
public struct IndexerProcess {
    /// The package root (two levels above this file).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The `indexer` binary built beside the test bundle.
    public static var binary: String {
        get throws {
            let here = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("indexer").path
            for p in [here, packageRoot + "/.build/debug/indexer"] where FileManager.default.isExecutableFile(atPath: p) { return p }
            throw XCTSkip("indexer binary not built (swift build --build-tests)")
        }
    }

    public struct Result {
        public var status: Int32
        /// True when the process was ended by a signal (SIGKILL in the crash tests).
        public var signal: Bool
        public var stdout: String
        public var stderr: String

        public init(status: Int32, signal: Bool, stdout: String, stderr: String) {
            self.status = status
            self.signal = signal
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    public let process = Process()
    private let out = Pipe(), err = Pipe()

    /// Starts `indexer ARGS` with the test's environment plus `env`; scheduler variables are
    /// removed unless `env` sets them.
    public init(_ args: [String], env extra: [String: String] = [:]) throws {
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
    public func finish() -> Result {
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, signal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs `indexer ARGS` to the end.
    @discardableResult
    public static func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        try IndexerProcess(args, env: env).finish()
    }
}

/// The tiny checkpoints the tests share (made by scripts/reference; see Tests/InferenceTests/Golden).
public enum Fixtures {
    /// A 2-layer random BERT cross-encoder with a 1-logit head: fast stand-in for the reranker.
    public static let tinyCrossEncoder = IndexerProcess.packageRoot + "/Tests/InferenceTests/Golden/cross-f32"
}
