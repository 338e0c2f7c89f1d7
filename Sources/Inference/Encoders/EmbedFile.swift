import Formats
import Foundation

/// What `indexer embed` did.
public struct EmbedSummary: Sendable {
    public var texts: Int
    /// Word pieces fed to the encoder, [CLS] and [SEP] included, after truncation.
    public var tokens: Int
    public var dimension: Int
    /// Seconds spent tokenising and encoding (model load and file reading excluded).
    public var encodeSeconds: Double
}

/// How `indexer embed` embeds its texts: which side they are and the prompt overrides.
public struct EmbedPrompting: Sendable {
    /// query, document, or text (sentence-transformers' plain `encode`: the default prompt).
    public var role: TextRole = .text
    /// Replaces the model's query prompt when set.
    public var queryPrompt: String?
    /// Replaces the model's document prompt when set.
    public var documentPrompt: String?

    /// The model's prompts for plain texts.
    public init(role: TextRole = .text, queryPrompt: String? = nil, documentPrompt: String? = nil) {
        self.role = role
        self.queryPrompt = queryPrompt
        self.documentPrompt = documentPrompt
    }
}

/// `indexer embed`: JSON lines in, a float32 `.npy` of vectors out (row i = line i).
public enum EmbedFile {
    /// Embeds every line of `input` with the bi-encoder `model` (a folder or
    /// `hf:ORG/NAME[@REV]`), with the prompt `prompting` picks, and writes
    /// `output` (shape (n, dimension), '<f4', C order) atomically: on any error nothing
    /// appears under `output`.
    ///
    /// The input is read twice (count, then embed in chunks), so memory stays bounded.
    public static func run(
        modelDirectory: String, input: String, output: String, batchSize: Int = 32,
        threads: Int? = nil, maxLength: Int? = nil, prompting: EmbedPrompting = EmbedPrompting(),
        quiet: Bool = false, precision: Precision = .fp32
    ) throws -> EmbedSummary {
        guard input != "-" else {
            throw IndexerError(.usage, "--input must be a file (it is read twice: count, then embed), not standard input")
        }
        let encoder = try BiEncoder(
            modelDirectory: try ModelResolver().resolve(modelDirectory), maxLength: maxLength, threads: threads,
            queryPrompt: prompting.queryPrompt, documentPrompt: prompting.documentPrompt, precision: precision)
        var count = 0
        let counter = try LineReader(path: input)
        while try counter.nextLine() != nil { count += 1 }
        let writer = try NPYWriter(path: output, columns: encoder.dimension, rows: count)
        var committed = false
        defer { if !committed { writer.abandon() } }
        let progress = Progress("embed", total: count, unit: "texts", quiet: quiet)
        let reader = try LineReader(path: input)
        var chunk: [String] = []
        let chunkSize = max(256, batchSize * encoder.threads * 8)
        var tokens = 0, seconds = 0.0, seen = 0
        func flush() throws {
            guard !chunk.isEmpty else { return }
            let start = Date()
            let vectors = try encoder.embed(chunk, batchSize: batchSize, as: prompting.role, progress: progress)
            seconds += Date().timeIntervalSince(start)
            tokens += encoder.lastTokenCount
            try writer.append(vectors)
            chunk.removeAll(keepingCapacity: true)
        }
        while let line = try reader.nextLine() {
            chunk.append(try TextLine.text(fromJSON: line, path: input, lineNumber: reader.lineNumber))
            seen += 1
            if chunk.count == chunkSize { try flush() }
        }
        try flush()
        guard seen == count else {
            throw IndexerError(.io, "the file changed while it was read (\(count) lines, then \(seen))", path: input)
        }
        try writer.commit()
        committed = true
        progress.finish()
        return EmbedSummary(texts: count, tokens: tokens, dimension: encoder.dimension, encodeSeconds: seconds)
    }
}
