import Formats
import Foundation
import TestSupport
import XCTest

final class JSONLineParserTests: XCTestCase {
    let parser = JSONLineParser(keys: ["_id", "title", "text"])

    /// What Foundation's JSONSerialization (the reference) makes of the same field.
    func reference(_ line: String, _ key: String) throws -> JSONFieldValue? {
        let obj = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        guard let dict = obj as? [String: Any] else { XCTFail("not an object: \(line)"); return nil }
        guard let v = dict[key] else { return nil }
        if v is NSNull { return .null }
        if let s = v as? String { return .string(s) }
        if v is [Any] || v is [String: Any] { return .composite }
        if v is NSNumber { return .number("number") }
        return .composite
    }

    func testTrickyValidLinesAgreeWithJSONSerialization() throws {
        let lines = [
            #"{"_id": "a", "title": "T", "text": "plain"}"#,
            #"  {  "_id"  :  "a" ,"text":"x"  }  "#,
            #"{"_id":"e","text":"quote \" backslash \\ slash \/ controls \b\f\n\r\t end"}"#,
            #"{"_id":"u","text":"\u00e9\u4e2d\u0041 and pair \ud83d\ude00 and \uD834\uDD1E"}"#,
            #"{"_id":"nul","text":"a\u0000b"}"#,
            #"{"_id":"raw","title":"café 中文 😀","text":"naïve"}"#,
            #"{"_id":"n","text":"t","metadata":{"a":[1,2,{"b":null}],"c":"}{]["},"x":[],"y":{},"z":-0.5e+10,"w":true,"v":false}"#,
            #"{"metadata": {"text": "inner text is not the field"}, "_id": "k", "text": "outer"}"#,
            #"{"_id":"null-title","title":null,"text":"x"}"#,
            #"{"_id":"dup","text":"first","text":"second"}"#,
            #"{"t\u0065xt":"escaped key","_id":"ek"}"#,
            #"{"_id":"nested","text":"x","deep":[[[[[[[[[[{"a":[[[]]]}]]]]]]]]]]}"#,
            "{\"_id\":\"ws\",\t\"text\":\r\n\"tabs and newlines between tokens\"}",
            #"{}"#,
            #"{"_id":"nums","text":"x","a":0,"b":-0,"c":1.5,"d":1E5,"e":1e-5,"f":123456789012345678901234567890}"#,
        ]
        for line in lines {
            let ours = try parser.parse(Array(line.utf8))
            for (k, key) in ["_id", "title", "text"].enumerated() {
                let ref = try reference(line, key)
                switch (ours[k], ref) {
                case (.number?, .number?): break
                default: XCTAssertEqual(ours[k], ref, "key \(key) of \(line)")
                }
            }
        }
    }

