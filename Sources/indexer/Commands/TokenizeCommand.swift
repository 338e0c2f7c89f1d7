import Formats
import Foundation
import Tokenization

/// `indexer tokenize`: word-piece statistics of a corpus and the tokenizer's speed on it.
struct TokenizeCommand: Command {
    static let name = "tokenize"
    static let summary = "count a corpus's word pieces (truncation, longest) and time the tokenizer"
    static let synopsis = ["tokenize --corpus FILE [--model DIR] [--max-length N]"]
    static let about = """
        Tokenises every document (title + " " + text) with the model's WordPiece tokenizer, on one
        thread, and prints: documents, word pieces (mean, longest), how many documents encode
        truncates at --max-length, and pieces/s and documents/s. The corpus is loaded first, so
        the timings exclude reading and parsing.
        """
    static let options: [OptionSpec] = [
        .option("--corpus", "FILE", "BEIR corpus.jsonl or collection.tsv (plain or .gz)", path: true),
        .option("--model", "DIR", "model folder with tokenizer.json or vocab.txt", default: "models/all-MiniLM-L6-v2", path: true),
        .option("--max-length", "N", "the encode length, special tokens included", default: "256"),
    ]

    let corpus: String
    let model: String
    let maxLength: Int

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
        guard a.positionals.isEmpty else { throw IndexerError(.usage, "unexpected argument '\(a.positionals[0])'") }
        corpus = try a.required("--corpus")
        model = a.string("--model") ?? "models/all-MiniLM-L6-v2"
        maxLength = try a.int("--max-length", default: 256, in: 2...1_000_000) ?? 256
    }

    func run() throws {
        let tokenizer = try Tokenizers.load(modelDirectory: model)
        let stats = try CorpusTokenStatistics.measure(corpusPath: corpus, tokenizer: tokenizer, maxLength: maxLength)
        try StandardOutput.write(stats.report)
    }
}
