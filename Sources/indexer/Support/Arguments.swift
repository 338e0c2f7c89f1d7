import Formats
import Foundation

/// The parsed words of one command line: `--name value`, `--name=value`, flags, positionals.
///
/// A command declares its options and flags up front (``init(_:options:flags:)``), reads them
/// with the typed getters, and the parser refuses anything undeclared with a usage error.
struct Arguments {
    private var values: [String: [String]] = [:]
    private var presentFlags: Set<String> = []
    /// Every name the command declared: reading another is a bug in the command (a misspelt
    /// name), caught the first time that line runs instead of reading as "not given".
    private var declared: Set<String> = []
    /// Words that are not options, in order.
    private(set) var positionals: [String] = []

    /// Parses `words` against the declared option names (taking a value) and flags (taking none);
    /// an alias (an old name) counts as its option, with a warning on stderr naming the new one.
    init(_ words: [String], options: [String], flags: [String] = [], aliases: [String: String] = [:]) throws {
        let optionSet = Set(options), flagSet = Set(flags + ["--help", "-h"])
        declared = optionSet.union(flagSet)
        var i = 0
        var onlyPositionals = false
        while i < words.count {
            let w = words[i]
            i += 1
            if onlyPositionals || !w.hasPrefix("-") || w == "-" {
                positionals.append(w)
                continue
            }
            if w == "--" { onlyPositionals = true; continue }
            var name = w, inline: String? = nil
            if let eq = w.firstIndex(of: "=") {
                name = String(w[..<eq])
                inline = String(w[w.index(after: eq)...])
            }
            if let canonical = aliases[name] {
                Console.warning("\(name) is deprecated; use \(canonical)")
                name = canonical
            }
            if flagSet.contains(name) {
                guard inline == nil else { throw IndexerError(.usage, "\(name) takes no value") }
                presentFlags.insert(name)
            } else if optionSet.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard i < words.count else { throw IndexerError(.usage, "\(name) needs a value") }
                    values[name, default: []].append(words[i])
                    i += 1
                }
            } else {
                let known = (options + flags).sorted().joined(separator: " ")
                throw IndexerError(.usage, "unknown option \(name) (known: \(known))")
            }
        }
    }

    /// Whether `--help` or `-h` was given.
    var wantsHelp: Bool { presentFlags.contains("--help") || presentFlags.contains("-h") }

    /// Traps on a name the command did not declare: a misspelt name in the command's code.
    private func checkDeclared(_ name: String) {
        precondition(declared.contains(name), "\(name) is not in the command's option table")
    }

    /// Whether a flag was given.
    func flag(_ name: String) -> Bool {
        checkDeclared(name)
        return presentFlags.contains(name)
    }

    /// The last value of an option, if given.
    func string(_ name: String) -> String? {
        checkDeclared(name)
        return values[name]?.last
    }

    /// The one operand a command takes (named `what` in the error when there are none or several).
    func onePositional(_ what: String) throws -> String {
        guard positionals.count == 1 else { throw IndexerError(.usage, "expected one \(what)") }
        return positionals[0]
    }

    /// Every value of a repeatable option.
    func strings(_ name: String) -> [String] {
        checkDeclared(name)
        return values[name] ?? []
    }

    /// The value of an option that must be given.
    func required(_ name: String) throws -> String {
        guard let v = string(name) else { throw IndexerError(.usage, "missing \(name)") }
        return v
    }

    /// An integer option within `range`.
    func int(_ name: String, default fallback: Int? = nil, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let s = string(name) else { return fallback }
        guard let v = Int(s), range.contains(v) else {
            throw IndexerError(.usage, "\(name) takes a whole number in \(range.lowerBound)...\(range.upperBound), not '\(s)'")
        }
        return v
    }

    /// A floating-point option.
    func double(_ name: String, default fallback: Double? = nil) throws -> Double? {
        guard let s = string(name) else { return fallback }
        guard let v = Double(s), v.isFinite else { throw IndexerError(.usage, "\(name) takes a number, not '\(s)'") }
        return v
    }

    /// An option whose value is one of `choices`.
    func choice(_ name: String, _ choices: [String], default fallback: String) throws -> String {
        guard let s = string(name) else { return fallback }
        guard choices.contains(s) else {
            throw IndexerError(.usage, "\(name) takes one of \(choices.joined(separator: "|")), not '\(s)'")
        }
        return s
    }

    /// A comma-separated list option.
    func list(_ name: String) -> [String]? {
        string(name).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}