    func testNumbersKeepTheirLiteralText() throws {
        let v = try JSONLineParser(keys: ["_id", "x"]).parse(Array(#"{"_id": 4983, "x": -1.25e-3}"#.utf8))
        XCTAssertEqual(v[0], .number("4983"))
        XCTAssertEqual(v[1], .number("-1.25e-3"))
    }

    func testEscapedKeyMatches() throws {
        let v = try parser.parse(Array(#"{"\u005fid":"x","te\u0078t":"y"}"#.utf8))
        XCTAssertEqual(v[0], .string("x"))
        XCTAssertEqual(v[2], .string("y"))
    }

    func testInvalidLinesAreRefused() {
        let bad: [[UInt8]] = [
            Array(#"{"_id":"a","text":"x""#.utf8),  // unterminated object
            Array(#"{"_id":"a","text":"x}"#.utf8),  // unterminated string
            Array(#"{"_id":"a" "text":"x"}"#.utf8),  // missing comma
            Array(#"{"_id":"a","text":"x",}"#.utf8),  // trailing comma
            Array(#"{"_id":'a'}"#.utf8),  // single quotes
            Array(#"{_id:"a"}"#.utf8),  // bare key
            Array(#"{"_id":"a"} x"#.utf8),  // trailing garbage
            Array(#"{"_id":"a"}{"_id":"b"}"#.utf8),  // two objects
            Array(#"["_id","a"]"#.utf8),  // not an object
            Array(#""just a string""#.utf8),
            Array(#"{"_id":"a","n":01}"#.utf8),  // leading zero
            Array(#"{"_id":"a","n":1.}"#.utf8),
            Array(#"{"_id":"a","n":.5}"#.utf8),
            Array(#"{"_id":"a","n":+1}"#.utf8),
            Array(#"{"_id":"a","n":1e}"#.utf8),
            Array(#"{"_id":"a","n":NaN}"#.utf8),
            Array(#"{"_id":"a","b":tru}"#.utf8),
            Array(#"{"_id":"a","b":nul}"#.utf8),
            Array(#"{"_id":"a\x"}"#.utf8),  // bad escape
            Array(#"{"_id":"\u12G4"}"#.utf8),  // bad hex
            Array(#"{"_id":"\ud83d"}"#.utf8),  // lone high surrogate
            Array(#"{"_id":"\ude00"}"#.utf8),  // lone low surrogate
            Array(#"{"_id":"\ud83d\u0041"}"#.utf8),  // high + non-low
            Array(#"{"_id":"a","x":[1,2}"#.utf8),
            Array(#"{"_id":"a","x":{"k" 1}}"#.utf8),
            Array("{\"_id\":\"tab\there\"}".utf8),  // raw control character
            Array(#"{"_id":"a","text":"x"#.utf8) + [0xFF] + Array(#""}"#.utf8),  // invalid byte
            Array(#"{"_id":"a","text":"x"#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),  // overlong
            Array(#"{"_id":"a","text":"x"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),  // UTF-8 surrogate
            Array(#"{"_id":"a","text":"x"#.utf8) + [0xE4, 0xB8] + Array(#""}"#.utf8),  // truncated sequence
            Array(#"{"_id":"a","text":"x"#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""}"#.utf8),  // > U+10FFFF
            [],
            Array(String(repeating: "[", count: 600).utf8),
            Array(("{\"a\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}").utf8),
        ]
        for line in bad {
            XCTAssertThrowsError(try parser.parse(line), "accepted: \(String(decoding: line, as: UTF8.self))")
        }
    }

    func testErrorOffsetPointsAtTheProblem() {
        do {
            _ = try parser.parse(Array(#"{"_id": "a", "text": x}"#.utf8))
            XCTFail("accepted")
        } catch {
            XCTAssertEqual(error.offset, 21)
        }
    }

    /// Every line of the real corpora, decoded by us and by JSONSerialization, must agree.
    func testRealCorporaAgreeWithJSONSerialization() throws {
        var checked = 0
        for name in ["scifact/corpus.jsonl", "nfcorpus/queries.jsonl"] {
            guard let path = TestFiles.sharedData(name) else { continue }
            let lines = try LineReader(path: path)
            while let bytes = try lines.nextLine() {
                let ours = try parser.parse(bytes)
                let obj = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
                XCTAssertEqual(ours[0], (obj?["_id"] as? String).map { .string($0) }, "\(name):\(lines.lineNumber)")
                XCTAssertEqual(ours[2], (obj?["text"] as? String).map { .string($0) }, "\(name):\(lines.lineNumber)")
                if let t = obj?["title"] as? String { XCTAssertEqual(ours[1], .string(t)) }
                checked += 1
            }
        }
        if checked == 0 { throw XCTSkip("../shared/data is absent") }
    }
}

/// Random objects written by an independent encoder (random escape choices, raw or escaped
/// non-ASCII, surrogate pairs, nested values around the wanted keys) must parse back exactly.
final class JSONLineParserPropertyTests: XCTestCase {
    var rng = SplitMix(seed: 42)

    func randomScalar() -> Unicode.Scalar {
        switch rng.below(6) {
        case 0: return Unicode.Scalar(UInt8(rng.below(0x20)))  // control
        case 1: return ["\"", "\\", "/", " ", "\u{7F}"].map { Unicode.Scalar($0)! }[rng.below(5)]
        case 2: return Unicode.Scalar(UInt32(0x80 + rng.below(0x780)))!  // 2-byte
        case 3:
            var v = UInt32(0x800 + rng.below(0xF800))
            if (0xD800...0xDFFF).contains(v) { v = 0x4E2D }
            return Unicode.Scalar(v)!  // 3-byte
        case 4: return Unicode.Scalar(UInt32(0x10000 + rng.below(0x100000)))!  // astral
        default: return Unicode.Scalar(UInt8(0x20 + rng.below(0x5F)))  // ASCII
        }
    }

    func encode(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            let escapeAll = rng.below(4) == 0
            switch u {
            case "\"": out += "\\\""
            case "\\": out += rng.below(2) == 0 ? "\\\\" : "\\u005c"
            case "\n" where !escapeAll: out += "\\n"
            case "\t" where !escapeAll: out += "\\t"
            default:
                if u.value < 0x20 || escapeAll {
                    if u.value >= 0x10000 {
                        let v = u.value - 0x10000
                        out += String(format: "\\u%04X\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                    } else {
                        out += String(format: rng.below(2) == 0 ? "\\u%04x" : "\\u%04X", u.value)
                    }
                } else if u == "/" && rng.below(2) == 0 {
                    out += "\\/"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    func randomValue(depth: Int) -> String {
        switch rng.below(depth > 3 ? 5 : 7) {
        case 0: return encode(String(String.UnicodeScalarView((0..<rng.below(8)).map { _ in randomScalar() })))
        case 1: return ["0", "-0", "12", "-3.25", "1e5", "2E-7", "-0.0e+0", "123456789012345678901234567890"][rng.below(8)]
        case 2: return ["true", "false", "null"][rng.below(3)]
        case 3: return "[]"
        case 4: return "{}"
        case 5: return "[" + (0..<1 + rng.below(3)).map { _ in randomValue(depth: depth + 1) }.joined(separator: rng.below(2) == 0 ? "," : " ,\t") + "]"
        default:
            return "{"
                + (0..<1 + rng.below(3)).map { _ in encode(["text", "_id", "k", "title"][rng.below(4)]) + ":" + randomValue(depth: depth + 1) }.joined(
                    separator: ",") + "}"
        }
    }

    func testRandomObjectsRoundTrip() throws {
        let parser = JSONLineParser(keys: ["_id", "text"])
        for _ in 0..<3000 {
            let id = String(String.UnicodeScalarView((0..<1 + rng.below(6)).map { _ in randomScalar() }))
            let text = String(String.UnicodeScalarView((0..<rng.below(40)).map { _ in randomScalar() }))
            var members = [encode("_id") + ":" + encode(id), encode("text") + " : " + encode(text)]
            for _ in 0..<rng.below(4) { members.insert(encode("other\(rng.below(9))") + ":" + randomValue(depth: 0), at: rng.below(members.count + 1)) }
            let ws = [" ", "", "\t", "  "]
            let line = ws[rng.below(4)] + "{" + members.joined(separator: ws[rng.below(4)] + "," + ws[rng.below(4)]) + "}" + ws[rng.below(4)]
            let v = try parser.parse(Array(line.utf8))
            XCTAssertEqual(v[0], .string(id), line)
            XCTAssertEqual(v[1], .string(text), line)
            // Any prefix that stops before the closing brace is invalid.
            let bytes = Array(line.utf8)
            let closing = bytes.lastIndex(of: UInt8(ascii: "}"))!
            let prefix = Array(bytes.prefix(rng.below(closing + 1)))
            XCTAssertThrowsError(try parser.parse(prefix), String(decoding: prefix, as: UTF8.self))
        }
    }
}
