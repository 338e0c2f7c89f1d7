import Formats
import Foundation

/// Seeded random mutations of a valid file, for the readers' fuzz tests (issue #13): each
/// mutant must be read or refused with an ``IndexerError``, never crash, hang or be taken
/// for a shorter whole.
public struct Mutations {
    private var rng: SplitMix
    private let original: [UInt8]
    /// Bytes that make parsers branch: structure, quotes, escapes, white space, UTF-8 lead bytes.
    private static let interesting: [UInt8] = Array("{}[]\",:\\ \t\n\r0-9eE.+x".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xE2, 0xEF, 0xBB, 0xBF, 0xFF]

    /// Mutations of `original`, seeded.
    public init(of original: [UInt8], seed: UInt64) {
        self.original = original
        rng = SplitMix(seed: seed)
    }

    /// The next mutant and what was done (for the failure message).
    public mutating func next() -> (bytes: [UInt8], what: String) {
        var b = original
        let count = 1 + rng.below(4)
        var what: [String] = []
        for _ in 0..<count {
            guard !b.isEmpty else { b = [Self.interesting[rng.below(Self.interesting.count)]]; continue }
            let at = rng.below(b.count)
            switch rng.below(6) {
            case 0: b[at] ^= UInt8(1 << rng.below(8)); what.append("flip@\(at)")
            case 1: b[at] = Self.interesting[rng.below(Self.interesting.count)]; what.append("set@\(at)")
            case 2: b.insert(Self.interesting[rng.below(Self.interesting.count)], at: at); what.append("insert@\(at)")
            case 3: b.remove(at: at); what.append("delete@\(at)")
            case 4: b.removeSubrange(at..<min(b.count, at + 1 + rng.below(16))); what.append("cut@\(at)")
            default: b = Array(b[0..<at]); what.append("truncate@\(at)")
            }
        }
        return (b, what.joined(separator: ","))
    }
}
