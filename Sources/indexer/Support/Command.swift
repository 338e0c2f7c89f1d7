import Formats

/// One subcommand: it parses and validates its arguments, then calls one library entry point.
///
/// Its help, completions and man page entry are generated from `synopsis`, `about`,
/// `options` and `notes` (Support/HelpText.swift), so they cannot drift from what it parses.
protocol Command {
    /// The word after `indexer`.
    static var name: String { get }
    /// One line for `indexer help`; empty hides the command from help, completions and man.
    static var summary: String { get }
    /// Each form of the command line, one string a form, after `indexer` (help wraps them).
    static var synopsis: [String] { get }
    /// The prose `--help` shows before the options.
    static var about: String { get }
    /// Every option it takes; ``Arguments/init(_:specs:)`` refuses the rest.
    static var options: [OptionSpec] { get }
    /// The prose `--help` shows after the options ("" for none).
    static var notes: String { get }
    /// What its words that are not options are, for the completions.
    static var operands: Operands { get }
    /// Parses the words after the command name; throws ``IndexerError/Kind/usage`` on bad words.
    init(arguments: [String]) throws
    /// Runs; success is exit 0, and every failure is thrown (main.swift alone maps errors to
    /// exit codes: docs/FAILURES.md).
    func run() throws
}

/// What a command's operands (its words that are not options) are.
enum Operands: Sendable, Equatable {
    /// It takes none.
    case none
    /// Files or folders (runs, an index folder, a job file).
    case paths
    /// One of these words.
    case choices([String])
}

extension Command {
    static var notes: String { "" }
    static var operands: Operands { .none }

    /// The full `indexer NAME --help` text.
    static var usage: String { HelpText.usage(self) }

    /// This command's arguments, parsed against its option table.
    static func parse(_ words: [String]) throws -> Arguments { try Arguments(words, specs: options) }
}
