/// The `--help` text of a command, generated from its option table.
enum HelpText {
    /// Help lines are wrapped at this width.
    static let width = 100
    /// Option help starts in this column.
    static let helpColumn = 24

    /// The whole help: synopsis, prose, the options, the common options, the notes.
    static func usage(_ c: any Command.Type) -> String {
        var lines: [String] = []
        for (i, form) in c.synopsis.enumerated() {
            // Continuation lines start under the first option, after "usage: indexer NAME ".
            let rest = String(repeating: " ", count: "usage: indexer ".count + c.name.count + 1)
            lines += wrapSynopsis("indexer " + form, first: i == 0 ? "usage: " : "       ", rest: rest)
        }
        lines.append("")
        lines.append(c.about)
        let own = c.options.filter { !$0.common }, common = c.options.filter(\.common)
        if !own.isEmpty {
            lines += ["", "options:"] + own.flatMap(optionLines)
        }
        lines += ["", "common options (read by indexer before the command):"] + common.flatMap(optionLines)
        lines += optionLines(OptionSpec.flag("-h, --help", "this help, on stdout"))
        if !c.notes.isEmpty { lines += ["", c.notes] }
        return lines.joined(separator: "\n")
    }

    /// One option: its name and value, then its help wrapped in the help column.
    static func optionLines(_ o: OptionSpec) -> [String] {
        let head = "  " + o.display
        let pad = String(repeating: " ", count: helpColumn)
        let body = wrap(o.fullHelp, width: width - helpColumn)
        if head.count + 2 > helpColumn {
            return [head] + body.map { pad + $0 }
        }
        let first = head + String(repeating: " ", count: helpColumn - head.count) + (body.first ?? "")
        return [first] + body.dropFirst().map { pad + $0 }
    }

    /// `text` cut into lines of at most `width` characters at spaces (a longer word stands alone).
    static func wrap(_ text: String, width: Int) -> [String] {
        words(text, keepingGroups: false).reduce(into: [String]()) { lines, word in
            if let last = lines.last, last.count + 1 + word.count <= width {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(word)
            }
        }
    }

    /// A synopsis wrapped at ``width``, never inside a `[...]` group.
    static func wrapSynopsis(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        for word in words(text, keepingGroups: true) {
            let start = lines.isEmpty ? first : rest
            if line.count > start.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = rest + word
            } else {
                line += (line.count > start.count ? " " : "") + word
            }
        }
        return lines + [line]
    }

    /// The words of `text`; with `keepingGroups`, a bracketed group is one word.
    static func words(_ text: String, keepingGroups: Bool) -> [String] {
        var out: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "[" { depth += 1 }
            if ch == "]" { depth = max(0, depth - 1) }
            if ch.isWhitespace && (depth == 0 || !keepingGroups) {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
