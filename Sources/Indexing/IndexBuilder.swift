import Formats
import Foundation
import Inference
import Lexical
import ShardStore

#if canImport(Glibc)
    import Glibc
#endif

/// The build driver: corpus → embeddings → shards, resumable and deterministic.
///
/// One pass over the corpus feeds the writers of every shard this run builds; a document of a
/// shard that is finished (or belongs to another worker) is skipped before embedding. Within a
/// shard, documents keep corpus order, so the bytes do not depend on batch size, threads or
/// which worker builds which shard.
///
/// Bad input policy (docs/BUILD.md): a malformed line, a missing or empty id, a missing text,
/// invalid UTF-8 and a duplicate id are errors. A first pass checks the whole corpus before
/// anything is embedded and reports up to 20 errors (file and line each); if there is any, the
/// build fails (exit 2) and writes nothing. An empty document is a warning and is indexed (with
/// an empty text), so that every id a qrels file may name exists.
public final class IndexBuilder {
    struct KeyLine {
        var key: UInt64
        var line: Int
    }

    private let options: BuildOptions
    private let embedder: DocumentEmbedder
    /// Test hook: SIGKILL this process after this many documents have been written.
    private let killAfter: Int?
    private static let maxReportedErrors = 20
    /// The corpus errors the last ``run()`` found (it fails when there is any).
    public private(set) var corpusErrors: [IndexerError] = []
    /// The corpus warnings (empty documents) of the last ``run()``, as `path:line: message`.
    public private(set) var corpusWarnings: [String] = []

    /// A builder that embeds with `embedder`.
    public init(options: BuildOptions, embedder: DocumentEmbedder, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.embedder = embedder
        killAfter = environment["INDEXER_TEST_KILL_AFTER_DOCS"].flatMap(Int.init)
    }

    /// The path of shard `index`.
    public func shardPath(_ index: Int) -> String {
        options.outDirectory + "/" + ShardFormat.fileName(index: index, count: options.shardCount)
    }

    /// The settings every shard of this build carries.
    ///
    /// `corpus` is the corpus's content fingerprint (``corpusFingerprint(_:)``), so a finished
    /// shard of an edited corpus is never taken for this build's, even at the same size.
    public func settings(shard index: Int, corpus: String) -> ShardSettings {
        ShardSettings(
            shardIndex: index, shardCount: options.shardCount, dimension: embedder.dimension,
            encoding: options.encoding, codec: options.codec, level: options.level,
            vectorRowsPerBlock: options.vectorRowsPerBlock, textBlockBytes: options.textBlockBytes,
            modelFingerprint: embedder.fingerprint,
            buildSettings: "corpus-sha256=\(corpus)" + (options.lexical ? ";\(IndexBuilder.lexicalSetting)" : ""))
    }

    /// The SHA-256 of the corpus file's bytes (as stored: a gzipped corpus is hashed gzipped).
    public static func corpusFingerprint(_ path: String) throws -> String {
        try SHA256.hex(ofFileAt: path)
    }

    /// The build-settings token of a lexical index: names the analysis, so an index analysed
    /// otherwise (a future analyzer version) is never mixed with this one.
    public static let lexicalSetting = "lexical=english-v1"

    /// Every fault of a shard's lexical index, or none when the shard has none and the build
    /// does not want one.
    private func lexicalFaults(_ reader: ShardReader) -> [IndexerError] {
        guard options.lexical else { return [] }
        do { return try LexicalShardIndex(reader: reader).verify() } catch let e as IndexerError { return [e] } catch {
            return [IndexerError(.corrupt, "\(error)", path: reader.path)]
        }
    }

    /// Builds the shards this run is responsible for, then the manifest if every shard exists.
    ///
    /// Each shard is built under an exclusive lock (`OUT/.NAME.lock`), so two builds of one
    /// folder never write the same shard at once: the second waits, then finds the shard
    /// finished (and skips it) or built with other settings (and refuses it).
    public func run() throws -> BuildSummary {
        let n = options.shardCount
        guard n >= 1, n <= 9999 else { throw IndexerError(.usage, "--shards takes 1...9999, not \(n)") }
        guard options.batchSize >= 1 else { throw IndexerError(.usage, "--batch-size must be at least 1") }
        try Folders.create(options.outDirectory)
        let spool = try InputSpool(options.corpusPath, in: options.outDirectory, quiet: options.quiet)
        defer { spool.remove() }
        corpusPath = spool.path
        let corpusSHA = try IndexBuilder.corpusFingerprint(corpusPath)
        try refuseForeignIndex(corpusSHA: corpusSHA)

        let wanted = options.shardID.map { [$0] } ?? Array(0..<n)
        var toBuild: [Int] = []
        var skipped: [Int] = []
        var locks: [FileLock] = []
        for i in wanted {
            let lock = try lockShard(i)
            removeTemporaryFiles(of: i)
            if try isFinished(i, corpusSHA: corpusSHA) {
                skipped.append(i)
                info("shard \(i) of \(n): finished and verified, skipped")
            } else {
                toBuild.append(i)
                locks.append(lock)
            }
        }
        var documents = 0
        if !toBuild.isEmpty {
            documents = try build(toBuild, corpusSHA: corpusSHA)
        }
        locks.removeAll()
        let manifest = try writeManifestIfComplete()
        return BuildSummary(built: toBuild, skipped: skipped, documents: documents, manifestWritten: manifest)
    }

