import Formats
import Foundation

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
    let rest = Array(argv.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
        return writeOrFail(type.usage + "\n")
    }
    do {
        let command = try type.init(arguments: rest)
        try command.run()
        return 0
    } catch let error as IndexerError {
        Console.error(error.description)
        if error.kind == .usage { Console.error("see 'indexer \(type.name) --help'") }
        return error.kind.exitCode
    } catch {
        Console.error("\(error)")
        return 1
    }
}

exit(main())
