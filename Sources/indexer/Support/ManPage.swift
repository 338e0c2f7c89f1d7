/// The indexer(1) man page in roff, generated from the commands' option tables.
enum ManPage {
    /// Exit codes as docs/FAILURES.md states them (IndexerError.Kind.exitCode maps to them).
    static let exitStatus: [(code: String, meaning: String)] = [
        ("0", "success"),
        ("1", "a failure: an I/O error part-way (a full disk, a failed rename), a damaged index or model, inputs that must agree and do not"),
        (
            "2",
            "usage or a bad input: an unknown or missing option, a malformed line, a missing or unreadable input file, an output that would overwrite an input"
        ),
        ("3", "a quality gate of a job file failed (indexer run)"),
    ]

    /// The environment variables the code reads (grep ProcessInfo and environment[ in Sources).
    static let environment: [(name: String, meaning: String)] = [
        ("HF_ENDPOINT", "the Hugging Face Hub address for hf: models (default https://huggingface.co)"),
        ("HF_HOME", "the Hugging Face folder (default $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface); its token file is read"),
        ("HF_HUB_CACHE", "the Hub cache hf: models are downloaded into (default $HF_HOME/hub)"),
        ("HUGGINGFACE_HUB_CACHE", "the older name of HF_HUB_CACHE, read when HF_HUB_CACHE is unset"),
        ("HF_HUB_OFFLINE", "1, ON, YES or TRUE: never download; hf: models must be in the cache"),
        ("TRANSFORMERS_OFFLINE", "as HF_HUB_OFFLINE"),
        ("HF_TOKEN", "the Hub access token (default: the token file in $HF_HOME)"),
        ("XDG_CACHE_HOME", "where HF_HOME defaults to, when HF_HOME is unset"),
        ("JOB_COMPLETION_INDEX", "the shard of build and search --shard-id env (Kubernetes Indexed Job); ignored without --shard-id"),
        ("SLURM_ARRAY_TASK_ID", "the shard of --shard-id env when JOB_COMPLETION_INDEX is unset (Slurm array); ignored without --shard-id"),
        ("INDEXER_QUIET", "when set, no progress output (as --quiet)"),
        ("INDEXER_TEST_EMBEDDER, INDEXER_TEST_KILL_AFTER_DOCS", "for the test suite only: a stand-in embedder, a simulated crash"),
    ]

    /// The whole page.
    static func page(commands: [any Command.Type]) -> String {
        var s = """
            .TH INDEXER 1 "" "indexer" "User Commands"
            .SH NAME
            indexer \\- offline retrieval and reranking: build index shards, search, rerank, evaluate
            .SH SYNOPSIS
            .B indexer
            .I COMMAND
            .RI [ OPTIONS ]
            .br
            .B indexer help
            .RI [ COMMAND ]
            .br
            .B indexer \\-\\-version
            .SH DESCRIPTION

            """
        s += text(Self.description) + "\n"
        s += ".SH COMMANDS\n"
        for c in commands where !c.summary.isEmpty { s += section(c) }
        s += ".SH EXIT STATUS\n" + exitStatus.map { ".TP\n.B \($0.code)\n\(text($0.meaning))\n" }.joined()
        s += ".PP\n" + text("What each command does on bad input, a full disk, a kill or a concurrent run: docs/FAILURES.md.") + "\n"
        s += ".SH ENVIRONMENT\n" + environment.map { ".TP\n.B \(escape($0.name))\n\(text($0.meaning))\n" }.joined()
        s += ".SH SEE ALSO\n" + text("README.md and docs/ in the source tree; indexer COMMAND --help.") + "\n"
        return s
    }

    static let description = """
        indexer embeds a corpus with a bi-encoder into compressed, checksummed index shards, runs query
        files against them for exact top-N candidates (dense, BM25 or hybrid), reranks each query's top K
        with a cross-encoder, writes TREC run files, evaluates them as trec_eval does and reports whether
        the reranker earns its latency. The same inputs give the same bytes out for any thread count,
        batch size or shard count.

        Results go to standard output and progress and messages to standard error. --out - writes a
        run or an .npy to standard output; - as an input read line by line (corpus, queries, runs,
        qrels, timings) is standard input, except embed --input. --quiet hides progress; warnings
        and errors always print. --help and help COMMAND print on standard output and exit 0; a usage error is
        reported on standard error with exit 2. indexer completions bash|zsh|fish prints a completion
        script, indexer man this page.
        """

    /// One command: its forms, its prose and every option.
    static func section(_ c: any Command.Type) -> String {
        var s = ".SS \(c.name)\n" + c.synopsis.map { ".B indexer\n" + text($0) + "\n" }.joined(separator: ".br\n")
        s += ".PP\n" + text(c.about) + "\n"
        for o in c.options {
            let head = "\\fB\(escape(o.name))\\fR" + (o.value.map { " \\fI\(escape($0))\\fR" } ?? "")
            let note = o.common ? " Read by indexer itself, before the command." : ""
            s += ".TP\n\(head)\n\(text(o.fullHelp + note))\n"
        }
        if !c.notes.isEmpty { s += ".PP\n" + text(c.notes) + "\n" }
        return s
    }

    /// Prose as roff lines: blank lines become paragraph breaks; an indented line stands on its
    /// own line (roff breaks before leading spaces, `.br` after), so the commands' small tables
    /// survive the filling.
    static func text(_ prose: String) -> String {
        prose.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line -> String in
                if line.trimmingTrailingSpaces.isEmpty { return ".PP" }
                return guardLine(escape(String(line))) + (line.hasPrefix(" ") ? "\n.br" : "")
            }
            .joined(separator: "\n")
    }

    /// `s` with roff's escape character and hyphens escaped (`\-` is a minus that never breaks).
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    }

    /// A line roff would read as a request (leading `.` or `'`) starts with a zero-width `\&`.
    static func guardLine(_ line: String) -> String {
        line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : line
    }
}

extension Substring {
    /// The text without trailing spaces.
    fileprivate var trimmingTrailingSpaces: Substring {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
