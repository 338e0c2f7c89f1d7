import Formats

/// `indexer completions bash|zsh|fish`: a shell completion script from the option tables.
struct CompletionsCommand: Command {
    static let name = "completions"
    static let summary = "print a bash, zsh or fish completion script"
    static let synopsis = ["completions bash|zsh|fish"]
    static let about = """
        Prints a completion script for the shell, generated from every command's option table:
        the commands, each command's options, the fixed values of options such as --retriever,
        and file names for options that take a path. Install it as, for example:
          indexer completions bash > ~/.local/share/bash-completion/completions/indexer
          indexer completions zsh > ~/.zfunc/_indexer     (a folder on $fpath)
          indexer completions fish > ~/.config/fish/completions/indexer.fish
        """
    static let options: [OptionSpec] = []
    static let operands = Operands.choices(Completions.shells)

    let shell: String

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.count == 1, Completions.shells.contains(a.positionals[0]) else {
            throw IndexerError(.usage, "give one shell: \(Completions.shells.joined(separator: "|"))")
        }
        shell = a.positionals[0]
    }

    func run() throws {
        try StandardOutput.write(Completions.script(shell, commands: commands))
    }
}
