import Formats
import Foundation

/// BERT uncased WordPiece, id for id what HF `tokenizers` produces from the model's
/// `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece, [CLS]/[SEP] template).
///
/// Steps, per HF: special tokens (`[CLS]`, `[SEP]`, `[MASK]`, ...) written in the raw text are
/// cut out first and map to their ids; the rest is cleaned (controls dropped, whitespace made
/// a space), CJK ideographs isolated, accents stripped (NFD, drop `Mn`), lowercased per scalar,
/// split on whitespace and punctuation, and each word split greedily into the longest
/// vocabulary pieces (`##` marks a continuation); a word over `max_input_chars_per_word`
/// scalars, or one with no split, becomes `[UNK]`. Character classes follow the Unicode
/// versions the Rust crates were built with (see `BertUnicode`).
///
/// Work is done on Unicode scalars straight from the UTF-8 bytes, with a precomputed table for
/// the Basic Multilingual Plane and a byte-string hash for the vocabulary: no per-character
/// String is built. Immutable after `init`, so one instance serves every thread.
public final class BertTokenizer: TextTokenizer {
    /// The number of ids the model's embedding table must cover (largest id + 1).
    public let vocabularySize: Int
    /// `[PAD]`, for callers that pad batches.
    public let padId: Int32
    /// `[CLS]`, first token of every encoding.
    public let clsId: Int32
    /// `[SEP]`, after each text of an encoding.
    public let sepId: Int32
    /// `[UNK]`, for words that have no WordPiece split.
    public let unkId: Int32

    private let initialPieces: ByteStringTable
    private let continuationPieces: ByteStringTable
    private let maxInputCharsPerWord: Int
    private let options: BertUnicode.Options
    private let plane: BertUnicode.PlaneTable
    /// Units of the 128 ASCII scalars; `droppedUnit` for those clean_text removes.
    private let asciiUnits: [UInt32]
    /// Added tokens, longest first (so the first match at a position is the longest).
    private let addedTokens: [(bytes: [UInt8], id: Int32)]
    private let addedFirstBytes: [Bool]

    private static let droppedUnit = UInt32.max

    /// Loads `tokenizer.json` from `modelDirectory`, or `vocab.txt` (+ `tokenizer_config.json`'s
    /// `do_lower_case`, `strip_accents`, `tokenize_chinese_chars`) when there is no
    /// `tokenizer.json`. Throws ``IndexerError`` of kind `.model` naming the file that is
    /// missing, corrupt or unsupported. The `truncation` and `padding` settings inside
    /// `tokenizer.json` are ignored: callers pass `maxLength` and pad batches themselves.
    public init(modelDirectory: String) throws {
        let def = try TokenizerDefinition.load(modelDirectory: modelDirectory)
        initialPieces = ByteStringTable(def.vocabulary)
        let prefix = Array(def.continuingSubwordPrefix.utf8)
        continuationPieces = ByteStringTable(
            def.vocabulary.lazy.compactMap { token, id in
                token.starts(with: prefix) ? (Array(token[prefix.count...]), id) : nil
            })
        maxInputCharsPerWord = def.maxInputCharsPerWord
        options = def.normalizer
        plane = BertUnicode.PlaneTable(options: def.normalizer)
        asciiUnits = (0..<128).map { v -> UInt32 in
            let units = BertUnicode.units(for: Unicode.Scalar(UInt8(v)), options: def.normalizer)
            return units.first ?? BertTokenizer.droppedUnit
        }
        addedTokens = def.addedTokens.map { (Array($0.text.utf8), $0.id) }.sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for token in addedTokens { first[Int(token.bytes[0])] = true }
        addedFirstBytes = first
        padId = def.padId
        clsId = def.clsId
        sepId = def.sepId
        unkId = def.unkId
        let largest = max(
            def.vocabulary.map { Int($0.1) }.max() ?? -1,
            def.addedTokens.map { Int($0.id) }.max() ?? -1)
        vocabularySize = largest + 1
    }

