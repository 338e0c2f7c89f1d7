import Formats

/// The tests' seeded generator: the package's ``Formats/SplitMix64``, so that every random
/// test draws the same data on every run and machine.
public typealias SplitMix = SplitMix64

extension SplitMix64 {
    /// A value in 0..<n (modulo reduction: bias is irrelevant for test data).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A float in [0, 1) with 24 random bits.
    public mutating func float() -> Float { nextUnitFloat() }
}
