import Formats
import Foundation
import Inference

#if canImport(Glibc)
    import Glibc
#endif

/// Every subcommand, in the order `indexer help` lists them.
let commands: [any Command.Type] = [
    BuildCommand.self, InspectCommand.self, VerifyCommand.self,
    EvalCommand.self,
    ReportCommand.self,
    TokenizeCommand.self,
    RerankCommand.self,
    RunCommand.self,
    SearchCommand.self, MergeCommand.self, FuseCommand.self,
    EmbedCommand.self, BenchSgemmCommand.self,
    CompletionsCommand.self, ManCommand.self,
]

func usageText() -> String {
    var s = "usage: indexer COMMAND [OPTIONS]\n\nOffline retrieval and reranking: build index shards, search, rerank, evaluate.\n\ncommands:\n"
    for c in commands where !c.summary.isEmpty { s += "  " + c.name.padding(toLength: 13, withPad: " ", startingAt: 0) + c.summary + "\n" }
    s += "\n'indexer COMMAND --help' (or 'indexer help COMMAND') shows a command's options; 'indexer --version' the version.\n"
    return s
}

/// Writes help to standard output; a failed write (a full disk, a closed pipe) exits 1.
func writeOrFail(_ text: String) -> Int32 {
    do { try StandardOutput.write(text) } catch {
        Console.error("\(error)")
        return 1
    }
    return 0
}

/// Maps every failure to a message and an exit code, in one place (see docs/ARCHITECTURE.md).
func main() -> Int32 {
    let argv = Array(CommandLine.arguments.dropFirst())
    guard let first = argv.first else {
        Console.write(usageText())
        return 2
    }
    if ["--version", "-V", "version"].contains(first) {
        return writeOrFail("indexer \(IndexerVersion.current)\n")
    }
    if ["help", "--help", "-h"].contains(first) {
        // Asked-for help is a result: standard output, exit 0.
        if first == "help", argv.count > 1 {
            guard let type = commands.first(where: { $0.name == argv[1] }) else {
                Console.error("unknown command '\(argv[1])'; 'indexer help' lists them")
                return 2
            }
            return writeOrFail(type.usage + "\n")
        }
        return writeOrFail(usageText())
    }
    guard let type = commands.first(where: { $0.name == first }) else {
        Console.error("unknown command '\(first)'; 'indexer help' lists them")
        return 2
    }
    var rest = Array(argv.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
        return writeOrFail(type.usage + "\n")
    }
    var logPath: String?
    if jsonLoggedCommands.contains(type.name) {
        do { (rest, logPath) = try removeLogJSON(rest) } catch {
            Console.error("\(error)")
            Console.error("see 'indexer \(type.name) --help'")
            return 2
        }
    }
    guard let logPath else { return execute(type, rest).code }
    return executeLogged(type, rest, logPath: logPath)
}

/// Runs one command; returns its exit code and, on failure, the message printed.
func execute(_ type: any Command.Type, _ arguments: [String]) -> (code: Int32, error: String?) {
    do {
        let command = try type.init(arguments: arguments)
        try command.run()
        return (0, nil)
    } catch let error as IndexerError {
        Console.error(error.description)
        if error.kind == .usage { Console.error("see 'indexer \(type.name) --help'") }
        return (error.kind.exitCode, error.description)
    } catch {
        Console.error("\(error)")
        return (1, "\(error)")
    }
}

/// The long commands, which take `--log-json FILE` (README, "Progress and logs").
let jsonLoggedCommands: Set<String> = ["build", "embed", "search", "rerank", "run", "merge", "fuse"]

/// Takes `--log-json FILE` and `--log-json=FILE` out of `arguments` (the last one wins), so
/// that no command parses it; arguments after `--` are left alone.
func removeLogJSON(_ arguments: [String]) throws -> (rest: [String], path: String?) {
    var rest: [String] = []
    var path: String?
    var i = 0
    while i < arguments.count {
        let a = arguments[i]
        if a == "--" {
            rest += arguments[i...]
            break
        } else if a == "--log-json" {
            guard i + 1 < arguments.count, !arguments[i + 1].isEmpty else { throw IndexerError(.usage, "--log-json needs a FILE") }
            path = arguments[i + 1]
            i += 1
        } else if a.hasPrefix("--log-json=") {
            path = String(a.dropFirst("--log-json=".count))
            guard path?.isEmpty == false else { throw IndexerError(.usage, "--log-json needs a FILE") }
        } else {
            rest.append(a)
        }
        i += 1
    }
    return (rest, path)
}

/// Runs one command between a start and an end event in the JSON log at `logPath`.
func executeLogged(_ type: any Command.Type, _ arguments: [String], logPath: String) -> Int32 {
    do { try EventLog.open(path: logPath, runID: UUID().uuidString.lowercased()) } catch {
        Console.error("\(error)")
        return (error as? IndexerError)?.kind.exitCode ?? 1
    }
    let began = Formats.Progress.monotonic()
    EventLog.record(
        "start",
        [
            "command": type.name, "arguments": arguments, "indexer_version": IndexerVersion.current,
            "pid": Int(getpid()), "cwd": FileManager.default.currentDirectoryPath,
        ], sync: true)
    let (code, message) = execute(type, arguments)
    var end: [String: Any] = ["command": type.name, "exit": Int(code), "seconds": Formats.Progress.rounded(Formats.Progress.monotonic() - began)]
    if let message { end["error"] = message }
    EventLog.record("end", end, sync: true)
    EventLog.close()
    return code
}

/// Restarts the process with `OPENBLAS_CORETYPE` set when OpenBLAS took this CPU for a generic
/// one (``BLASCore``): the fp32 products then run up to 4× faster. Same arguments, streams and
/// environment; if the restart fails, the run goes on with the loaded kernels.
func restartForBLASCoreIfNeeded() {
    let environment = ProcessInfo.processInfo.environment
    guard let core = BLASCore.restartCore(environment: environment) else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    unsetenv("OPENBLAS_CORETYPE")
}

restartForBLASCoreIfNeeded()
exit(main())
