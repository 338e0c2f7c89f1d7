/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator, so that every random
/// test in the package draws the same data on every run and machine.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<n (modulo reduction: bias is irrelevant for test data).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A float in [0, 1) with 24 random bits.
    public mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) }
}