    /// Word-piece ids of `text`: normalised, pre-tokenised and split, without `[CLS]`/`[SEP]`
    /// and without truncation (HF `encode(text, add_special_tokens=False)`).
    public func wordPieces(_ text: String) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(text.utf8.count / 3 + 4)
        appendWordPieces(of: text, limit: Int.max, to: &out)
        return out
    }

    /// `[CLS] text [SEP]`, the text's pieces cut so that the total is at most `maxLength`
    /// (HF truncation to `maxLength`). Type ids are all 0. `[CLS]` and `[SEP]` are always
    /// present, so a `maxLength` below 2 still gives two ids.
    public func encode(_ text: String, maxLength: Int) -> TokenizedText {
        let budget = max(0, maxLength - 2)
        var ids: [Int32] = [clsId]
        ids.reserveCapacity(min(budget, text.utf8.count / 2 + 4) + 2)
        appendWordPieces(of: text, limit: 1 + budget, to: &ids)
        ids.append(sepId)
        return TokenizedText(ids: ids, typeIds: [Int32](repeating: 0, count: ids.count))
    }

    /// `[CLS] first [SEP] second [SEP]`, type ids 0 up to the first `[SEP]` and 1 after, at
    /// most `maxLength` ids.
    ///
    /// Truncation is HF `only_second`: only `second` loses pieces from its end. When `first`
    /// alone leaves no room (its pieces number `maxLength - 3` or more), HF `only_second`
    /// fails; this then uses HF `longest_first` for the pair instead, which cuts `first` too
    /// (the longer text first, ending with half the room each if both are long). The three
    /// special tokens are always present: below `maxLength` 3 the result is just them (HF
    /// instead stops truncating there, an unsigned underflow; no golden record covers it).
    public func encodePair(_ first: String, _ second: String, maxLength: Int) -> TokenizedText {
        let budget = max(0, maxLength - 3)
        let a = wordPieces(first)
        var b: [Int32] = []
        var n1 = a.count
        var n2: Int
        if n1 < budget {
            appendWordPieces(of: second, limit: budget - n1, to: &b)
            n2 = b.count
        } else {
            // Pieces past max(n1, budget) + 1 cannot change longest_first's outcome.
            appendWordPieces(of: second, limit: max(n1, budget) + 1, to: &b)
            n2 = b.count
            if n1 + n2 > budget { (n1, n2) = BertTokenizer.longestFirst(n1, n2, budget: budget) }
        }
        var ids: [Int32] = []
        ids.reserveCapacity(n1 + n2 + 3)
        ids.append(clsId)
        ids.append(contentsOf: a[0..<n1])
        ids.append(sepId)
        ids.append(contentsOf: b[0..<n2])
        ids.append(sepId)
        var typeIds = [Int32](repeating: 0, count: n1 + 2)
        typeIds.append(contentsOf: repeatElement(1, count: n2 + 1))
        return TokenizedText(ids: ids, typeIds: typeIds)
    }

    /// HF `longest_first` lengths for a pair of `n1` and `n2` pieces that exceeds `budget`.
    static func longestFirst(_ n1: Int, _ n2: Int, budget: Int) -> (Int, Int) {
        var short = n1, long = n2
        let swapped = n1 > n2
        if swapped { swap(&short, &long) }
        long = short > budget ? short : max(short, budget - short)
        if short + long > budget {
            short = budget / 2
            long = short + budget % 2
        }
        return swapped ? (long, short) : (short, long)
    }

    // MARK: - The pipeline

    /// Appends `text`'s word pieces to `out`, stopping once `out` holds `limit` ids.
    private func appendWordPieces(of text: String, limit: Int, to out: inout [Int32]) {
        if out.count >= limit { return }
        var text = text
        text.withUTF8 { utf8 in
            plane.start.withUnsafeBufferPointer { starts in
                plane.units.withUnsafeBufferPointer { units in
                    asciiUnits.withUnsafeBufferPointer { ascii in
                        var word = WordBuffer(capacity: 32)
                        run(utf8, starts, units, ascii, &word, limit, &out)
                    }
                }
            }
        }
        if out.count > limit { out.removeLast(out.count - limit) }
    }

    @inline(__always)
    private func run(
        _ utf8: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<UInt32>,
        _ units: UnsafeBufferPointer<UInt32>, _ ascii: UnsafeBufferPointer<UInt32>,
        _ word: inout WordBuffer, _ limit: Int, _ out: inout [Int32]
    ) {
        guard let p = utf8.baseAddress else { return }
        let n = utf8.count
        let hasAdded = !addedTokens.isEmpty
        var i = 0
        while i < n {
            // Pieces of finished words are final, so stop reading once there are enough.
            if out.count >= limit { return }
            let b0 = p[i]
            if hasAdded && addedFirstBytes[Int(b0)], let (length, id) = matchAddedToken(p + i, n - i) {
                finishWord(&word, &out)
                out.append(id)
                i += length
                continue
            }
            if b0 < 0x80 {
                i += 1
                let u = ascii[Int(b0)]
                if u != BertTokenizer.droppedUnit { accept(u, &word, &out) }
                continue
            }
            // Multi-byte UTF-8 (Swift strings are always valid UTF-8).
            var v: UInt32
            if b0 < 0xE0 {
                v = (UInt32(b0 & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F)
                i += 2
            } else if b0 < 0xF0 {
                v = (UInt32(b0 & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F)
                i += 3
            } else {
                v =
                    (UInt32(b0 & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12)
                    | (UInt32(p[i + 2] & 0x3F) << 6) | UInt32(p[i + 3] & 0x3F)
                i += 4
            }
            if v < 0x10000 {
                var k = Int(starts[Int(v)])
                let end = Int(starts[Int(v) + 1])
                while k < end { accept(units[k], &word, &out); k += 1 }
            } else if let scalar = Unicode.Scalar(v) {
                for u in BertUnicode.units(for: scalar, options: options) { accept(u, &word, &out) }
            }
        }
        finishWord(&word, &out)
    }

    /// The longest added token at `p`, as (byte length, id).
    private func matchAddedToken(_ p: UnsafePointer<UInt8>, _ available: Int) -> (Int, Int32)? {
        for token in addedTokens where token.bytes.count <= available {
            let equal = token.bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, p, $0.count) == 0 }
            if equal { return (token.bytes.count, token.id) }
        }
        return nil
    }

    /// Feeds one normalised unit to the pre-tokeniser.
    @inline(__always)
    private func accept(_ u: UInt32, _ word: inout WordBuffer, _ out: inout [Int32]) {
        switch BertUnicode.roleBits(of: u) {
        case BertUnicode.Role.word.rawValue:
            word.append(u)
        case BertUnicode.Role.space.rawValue:
            finishWord(&word, &out)
        case BertUnicode.Role.punctuation.rawValue:
            finishWord(&word, &out)
            word.append(u)
            finishWord(&word, &out)
        default:  // barrier
            word.runStart = word.units.count
        }
    }

    /// Splits the word collected so far into pieces (greedy longest match) and clears it.
    private func finishWord(_ word: inout WordBuffer, _ out: inout [Int32]) {
        let count = word.units.count
        if count == 0 { return }
        defer { word.clear() }
        if count > maxInputCharsPerWord {
            out.append(unkId)
            return
        }
        word.encodeUTF8()
        let mark = out.count
        let complete: Bool = word.bytes.withUnsafeBufferPointer { bytes in
            word.bounds.withUnsafeBufferPointer { bounds in
                let base = bytes.baseAddress!
                var s = 0
                while s < count {
                    let table = s == 0 ? initialPieces : continuationPieces
                    var e = count
                    while e > s && bounds[e] - bounds[s] > table.maxKeyLength { e -= 1 }
                    var found: Int32 = -1
                    while e > s {
                        if let id = table.value(base + bounds[s], bounds[e] - bounds[s]) {
                            found = id
                            break
                        }
                        e -= 1
                    }
                    if found < 0 { return false }
                    out.append(found)
                    s = e
                }
                return true
            }
        }
        if !complete {
            out.removeLast(out.count - mark)
            out.append(unkId)
        }
    }
}

