import Foundation

/// A value of one wanted top-level field of a JSON object, as ``JSONLineParser`` hands it out.
public enum JSONFieldValue: Equatable, Sendable {
    /// A JSON string, unescaped.
    case string(String)
    /// A JSON number, as its literal text (`12`, `-1.5e3`): ids stay exact, no float rounding.
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An object or an array (validated and skipped, not decoded).
    case composite
}

/// A syntax error in one JSON line: what is wrong and at which byte (0-based).
public struct JSONLineError: Error, Sendable {
    /// What is wrong, for people.
    public var message: String
    /// The 0-based byte offset in the line where the problem was found.
    public var offset: Int
}

/// Parses one line holding one JSON object and returns only the top-level fields asked for.
///
/// Why hand-rolled: corpora have millions of lines and `JSONSerialization` per line builds a
/// dictionary of every value; this scans the bytes once, decodes only the wanted fields and
/// skips (but fully validates) everything else. The whole line must be one valid JSON object
/// (RFC 8259: every escape including `\uXXXX` surrogate pairs, numbers, nested values, literals,
/// whitespace) in valid UTF-8, with nothing but whitespace after it. Lone surrogates are refused
/// (a Swift string cannot hold them). A key given twice keeps its last value, as Python's
/// `json` does. Nesting deeper than 512 levels is refused rather than recursed into.
public struct JSONLineParser: Sendable {
    private let keys: [[UInt8]]
    private static let maxDepth = 512

    /// A parser that extracts the top-level fields named `keys`.
    public init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    /// The values of the wanted keys, in the order given to ``init(keys:)``; nil when absent.
    public func parse(_ line: [UInt8]) throws(JSONLineError) -> [JSONFieldValue?] {
        var out = [JSONFieldValue?](repeating: nil, count: keys.count)
        let result: JSONLineError? = line.withUnsafeBufferPointer { buf -> JSONLineError? in
            var s = Scanner(buf: buf)
            do throws(JSONLineError) {
                try s.parseTopObject(keys: keys, into: &out)
                return nil
            } catch {
                return error
            }
        }
        if let result { throw result }
        return out
    }
}

/// The byte-level scanner; all positions are indices into `buf`.
private struct Scanner {
    let buf: UnsafeBufferPointer<UInt8>
    var i = 0
    var scratch: [UInt8] = []

    init(buf: UnsafeBufferPointer<UInt8>) { self.buf = buf }

    @inline(__always) func fail(_ message: String, at offset: Int) -> JSONLineError {
        JSONLineError(message: message, offset: offset)
    }

    @inline(__always) mutating func skipWhitespace() {
        while i < buf.count {
            let c = buf[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 } else { return }
        }
    }

