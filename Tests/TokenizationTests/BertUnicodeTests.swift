import Formats
import XCTest

@testable import Tokenization

/// Checks the per-character rules against what HF `tokenizers` does with every code point
/// (bert_unicode.tsv.gz, written by scripts/reference/make_tokenizer_golden.py).
final class BertUnicodeTests: XCTestCase {
    private struct Expected { var output: [UInt32]?; var roles: String }  // output nil: the scalar itself

    func testEveryCodePointMatchesHuggingFace() throws {
        let path = try TestSupport.goldenPath("bert_unicode.tsv.gz")
        let reader = try Formats.LineReader(path: path)
        var table: [UInt32: Expected] = [:]
        while let line = try reader.nextLine() {
            let fields = try reader.string(line).split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { XCTFail("\(path):\(reader.lineNumber): bad row"); return }
            let bounds = fields[0].split(separator: "-").compactMap { UInt32($0, radix: 16) }
            guard let first = bounds.first, let last = bounds.last else { XCTFail("bad key"); return }
            let output: [UInt32]? = fields[1] == "=" ? nil : fields[1].split(separator: " ").compactMap { UInt32($0, radix: 16) }
            for v in first...last { table[v] = Expected(output: output, roles: String(fields[2])) }
        }
        XCTAssertGreaterThan(table.count, 100_000)

        let options = BertUnicode.Options()  // the model's: clean, chinese, strip accents, lowercase
        var checked = 0, mismatches = 0
        var firstMismatch = ""
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let units = BertUnicode.units(for: scalar, options: options)
                .filter { BertUnicode.roleBits(of: $0) != BertUnicode.Role.barrier.rawValue }
            let output = units.map(BertUnicode.scalar(of:))
            let roles = String(
                units.map { u -> Character in
                    switch BertUnicode.roleBits(of: u) {
                    case BertUnicode.Role.space.rawValue: return "s"
                    case BertUnicode.Role.punctuation.rawValue: return "p"
                    default: return "n"
                    }
                })
            let expected = table[v] ?? Expected(output: nil, roles: "n")
            checked += 1
            if output != (expected.output ?? [v]) || roles != expected.roles {
                mismatches += 1
                if firstMismatch.isEmpty {
                    firstMismatch =
                        "U+\(String(v, radix: 16, uppercase: true)): expected "
                        + "\(expected.output ?? [v]) \(expected.roles), got \(output) \(roles)"
                }
            }
        }
        XCTAssertEqual(checked, 0x110000 - 0x800)
        XCTAssertEqual(mismatches, 0, firstMismatch)
    }

    /// The precomputed plane table holds exactly what the per-scalar function computes.
    func testPlaneTableMatchesFunction() {
        let options = BertUnicode.Options()
        let plane = BertUnicode.PlaneTable(options: options)
        for v in UInt32(0)..<0x10000 {
            guard let s = Unicode.Scalar(v) else { continue }
            let stored = Array(plane.units[Int(plane.start[Int(v)])..<Int(plane.start[Int(v) + 1])])
            if stored != BertUnicode.units(for: s, options: options) {
                XCTFail("U+\(String(v, radix: 16)) differs")
                return
            }
        }
    }
}
