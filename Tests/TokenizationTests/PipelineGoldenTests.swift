import Formats
import Foundation
import XCTest

@testable import Tokenization

/// Checks the tokenizer.json pipeline against HF `tokenizers` on four tokenizers (golden files
/// written by scripts/reference/make_tokenizer_pipeline_golden.py): every document and query
/// of the three shared collections by digest, qrels pairs by digest, hostile texts id for id.
final class PipelineGoldenTests: XCTestCase {
    static let names = ["roberta", "xlmr", "modernbert", "wordpiece"]

    static func folder(_ name: String) throws -> String {
        let folder = try TestSupport.goldenPath("pipelines/\(name)")
        return folder
    }

    /// The collection texts in the script's order: per collection documents then queries.
    static func collectionTexts() throws -> [String] {
        let data = TestSupport.packageRoot + "/../shared/data"
        guard FileManager.default.fileExists(atPath: data + "/scifact/corpus.jsonl") else {
            throw XCTSkip("shared collections absent at \(data)")
        }
        var texts: [String] = []
        for collection in ["scifact", "nfcorpus", "cranfield"] {
            for file in ["corpus.jsonl", "queries.jsonl"] {
                let reader = try LineReader(path: "\(data)/\(collection)/\(file)")
                while let line = try reader.nextLine() {
                    if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                    guard let o = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
                    if file == "corpus.jsonl" {
                        texts.append((o["title"] as? String ?? "") + " " + (o["text"] as? String ?? ""))
                    } else {
                        texts.append(o["text"] as? String ?? "")
                    }
                }
            }
        }
        return texts
    }

    /// First 16 hex digits of SHA-256 over the ids (then the type ids), int32 little-endian.
    static func digest(_ ids: [Int32], _ types: [Int32]? = nil) -> String {
        var h = SHA256()
        for list in [ids, types ?? []] {
            var bytes = [UInt8]()
            bytes.reserveCapacity(list.count * 4)
            for v in list { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
            h.update(bytes)
        }
        return String(h.hexDigest().prefix(16))
    }

    static func rows(_ name: String) throws -> [[Substring]] {
        let reader = try LineReader(path: try TestSupport.goldenPath(name))
        var rows: [[Substring]] = []
        while let line = try reader.nextLine() {
            rows.append(try reader.string(line).split(separator: "\t", omittingEmptySubsequences: false).map { Substring($0) })
        }
        return rows.map { $0.map { Substring(String($0)) } }
    }

    /// The tokenizers under test: each folder through `Tokenizers.load`, plus the WordPiece
    /// folder forced through the general pipeline (column of "wordpiece").
    static func tokenizers() throws -> [(label: String, column: Int, tokenizer: any TextTokenizer)] {
        var out: [(String, Int, any TextTokenizer)] = []
        for (i, name) in names.enumerated() {
            out.append((name, i, try Tokenizers.load(modelDirectory: try folder(name))))
        }
        out.append(("wordpiece-pipeline", 3, try PipelineTokenizer(modelDirectory: try folder("wordpiece"))))
        return out
    }

    func testLoadPicksTheFastPathOnlyForBert() throws {
        XCTAssertTrue(try Tokenizers.load(modelDirectory: try Self.folder("wordpiece")) is BertTokenizer)
        for name in ["roberta", "xlmr", "modernbert"] {
            XCTAssertTrue(try Tokenizers.load(modelDirectory: try Self.folder(name)) is PipelineTokenizer, name)
        }
    }

    /// Every text through each tokenizer (the WordPiece file forced through the general
    /// pipeline: every 7th text, as Tokenizers.load gives BertTokenizer for it), on two threads.
    func testCollectionTextsMatchHuggingFace() throws {
        let texts = try Self.collectionTexts()
        let rows = try Self.rows("pipeline_texts.tsv.gz")
        XCTAssertEqual(rows.count, texts.count, "golden rows vs collection texts")
        XCTAssertGreaterThan(texts.count, 14000)
        for (label, column, tokenizer) in try Self.tokenizers() {
            let step = label == "wordpiece-pipeline" ? 7 : 1
            let indices = Array(stride(from: 0, to: min(rows.count, texts.count), by: step))
            let results = Mismatches()
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                for i in indices[(worker * indices.count / 2)..<((worker + 1) * indices.count / 2)] {
                    let pieces = tokenizer.wordPieces(texts[i])
                    // The general tokenizer's encode is wordPieces then this; BertTokenizer's is its own path.
                    let e =
                        (tokenizer as? PipelineTokenizer)?.encode(pieces: pieces, maxLength: 512)
                        ?? tokenizer.encode(texts[i], maxLength: 512)
                    let ok512 = Self.digest(e.ids, e.typeIds) == rows[i][1 + 2 * column]
                    let okPieces = Self.digest(pieces) == rows[i][2 + 2 * column]
                    if ok512 && okPieces { continue }
                    results.add(
                        i,
                        "text \(i) (\(ok512 ? "" : "encode 512 ")\(okPieces ? "" : "wordPieces ")differ; "
                            + "HF's ids: make_tokenizer_pipeline_golden.py --show \(i) \(Self.names[column]))\n"
                            + "  text: \(texts[i].prefix(300).debugDescription)\n  ours: \(pieces.prefix(60))")
                }
            }
            print("pipeline golden \(label): \(indices.count) texts, \(results.count) mismatches")
            XCTAssertEqual(results.count, 0, "\(label): \(results.first ?? "")")
        }
    }

