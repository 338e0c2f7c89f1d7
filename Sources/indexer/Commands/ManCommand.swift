import Formats

/// `indexer man`: the indexer(1) man page in roff, from the same tables as `--help`.
struct ManCommand: Command {
    static let name = "man"
    static let summary = "print the indexer(1) man page (roff; docs/indexer.1 is a copy)"
    static let synopsis = ["man"]
    static let about = """
        Prints the man page: every command with its options, the exit status and the environment,
        generated from the same option tables as --help. Read it with: indexer man | man -l -
        """
    static let options: [OptionSpec] = []

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
    }

    func run() throws {
        try StandardOutput.write(ManPage.page(commands: commands))
    }
}
