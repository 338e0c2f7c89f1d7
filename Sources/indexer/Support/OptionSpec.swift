/// One option of a command: the single place its name, value, help and completions come from.
///
/// A command's `options` table builds its ``Arguments`` parser (so an undeclared option is
/// refused), the options part of its `--help`, the shell completions and the man page.
struct OptionSpec: Sendable {
    /// The option as typed, `--top-n`.
    let name: String
    /// The value's placeholder (`N`, `PATH`); nil for a flag, which takes no value.
    let value: String?
    /// What it does; may be several sentences (help wraps it).
    let help: String
    /// The default, as help shows it (`60`, `all cores`); nil when there is none to show.
    var defaultText: String? = nil
    /// Its fixed values (`dense`, `bm25`, `hybrid`), offered by the completions.
    var choices: [String] = []
    /// Whether its value is a file or folder path (the completions offer file names).
    var isPath = false
    /// Whether it may be given more than once (every value is kept).
    var repeatable = false
    /// Old names still accepted, each with a warning on stderr that names this one.
    var deprecatedAliases: [String] = []
    /// Read by `indexer` itself before the command parses its words (`--log-json`): listed in
    /// help, completions and the man page, but not known to the command's ``Arguments``.
    var common = false

    /// Whether it takes no value.
    var isFlag: Bool { value == nil }

    /// An option taking a value.
    static func option(
        _ name: String, _ value: String, _ help: String, default defaultText: String? = nil, choices: [String] = [],
        path: Bool = false, repeatable: Bool = false
    ) -> OptionSpec {
        OptionSpec(name: name, value: value, help: help, defaultText: defaultText, choices: choices, isPath: path, repeatable: repeatable)
    }

    /// A flag (no value).
    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, value: nil, help: help)
    }

    /// `--quiet`, with what it hides on this command (warnings and errors always print).
    static func quiet(_ hides: String = "no progress on stderr") -> OptionSpec {
        flag("--quiet", hides + " (warnings and errors still print)")
    }

    /// `--log-json FILE`, read by main.swift for the long commands (a common option).
    static let logJSON = OptionSpec(
        name: "--log-json", value: "FILE", help: "also write the command's progress and messages to FILE as JSON lines",
        isPath: true, common: true)

    /// `--name VALUE` as a synopsis or help shows it.
    var display: String { value.map { "\(name) \($0)" } ?? name }

    /// The help with its default appended, as `--help` and the man page show it.
    var fullHelp: String {
        var s = help
        // Name the fixed values unless the placeholder or the prose already does.
        if !choices.isEmpty, value != choices.joined(separator: "|"), !choices.allSatisfy(help.contains) {
            s += ": one of \(choices.joined(separator: "|"))"
        }
        if let d = defaultText { s += " (default \(d))" }
        if repeatable { s += "; repeatable" }
        if !deprecatedAliases.isEmpty { s += "; \(deprecatedAliases.joined(separator: ", ")) is a deprecated alias" }
        return s
    }
}

extension Arguments {
    /// Parses `words` against a command's option table; `common` options are left to main.swift.
    init(_ words: [String], specs: [OptionSpec]) throws {
        let own = specs.filter { !$0.common }
        var aliases: [String: String] = [:]
        for s in own { for a in s.deprecatedAliases { aliases[a] = s.name } }
        try self.init(
            words, options: own.filter { !$0.isFlag }.map(\.name), flags: own.filter(\.isFlag).map(\.name), aliases: aliases)
    }
}

extension OptionSpec {
    /// `--model M`: a model folder or a Hub reference.
    static func modelOption(_ what: String, default d: String = "models/all-MiniLM-L6-v2", more: String = "") -> OptionSpec {
        option("--model", "M", "\(what) folder or hf:ORG/NAME[@REV] (docs/MODELS.md)" + more, default: d, path: true)
    }

    /// `--threads T`, which never changes the output.
    static func threadsOption(_ what: String = "threads") -> OptionSpec {
        option("--threads", "T", "\(what); does not change the output", default: "all cores")
    }

    /// `--precision P`: the kernels of the model's weight products.
    static func precisionOption(_ what: String) -> OptionSpec {
        option("--precision", "P", "fp32, bf16 or int8 \(what)", default: "fp32", choices: ["fp32", "bf16", "int8"])
    }
}