    func testCollectionPairsMatchHuggingFace() throws {
        let texts = try Self.collectionTexts()
        let rows = try Self.rows("pipeline_pairs.tsv.gz")
        XCTAssertGreaterThan(rows.count, 500)
        for (label, column, tokenizer) in try Self.tokenizers() {
            var mismatches = 0
            var first: String?
            for row in rows {
                guard let q = Int(row[0]), let d = Int(row[1]), q < texts.count, d < texts.count else {
                    XCTFail("bad pair row \(row)")
                    continue
                }
                for (k, n) in [512, 64].enumerated() {
                    let e = tokenizer.encodePair(texts[q], texts[d], maxLength: n)
                    if Self.digest(e.ids, e.typeIds) == row[2 + 2 * column + k] { continue }
                    mismatches += 1
                    if first == nil { first = "pair \(q)/\(d) at \(n): ours \(e.ids.prefix(40)) types \(e.typeIds.prefix(40))" }
                }
            }
            print("pipeline golden \(label): \(rows.count) pairs × 2 lengths, \(mismatches) mismatches")
            XCTAssertEqual(mismatches, 0, "\(label): \(first ?? "")")
        }
    }

    func testHostileTextsMatchHuggingFaceIdForId() throws {
        let records = try TestSupport.jsonLines(try TestSupport.goldenPath("pipeline_hostile.jsonl.gz"))
        var byName: [String: any TextTokenizer] = [:]
        for (label, column, tokenizer) in try Self.tokenizers() where label == Self.names[column] { byName[label] = tokenizer }
        let general = try PipelineTokenizer(modelDirectory: try Self.folder("wordpiece"))
        var checks = 0, failures: [String] = []
        func check(_ what: String, _ text: String, _ expected: [Int32]?, _ actual: [Int32]) {
            checks += 1
            guard let expected else { failures.append("\(what): golden record lacks ids"); return }
            if expected == actual { return }
            let at = zip(expected, actual).prefix { $0 == $1 }.count
            if failures.count < 10 {
                failures.append(
                    "\(what) first difference at \(at)\n  text: \(text.debugDescription)\n"
                        + "  expected: \(expected.prefix(at + 8))\n  actual:   \(actual.prefix(at + 8))")
            } else {
                failures.append(what)
            }
        }
        for r in records {
            guard let name = r["tokenizer"] as? String, let label = r["name"] as? String else { XCTFail("bad record"); continue }
            let candidates: [(String, any TextTokenizer)] =
                name == "wordpiece"
                ? [("wordpiece", byName[name]!), ("wordpiece-pipeline", general)] : [(name, byName[name]!)]
            for (tag, t) in candidates {
                if let text = r["text"] as? String {
                    let e = t.encode(text, maxLength: 512)
                    check("\(tag) \(label) encode 512", text, TestSupport.ids(r["ids512"]), e.ids)
                    check("\(tag) \(label) wordPieces", text, TestSupport.ids(r["pieces"]), t.wordPieces(text))
                } else if let a = r["first"] as? String, let b = r["second"] as? String,
                    let encodings = r["encodings"] as? [[String: Any]]
                {
                    for enc in encodings {
                        let n = (enc["max"] as? NSNumber)?.intValue ?? 0
                        let e = t.encodePair(a, b, maxLength: n)
                        check("\(tag) \(label) pair ids \(n)", a + " || " + b, TestSupport.ids(enc["ids"]), e.ids)
                        check("\(tag) \(label) pair types \(n)", a + " || " + b, TestSupport.ids(enc["types"]), e.typeIds)
                    }
                }
            }
        }
        print("pipeline golden hostile: \(records.count) records, \(checks) checks, \(failures.count) mismatches")
        XCTAssertGreaterThan(checks, 2000)
        XCTAssertTrue(failures.isEmpty, "\(failures.count) mismatches:\n" + failures.joined(separator: "\n"))
    }
}

/// Mismatches found by concurrent workers: a count and the one of lowest text index.
private final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var firstIndex = Int.max
    private(set) var first: String?
    private(set) var count = 0

    func add(_ index: Int, _ message: String) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        if index < firstIndex { (firstIndex, first) = (index, message) }
    }
}