    /// The corpus as read (a spooled copy when the given one is a pipe or FIFO).
    private var corpusPath = ""

    /// Waits for and takes the lock of shard `i`.
    private func lockShard(_ i: Int) throws -> FileLock {
        let name = ShardFormat.fileName(index: i, count: options.shardCount)
        return try FileLock(path: options.outDirectory + "/." + name + ".lock") { [options] in
            if !options.quiet { Console.info("shard \(i): another process is building it; waiting") }
        }
    }

    private func info(_ s: String) {
        if !options.quiet { Console.info(s) }
    }

    /// Refuses an out folder that holds an index with another shard count or other settings.
    private func refuseForeignIndex(corpusSHA: String) throws {
        let dir = options.outDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let suffix = "-of-" + ShardFormat.fileName(index: 0, count: options.shardCount).components(separatedBy: "-of-")[1]
        if let other = names.sorted().first(where: { $0.hasPrefix("shard-") && $0.hasSuffix(".shard") && !$0.hasSuffix(suffix) }) {
            throw IndexerError(.mismatch, "the folder holds '\(other)' from an index with another shard count; use a new --out or delete that index", path: dir)
        }
        if names.contains(Manifest.fileName) {
            // A finished index is opened by the one set of rules readers use.
            let m = try OpenIndex.open(dir, shards: .none).manifest
            let expected = settings(shard: 0, corpus: corpusSHA)
            if let s = m.settings(shardIndex: 0), !s.differences(from: expected).isEmpty {
                throw IndexerError(
                    .mismatch,
                    "the folder holds an index built with other settings (the index's vs this build's: \(s.differences(from: expected).joined(separator: "; "))); use a new --out or delete that index",
                    path: dir + "/" + Manifest.fileName)
            }
        }
    }