/// The scalars of the word being assembled, kept in NFD's canonical order.
private struct WordBuffer {
    var units: [UInt32] = []
    /// Where the current run of non-starters begins; a non-starter never moves before it.
    var runStart = 0
    var bytes: [UInt8] = []
    /// Byte offset of each scalar in `bytes`, plus the end.
    var bounds: [Int] = []

    init(capacity: Int) {
        units.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 2)
        bounds.reserveCapacity(capacity + 1)
    }

    @inline(__always)
    mutating func append(_ u: UInt32) {
        let ccc = BertUnicode.ccc(of: u)
        if ccc == 0 {
            units.append(u)
            runStart = units.count
            return
        }
        // Canonical ordering: a stable sort of each run of non-starters by combining class.
        var pos = units.count
        while pos > runStart && BertUnicode.ccc(of: units[pos - 1]) > ccc { pos -= 1 }
        units.insert(u, at: pos)
    }

    mutating func clear() {
        units.removeAll(keepingCapacity: true)
        runStart = 0
    }

    mutating func encodeUTF8() {
        bytes.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        for u in units {
            bounds.append(bytes.count)
            let v = BertUnicode.scalar(of: u)
            switch v {
            case 0..<0x80:
                bytes.append(UInt8(v))
            case 0x80..<0x800:
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            case 0x800..<0x10000:
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            default:
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        bounds.append(bytes.count)
    }
}
