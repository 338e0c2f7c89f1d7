/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded random number generator, so that
/// everything drawn from it (the report's randomisation test, the hash embedder's vectors, the
/// tests' data) is the same on every machine and every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state: the next value follows from it alone.
    public var state: UInt64

    /// Starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float in [0, 1) from the top 24 bits of the next value.
    public mutating func nextUnitFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}
