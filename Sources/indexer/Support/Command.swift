import Formats

/// One subcommand: it parses and validates its arguments, then calls one library entry point.
protocol Command {
    /// The word after `indexer`.
    static var name: String { get }
    /// One line for `indexer help`.
    static var summary: String { get }
    /// The full usage text for `indexer NAME --help`.
    static var usage: String { get }
    /// Parses the words after the command name; throws ``IndexerError/Kind/usage`` on bad words.
    init(arguments: [String]) throws
    /// Runs; success is exit 0, and every failure is thrown (main.swift alone maps errors to
    /// exit codes: docs/FAILURES.md).
    func run() throws
}
