import CLZ4
import CZstd
import Formats

/// The compression applied to each block of a shard section.
///
/// zstd is the default (best ratio for the time); lz4 trades ratio for the fastest decoding;
/// `none` stores blocks raw (a baseline for benchmarks). Every block is compressed on its
/// own, so a reader decodes exactly the block it needs.
public enum BlockCodec: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Stored as is.
    case none = 0
    /// Zstandard, one frame a block, at the writer's level (1...19).
    case zstd = 1
    /// LZ4 block format (`LZ4_compress_default`); the level is ignored.
    case lz4 = 2

    /// The name used on the command line and in manifests.
    public var description: String {
        switch self {
        case .none: return "none"
        case .zstd: return "zstd"
        case .lz4: return "lz4"
        }
    }

    /// The codec named `name` (`none`, `zstd`, `lz4`), or nil.
    public init?(name: String) {
        guard let c = BlockCodec.allCases.first(where: { $0.description == name }) else { return nil }
        self = c
    }

    /// The default zstd level.
    public static let defaultLevel = 3

    /// Compresses `input` as one block.
    public func compress(_ input: UnsafeRawBufferPointer, level: Int) throws -> [UInt8] {
        switch self {
        case .none:
            return Array(input.bindMemory(to: UInt8.self))
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            var out = [UInt8](repeating: 0, count: bound)
            let n = out.withUnsafeMutableBytes { dst in
                ZSTD_compress(dst.baseAddress, bound, input.baseAddress, input.count, Int32(level))
            }
            guard ZSTD_isError(n) == 0 else {
                throw IndexerError(.internal, "zstd compression failed", cause: String(cString: ZSTD_getErrorName(n)))
            }
            out.removeSubrange(n...)
            return out
        case .lz4:
            guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else {
                throw IndexerError(.internal, "block of \(input.count) bytes is too large for lz4")
            }
            let bound = Int(LZ4_compressBound(Int32(input.count)))
            var out = [UInt8](repeating: 0, count: max(bound, 1))
            let n = out.withUnsafeMutableBytes { dst in
                input.withMemoryRebound(to: CChar.self) { src in
                    LZ4_compress_default(
                        src.baseAddress, dst.baseAddress?.assumingMemoryBound(to: CChar.self),
                        Int32(input.count), Int32(bound))
                }
            }
            guard n > 0 || input.count == 0 else { throw IndexerError(.internal, "lz4 compression failed") }
            out.removeSubrange(Int(n)...)
            return out
        }
    }

    /// Compresses a byte array as one block.
    public func compress(_ input: [UInt8], level: Int) throws -> [UInt8] {
        try input.withUnsafeBytes { try compress($0, level: level) }
    }

    /// Decompresses one block into `output`, which must be exactly the block's raw length.
    ///
    /// Throws a corrupt-file error (naming `path`) when the block does not decode to exactly
    /// that many bytes.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, path: String) throws {
        let expected = output.count
        switch self {
        case .none:
            guard input.count == expected else {
                throw IndexerError(.corrupt, "raw block is \(input.count) bytes, expected \(expected)", path: path)
            }
            if expected > 0 { output.copyMemory(from: input) }
        case .zstd:
            let n = ZSTD_decompress(output.baseAddress, expected, input.baseAddress, input.count)
            guard ZSTD_isError(n) == 0, n == expected else {
                let why = ZSTD_isError(n) != 0 ? String(cString: ZSTD_getErrorName(n)) : "\(n) bytes, expected \(expected)"
                throw IndexerError(.corrupt, "zstd block does not decode", path: path, cause: why)
            }
        case .lz4:
            if expected == 0 && input.count <= 1 { return }
            let n = LZ4_decompress_safe(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                output.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(expected))
            guard n == Int32(expected) else {
                throw IndexerError(.corrupt, "lz4 block does not decode", path: path, cause: "\(n) bytes, expected \(expected)")
            }
        }
    }

    /// Decompresses one block to a new array of `rawLength` bytes.
    public func decompress(_ input: UnsafeRawBufferPointer, rawLength: Int, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rawLength)
        try out.withUnsafeMutableBytes { try decompress(input, into: $0, path: path) }
        return out
    }
}