    /// Removes the hidden files a killed writer of shard `i` left (only this shard's: other
    /// workers may be writing theirs right now).
    private func removeTemporaryFiles(of i: Int) {
        let name = ShardFormat.fileName(index: i, count: options.shardCount)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: options.outDirectory)) ?? []
        for f in names where ShardWriter.isTemporary(fileName: f, of: name) {
            unlink(options.outDirectory + "/" + f)
        }
    }

    /// Whether shard `i` exists, verifies and carries this build's settings; throws when it
    /// exists but is corrupt or was built otherwise (never overwritten silently).
    private func isFinished(_ i: Int, corpusSHA: String) throws -> Bool {
        let path = shardPath(i)
        guard FileManager.default.fileExists(atPath: path) else { return false }
        let reader: ShardReader
        do { reader = try ShardReader(path: path) } catch let e as IndexerError {
            throw IndexerError(e.kind, "existing shard cannot be read: \(e.message); delete it to rebuild it", path: path, cause: e.cause)
        }
        let diff = settings(shard: i, corpus: corpusSHA).differences(from: reader.header.settings)
        guard diff.isEmpty else {
            throw IndexerError(
                .mismatch,
                "existing shard was built with other settings (this build vs the file: \(diff.joined(separator: "; "))); use a new --out or delete the index",
                path: path)
        }
        if let fault = (reader.verify() + lexicalFaults(reader)).first {
            throw IndexerError(.corrupt, "existing shard fails verification: \(fault.message); delete it to rebuild it", path: path)
        }
        return true
    }

    /// Checks the whole corpus before anything is embedded; returns its document count.
    ///
    /// Reports (and throws after) malformed lines, missing or empty ids, missing texts,
    /// invalid UTF-8 and duplicate ids, each with file and line; warns about empty documents.
    /// Duplicates are found by sorting (key, line) pairs of the shards being built (16 bytes a
    /// document, freed before embedding starts), then confirmed by comparing the ids. Returns
    /// the documents of the shards being built: the progress total.
    private func checkCorpus(targets: Set<Int>) throws -> Int {
        let n = UInt64(options.shardCount)
        let reader = try CorpusReader(path: corpusPath, displayPath: options.corpusPath)
        var errors: [IndexerError] = []
        var pairs: [KeyLine] = []
        var documents = 0
        var emptyDocuments = 0
        var truncated = false
        while true {
            let doc: Document
            do {
                guard let d = try reader.next() else { break }
                doc = d
            } catch let e as IndexerError where e.kind == .badInput && e.line != nil {
                errors.append(e)
                if errors.count >= IndexBuilder.maxReportedErrors { truncated = true; break }
                continue
            }
            documents += 1
            guard !doc.id.isEmpty else {
                errors.append(.badInput("empty document id", path: reader.path, line: doc.line))
                if errors.count >= IndexBuilder.maxReportedErrors { truncated = true; break }
                continue
            }
            guard TrecRun.canCarry(doc.id) else {
                errors.append(.badInput("document id '\(doc.id)' holds whitespace; a TREC run cannot carry it", path: reader.path, line: doc.line))
                if errors.count >= IndexBuilder.maxReportedErrors { truncated = true; break }
                continue
            }
            let key = DocumentKey.key(doc.id)
            guard targets.contains(Int(key % n)) else { continue }
            pairs.append(KeyLine(key: key, line: doc.line))
            if doc.combinedText.isEmpty {
                emptyDocuments += 1
                if emptyDocuments <= IndexBuilder.maxReportedErrors {
                    let w = "\(reader.path):\(doc.line): document '\(doc.id)' is empty; indexed with an empty text"
                    corpusWarnings.append(w)
                    Console.warning(w)
                }
            }
        }
        if emptyDocuments > IndexBuilder.maxReportedErrors {
            Console.warning("\(emptyDocuments) empty documents in all (the first \(IndexBuilder.maxReportedErrors) are listed above)")
        }
        if documents == 0 && errors.isEmpty {
            throw IndexerError.badInput(
                "the corpus holds no documents (an empty file, blank lines only, or an empty archive); nothing was built", path: options.corpusPath)
        }
        if !truncated { errors += try duplicates(&pairs) }
        let targeted = pairs.count
        pairs = []
        guard errors.isEmpty else { throw badCorpus(errors, truncated: truncated) }
        return targeted
    }

    /// Keeps and prints the first corpus errors by line; the error that refuses the corpus.
    private func badCorpus(_ found: [IndexerError], truncated: Bool) -> IndexerError {
        let errors = Array(found.sorted { ($0.line ?? 0) < ($1.line ?? 0) }.prefix(IndexBuilder.maxReportedErrors))
        corpusErrors = errors
        for e in errors { Console.error(e.description) }
        let more = truncated || errors.count >= IndexBuilder.maxReportedErrors ? " (the first \(errors.count) are listed; there may be more)" : ""
        return IndexerError(
            .badInput, "\(errors.count) bad document\(errors.count == 1 ? "" : "s") in the corpus\(more); nothing was built",
            path: options.corpusPath)
    }

    /// Duplicate-id errors among `pairs` (sorted here): equal keys, then equal ids on re-reading.
    private func duplicates(_ pairs: inout [KeyLine]) throws -> [IndexerError] {
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.line < $1.line }
        var runs: [[Int]] = []
        var i = 0
        while i < pairs.count {
            var j = i + 1
            while j < pairs.count && pairs[j].key == pairs[i].key { j += 1 }
            if j - i > 1 { runs.append(pairs[i..<j].map(\.line)) }
            i = j
        }
        guard !runs.isEmpty else { return [] }
        // Same key: read those lines again to compare the ids (a 64-bit key collision between
        // two different ids is possible in principle, and both documents are then kept).
        let wanted = Set(runs.joined())
        var ids: [Int: String] = [:]
        let reader = try CorpusReader(path: corpusPath, displayPath: options.corpusPath)
        while ids.count < wanted.count {
            let d: Document?
            do { d = try reader.next() } catch let e as IndexerError where e.kind == .badInput && e.line != nil { continue }
            guard let doc = d else { break }
            if wanted.contains(doc.line) { ids[doc.line] = doc.id }
        }
        var errors: [IndexerError] = []
        for run in runs {
            var first: [String: Int] = [:]
            for line in run {
                guard let id = ids[line] else { continue }
                if let earlier = first[id] {
                    errors.append(
                        .badInput("duplicate document id '\(id)' (first at line \(earlier)); ids must be unique", path: options.corpusPath, line: line))
                } else {
                    first[id] = line
                }
            }
        }
        return errors
    }

    /// One pass over the corpus, writing shards `targets`; returns documents written.
    private func build(_ targets: [Int], corpusSHA: String) throws -> Int {
        let n = options.shardCount
        let total = try checkCorpus(targets: Set(targets))
        var writers: [Int: ShardWriter] = [:]
        for i in targets { writers[i] = try ShardWriter(path: shardPath(i), settings: settings(shard: i, corpus: corpusSHA)) }
        // One in-memory inverted index a shard being built (docs/BUILD.md, "Memory").
        var lexical = [LexicalSegmentBuilder?](repeating: nil, count: options.lexical ? n : 0)
        if options.lexical { for i in targets { lexical[i] = LexicalSegmentBuilder() } }
        let analyzer = EnglishAnalyzer()
        let label = targets.count == n ? "build \(n) shard\(n == 1 ? "" : "s")" : "build shard \(targets.map(String.init).joined(separator: ",")) of \(n)"
        let progress = Progress(label, total: total, unit: "docs", quiet: options.quiet)
        let reader = try CorpusReader(path: corpusPath, displayPath: options.corpusPath)
        var batchShards: [Int] = [], batchIDs: [String] = [], batchTexts: [String] = []
        var written = 0

        func flushBatch() throws {
            guard !batchTexts.isEmpty else { return }
            let vectors = try embedder.embedDocuments(batchTexts)
            let dim = embedder.dimension
            guard vectors.count == batchTexts.count * dim else {
                throw IndexerError(.internal, "the embedder returned \(vectors.count) floats for \(batchTexts.count) texts of dimension \(dim)")
            }
            try vectors.withUnsafeBufferPointer { v in
                for k in batchTexts.indices {
                    try writers[batchShards[k]]!.append(
                        id: batchIDs[k], text: batchTexts[k],
                        vector: UnsafeBufferPointer(rebasing: v[(k * dim)..<((k + 1) * dim)]))
                    written += 1
                    // Counted once its vector is stored, not when read: the rate is the embedder's.
                    progress.advance(by: 1)
                    if let limit = killAfter, written >= limit { kill(getpid(), SIGKILL) }
                }
            }
            batchShards.removeAll(keepingCapacity: true)
            batchIDs.removeAll(keepingCapacity: true)
            batchTexts.removeAll(keepingCapacity: true)
        }

        do {
            // The corpus was checked above; an error now means it changed underneath us.
            while let doc = try reader.next() {
                let shard = DocumentKey.shard(of: doc.id, count: n)
                guard writers[shard] != nil else { continue }
                batchShards.append(shard)
                batchIDs.append(doc.id)
                batchTexts.append(doc.combinedText)
                // Analysed in corpus order, which is the shard's row order.
                if options.lexical { lexical[shard]!.addDocument(text: doc.combinedText, analyzer: analyzer) }
                if batchTexts.count >= options.batchSize { try flushBatch() }
            }
            try flushBatch()
            progress.finish()
            try finishShards(targets.sorted().map { (writers[$0]!, options.lexical ? lexical[$0] : nil) })
        } catch {
            for w in writers.values { w.abandon() }
            throw error
        }
        return written
    }

    /// Writes each shard (with its lexical index, if any) under its final name, then reads it
    /// back: a shard is only reported finished once it verifies.
    private func finishShards(_ shards: [(writer: ShardWriter, lexical: LexicalSegmentBuilder?)]) throws {
        let n = options.shardCount
        for (w, builder) in shards {
            if let builder { try builder.finish().write(to: w) }
            let bytes = try w.finish()
            let r = try ShardReader(path: w.path)
            if let fault = (r.verify() + lexicalFaults(r)).first { throw fault }
            info("shard \(w.settings.shardIndex) of \(n): \(w.count) documents, \(bytes) bytes")
        }
    }

    /// Writes `manifest.json` when every shard file exists; returns whether it exists.
    ///
    /// Any worker may be the last to finish, so each checks; two writing at once write the
    /// same bytes atomically.
    private func writeManifestIfComplete() throws -> Bool {
        let n = options.shardCount
        let lock = try FileLock(path: options.outDirectory + "/.manifest.lock")
        defer { lock.release() }
        let missing = (0..<n).filter { !FileManager.default.fileExists(atPath: shardPath($0)) }
        guard missing.isEmpty else {
            info(
                "manifest waits for \(missing.count) more shard\(missing.count == 1 ? "" : "s") (\(missing.prefix(10).map(String.init).joined(separator: ", "))\(missing.count > 10 ? ", ..." : ""))"
            )
            return false
        }
        let m = try Manifest.make(directory: options.outDirectory, shardCount: n)
        try m.writeUnlessSameIndex(directory: options.outDirectory)
        info("index complete: \(m.documents) documents in \(n) shard\(n == 1 ? "" : "s"), manifest written")
        return true
    }
}
