import Formats
import Foundation
import Inference

/// `indexer embed`: JSON lines → float32 `.npy` of embeddings.
struct EmbedCommand: Command {
    static let name = "embed"
    static let summary = "embed JSON-line texts into a float32 .npy (row i = line i)"
    static let synopsis = [
        "embed --input FILE --out FILE.npy [--model DIR|hf:ORG/NAME[@REV]] [--as text|query|document] [--query-prompt P] "
            + "[--document-prompt P] [--batch-size B] [--threads T] [--max-length L] [--precision P] [--quiet]"
    ]
    static let about = """
        Reads JSON lines (plain or .gz): a BEIR corpus record {"_id", "title", "text"} is
        embedded as (title + " " + text) stripped of surrounding whitespace, as BEIR does; any
        other object is embedded from its "text". Writes a NumPy .npy (format 1.0, '<f4', C
        order, shape (lines, dimension)) atomically; vectors are L2-normalised when the model
        has a Normalize module (docs/MODELS.md).
        """
    static let options: [OptionSpec] = [
        .modelOption("sentence-transformers"),
        .option(
            "--as", "ROLE",
            "text (the model's default prompt, as encode), query (its query prompt, as encode_query) or document "
                + "(as encode_document)", default: "text", choices: ["text", "query", "document"]),
        .option("--query-prompt", "P", "replaces the model's query prompt (\"\" for none)"),
        .option("--document-prompt", "P", "replaces the model's document prompt (\"\" for none)"),
        .option("--input", "FILE", "the JSON-lines file", path: true),
        .option("--out", "FILE.npy", "the output (- for stdout)", path: true),
        .option("--batch-size", "B", "texts per model call; does not change the output", default: "32"),
        .threadsOption("encoder threads"),
        .option("--max-length", "L", "word pieces per text (2...100000)", default: "the model's, 256 for MiniLM"),
        .precisionOption("weight products (docs/QUANTISATION.md)"),
        .quiet("no progress and no summary on stderr"),
        .logJSON,
    ]
    static let notes = "Exit 2 for a malformed input line (file:line named), 1 for a missing or damaged model."

    let model: String, input: String, output: String
    let batchSize: Int, threads: Int?, maxLength: Int?, quiet: Bool
    let prompting: EmbedPrompting
    let precision: Precision

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
        model = a.string("--model") ?? "models/all-MiniLM-L6-v2"
        input = try a.required("--input")
        output = try a.required("--out")
        batchSize = try a.int("--batch-size", default: 32, in: 1...65536)!
        threads = try a.int("--threads", in: CPUBudget.threadRange)
        maxLength = try a.int("--max-length", in: 2...100_000)
        quiet = a.flag("--quiet")
        prompting = EmbedPrompting(
            role: TextRole(rawValue: try a.choice("--as", ["text", "query", "document"], default: "text"))!,
            queryPrompt: a.string("--query-prompt"), documentPrompt: a.string("--document-prompt"))
        precision = try a.precision()
    }

    func run() throws {
        try OutputPath.refuseOverwriting(output: ("vectors file", output), inputs: [("input", input)])
        let s = try EmbedFile.run(
            modelDirectory: model, input: input, output: output, batchSize: batchSize,
            threads: threads, maxLength: maxLength, prompting: prompting, quiet: quiet, precision: precision)
        if !quiet {
            let secs = max(s.encodeSeconds, 1e-9)
            if precision != .fp32 { Console.info("embed: precision \(precision.kernelPath)") }
            Console.info(
                String(
                    format: "embed: %d texts, %d tokens, dim %d in %.2f s: %.1f texts/s, %.1f tokens/s",
                    s.texts, s.tokens, s.dimension, s.encodeSeconds, Double(s.texts) / secs,
                    Double(s.tokens) / secs))
        }
    }
}