    mutating func parseTopObject(keys: [[UInt8]], into out: inout [JSONFieldValue?]) throws(JSONLineError) {
        skipWhitespace()
        guard i < buf.count else { throw fail("empty line where a JSON object was expected", at: i) }
        guard buf[i] == UInt8(ascii: "{") else { throw fail("a line must hold a JSON object ('{'), found '\(describe(buf[i]))'", at: i) }
        i += 1
        skipWhitespace()
        if i < buf.count && buf[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipWhitespace()
                guard i < buf.count, buf[i] == UInt8(ascii: "\"") else { throw expected("a key string", at: i) }
                let keyIndex = try matchKey(keys)
                skipWhitespace()
                guard i < buf.count, buf[i] == UInt8(ascii: ":") else { throw expected("':' after a key", at: i) }
                i += 1
                skipWhitespace()
                if let k = keyIndex {
                    out[k] = try parseFieldValue()
                } else {
                    try skipValue(depth: 1)
                }
                skipWhitespace()
                guard i < buf.count else { throw fail("unterminated object (line ends before '}')", at: i) }
                if buf[i] == UInt8(ascii: ",") { i += 1; continue }
                if buf[i] == UInt8(ascii: "}") { i += 1; break }
                throw expected("',' or '}'", at: i)
            }
        }
        skipWhitespace()
        if i < buf.count { throw fail("unexpected '\(describe(buf[i]))' after the JSON object", at: i) }
    }

    func expected(_ what: String, at offset: Int) -> JSONLineError {
        if offset >= buf.count { return fail("expected \(what), found end of line", at: offset) }
        return fail("expected \(what), found '\(describe(buf[offset]))'", at: offset)
    }

    func describe(_ c: UInt8) -> String {
        if c >= 0x20 && c < 0x7F { return String(UnicodeScalar(c)) }
        return String(format: "\\x%02X", c)
    }

    /// Reads a key string at `i` (on its quote) and returns which wanted key it is.
    mutating func matchKey(_ keys: [[UInt8]]) throws(JSONLineError) -> Int? {
        let start = i + 1
        let (end, escaped) = try scanString()
        if !escaped {
            let len = end - start
            for (k, key) in keys.enumerated() where key.count == len {
                var same = true
                for j in 0..<len where buf[start + j] != key[j] { same = false; break }
                if same { return k }
            }
            return nil
        }
        try unescape(from: start, to: end)
        for (k, key) in keys.enumerated() where key == scratch { return k }
        return nil
    }

    mutating func parseFieldValue() throws(JSONLineError) -> JSONFieldValue {
        guard i < buf.count else { throw expected("a value", at: i) }
        switch buf[i] {
        case UInt8(ascii: "\""):
            let start = i + 1
            let (end, escaped) = try scanString()
            if !escaped {
                return .string(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self))
            }
            try unescape(from: start, to: end)
            return .string(String(decoding: scratch, as: UTF8.self))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            try scanNumber()
            return .number(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue(depth: 1)
            return .composite
        default:
            throw expected("a value", at: i)
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONLineError) {
        let n = word.utf8CodeUnitCount
        let p = word.utf8Start
        guard i + n <= buf.count else { throw fail("invalid literal (expected \(word))", at: i) }
        for j in 0..<n where buf[i + j] != p[j] { throw fail("invalid literal (expected \(word))", at: i) }
        i += n
    }

    /// Validates and skips any value at `i`.
    mutating func skipValue(depth: Int) throws(JSONLineError) {
        guard depth <= 512 else { throw fail("nesting deeper than 512 levels", at: i) }
        guard i < buf.count else { throw expected("a value", at: i) }
        switch buf[i] {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "["):
            i += 1
            skipWhitespace()
            if i < buf.count && buf[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < buf.count else { throw fail("unterminated array", at: i) }
                if buf[i] == UInt8(ascii: ",") { i += 1; continue }
                if buf[i] == UInt8(ascii: "]") { i += 1; return }
                throw expected("',' or ']'", at: i)
            }
        case UInt8(ascii: "{"):
            i += 1
            skipWhitespace()
            if i < buf.count && buf[i] == UInt8(ascii: "}") { i += 1; return }
            while true {
                skipWhitespace()
                guard i < buf.count, buf[i] == UInt8(ascii: "\"") else { throw expected("a key string", at: i) }
                _ = try scanString()
                skipWhitespace()
                guard i < buf.count, buf[i] == UInt8(ascii: ":") else { throw expected("':' after a key", at: i) }
                i += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < buf.count else { throw fail("unterminated object", at: i) }
                if buf[i] == UInt8(ascii: ",") { i += 1; continue }
                if buf[i] == UInt8(ascii: "}") { i += 1; return }
                throw expected("',' or '}'", at: i)
            }
        default:
            throw expected("a value", at: i)
        }
    }

    /// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func scanNumber() throws(JSONLineError) {
        let start = i
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if buf[i] == UInt8(ascii: "-") { i += 1 }
        guard i < buf.count, isDigit(buf[i]) else { throw fail("invalid number", at: start) }
        if buf[i] == UInt8(ascii: "0") {
            i += 1
            if i < buf.count && isDigit(buf[i]) { throw fail("invalid number (leading zero)", at: start) }
        } else {
            while i < buf.count && isDigit(buf[i]) { i += 1 }
        }
        if i < buf.count && buf[i] == UInt8(ascii: ".") {
            i += 1
            guard i < buf.count, isDigit(buf[i]) else { throw fail("invalid number (no digit after '.')", at: start) }
            while i < buf.count && isDigit(buf[i]) { i += 1 }
        }
        if i < buf.count && (buf[i] == UInt8(ascii: "e") || buf[i] == UInt8(ascii: "E")) {
            i += 1
            if i < buf.count && (buf[i] == UInt8(ascii: "+") || buf[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < buf.count, isDigit(buf[i]) else { throw fail("invalid number (no digit in exponent)", at: start) }
            while i < buf.count && isDigit(buf[i]) { i += 1 }
        }
    }

    /// Validates the string starting at `i` (its opening quote) and moves past its closing quote.
    ///
    /// Returns the end of its content (the closing quote's index) and whether it holds escapes.
    /// Checks UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), control characters
    /// and escape syntax; surrogate pairing in `\u` escapes is checked when unescaping, and
    /// also here so that skipped strings are validated as strictly.
    mutating func scanString() throws(JSONLineError) -> (end: Int, escaped: Bool) {
        i += 1
        var escaped = false
        let n = buf.count
        while i < n {
            let c = buf[i]
            if c == 0x22 { let end = i; i += 1; return (end, escaped) }
            if c == 0x5C {
                escaped = true
                guard i + 1 < n else { throw fail("unterminated string", at: i) }
                let e = buf[i + 1]
                switch e {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
                case 0x75:
                    let v = try hex4(at: i + 2)
                    if v >= 0xD800 && v <= 0xDBFF {
                        guard i + 7 < n, buf[i + 6] == 0x5C, buf[i + 7] == 0x75 else {
                            throw fail("lone high surrogate in \\u escape", at: i)
                        }
                        let lo = try hex4(at: i + 8)
                        guard lo >= 0xDC00 && lo <= 0xDFFF else { throw fail("lone high surrogate in \\u escape", at: i) }
                        i += 12
                    } else if v >= 0xDC00 && v <= 0xDFFF {
                        throw fail("lone low surrogate in \\u escape", at: i)
                    } else {
                        i += 6
                    }
                default:
                    throw fail("invalid escape '\\\(describe(e))'", at: i)
                }
                continue
            }
            if c < 0x20 { throw fail("control character \(describe(c)) inside a string (must be escaped)", at: i) }
            if c < 0x80 { i += 1; continue }
            try skipUTF8Sequence()
        }
        throw fail("unterminated string", at: i)
    }

    /// Validates one multi-byte UTF-8 sequence at `i` and moves past it.
    @inline(__always) mutating func skipUTF8Sequence() throws(JSONLineError) {
        let n = buf.count
        let c = buf[i]
        @inline(__always) func cont(_ k: Int) -> Bool { k < n && buf[k] & 0xC0 == 0x80 }
        if c >= 0xC2 && c <= 0xDF {
            guard cont(i + 1) else { throw fail("invalid UTF-8", at: i) }
            i += 2
        } else if c >= 0xE0 && c <= 0xEF {
            guard cont(i + 1), cont(i + 2) else { throw fail("invalid UTF-8", at: i) }
            let c1 = buf[i + 1]
            if c == 0xE0 && c1 < 0xA0 { throw fail("invalid UTF-8 (overlong)", at: i) }
            if c == 0xED && c1 >= 0xA0 { throw fail("invalid UTF-8 (surrogate)", at: i) }
            i += 3
        } else if c >= 0xF0 && c <= 0xF4 {
            guard cont(i + 1), cont(i + 2), cont(i + 3) else { throw fail("invalid UTF-8", at: i) }
            let c1 = buf[i + 1]
            if c == 0xF0 && c1 < 0x90 { throw fail("invalid UTF-8 (overlong)", at: i) }
            if c == 0xF4 && c1 >= 0x90 { throw fail("invalid UTF-8 (above U+10FFFF)", at: i) }
            i += 4
        } else {
            throw fail("invalid UTF-8", at: i)
        }
    }

    func hex4(at k: Int) throws(JSONLineError) -> UInt32 {
        guard k + 4 <= buf.count else { throw fail("truncated \\u escape", at: k - 2) }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            let c = buf[j]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid hex digit in \\u escape", at: k - 2)
            }
            v = v << 4 | d
        }
        return v
    }

    /// Decodes the (already validated) string content `start..<end` into `scratch`.
    mutating func unescape(from start: Int, to end: Int) throws(JSONLineError) {
        scratch.removeAll(keepingCapacity: true)
        var k = start
        while k < end {
            let c = buf[k]
            if c != 0x5C { scratch.append(c); k += 1; continue }
            let e = buf[k + 1]
            switch e {
            case 0x22: scratch.append(0x22); k += 2
            case 0x5C: scratch.append(0x5C); k += 2
            case 0x2F: scratch.append(0x2F); k += 2
            case 0x62: scratch.append(0x08); k += 2
            case 0x66: scratch.append(0x0C); k += 2
            case 0x6E: scratch.append(0x0A); k += 2
            case 0x72: scratch.append(0x0D); k += 2
            case 0x74: scratch.append(0x09); k += 2
            default:
                var v = try hex4(at: k + 2)
                k += 6
                if v >= 0xD800 && v <= 0xDBFF {
                    let lo = try hex4(at: k + 2)
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                    k += 6
                }
                appendUTF8(v)
            }
        }
    }

    mutating func appendUTF8(_ v: UInt32) {
        if v < 0x80 {
            scratch.append(UInt8(v))
        } else if v < 0x800 {
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
