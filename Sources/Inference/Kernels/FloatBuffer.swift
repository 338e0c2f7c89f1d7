#if canImport(Glibc)
    import Glibc
#endif

/// A fixed-size float array aligned to 64 bytes (a cache line), zero-filled, freed on deinit.
///
/// Weights and scratch activations live in these rather than in `[Float]` so that the hot
/// loops work on stable raw pointers with no copy-on-write or bounds-check traffic.
public final class FloatBuffer: @unchecked Sendable {
    /// The first element.
    public let pointer: UnsafeMutablePointer<Float>
    /// The number of floats.
    public let count: Int

    /// Allocates `count` zeroed floats.
    public init(count: Int) {
        self.count = count
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        // posix_memalign only fails on exhausted memory; no sane recovery from that.
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else { fatalError("out of memory allocating \(bytes) bytes") }
        memset(raw, 0, bytes)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Copies `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { free(pointer) }

    /// The contents as an array (tests, small vectors).
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
