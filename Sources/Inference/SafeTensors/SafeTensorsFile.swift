import Formats
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The element types a safetensors file may declare; the encoder reads the floating ones.
public enum TensorDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }
}

/// Where one tensor lives in a safetensors file, as its header declares it (validated).
public struct TensorInfo: Sendable, Equatable {
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// Byte range relative to the start of the data section.
    public var begin: Int
    public var end: Int

    /// The number of elements (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }
}

/// A safetensors file, memory-mapped read-only, with every header bound checked at open.
///
/// Layout (https://github.com/huggingface/safetensors): an 8-byte little-endian header
/// length N, N bytes of JSON mapping tensor names to `{dtype, shape, data_offsets}` (plus an
/// optional `__metadata__`), then the data section. Opening checks that the header fits the
/// file, is a JSON object, names only known dtypes, that each shape's byte size equals its
/// offset range, that ranges lie inside the data section and do not overlap. A damaged file
/// therefore fails at open with the file and tensor named, never later with garbage floats.
public final class SafeTensorsFile: @unchecked Sendable {
    /// The file path, for error messages.
    public let path: String
    /// Tensors by name.
    public let tensors: [String: TensorInfo]
    /// String metadata from `__metadata__`, if any.
    public let metadata: [String: String]
    /// Identifies this version of the file: path, size, modification time, inode.
    public let identity: String
    private let base: UnsafeRawPointer
    private let mappedLength: Int
    private let dataStart: Int

    /// Maps `path` and validates its header.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw IndexerError(.model, "cannot open model weights", path: path, cause: String(cString: strerror(e)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IndexerError.io("cannot stat", path: path) }
        let size = Int(st.st_size)
        identity = "\(path)|\(size)|\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)|\(st.st_ino)"
        guard size >= 8 else {
            throw IndexerError(.corrupt, "safetensors file is truncated: \(size) bytes, less than the 8-byte header length", path: path)
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw IndexerError.io("cannot map", path: path)
        }
        let raw = UnsafeRawPointer(p)
        do {
            let (tensors, metadata, dataStart) = try SafeTensorsFile.parseHeader(raw, size: size, path: path)
            self.tensors = tensors
            self.metadata = metadata
            self.dataStart = dataStart
        } catch {
            munmap(p, size)
            throw error
        }
        base = raw
        mappedLength = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
    }

    /// The whole file as mapped (header and data), e.g. to hash it.
    public var fileBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: mappedLength) }

    /// Tensor names in sorted order.
    public var names: [String] { tensors.keys.sorted() }

    /// The raw bytes of a tensor (valid while this file object lives).
    public func bytes(_ info: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + dataStart + info.begin, count: info.end - info.begin)
    }

    /// A floating tensor widened to `Float` (F32 copied, F16 and BF16 widened exactly, F64
    /// rounded), checked against the expected shape when one is given.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let info = tensors[name] else {
            throw IndexerError(.model, "tensor '\(name)' is missing", path: path)
        }
        if let expected, expected != info.shape {
            throw IndexerError(.model, "tensor '\(name)' has shape \(info.shape), expected \(expected)", path: path)
        }
        let raw = bytes(info)
        let n = info.count
        var out = [Float](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { dst in
            switch info.dtype {
            case .f32:
                for i in 0..<n { dst[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
            case .f16:
                for i in 0..<n { dst[i] = halfToFloat(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
            case .bf16:
                for i in 0..<n { dst[i] = Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) << 16) }
            case .f64:
                for i in 0..<n { dst[i] = Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian)) }
            default:
                break
            }
        }
        guard [.f32, .f16, .bf16, .f64].contains(info.dtype) else {
            throw IndexerError(.model, "tensor '\(name)' has dtype \(info.dtype.rawValue), expected a floating type (F32, F16, BF16)", path: path)
        }
        return out
    }

    static func parseHeader(_ raw: UnsafeRawPointer, size: Int, path: String) throws
        -> ([String: TensorInfo], [String: String], Int)
    {
        let headerLength = raw.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= UInt64(size - 8) else {
            throw IndexerError(
                .corrupt, "safetensors header length \(headerLength) exceeds the file (\(size) bytes): truncated or not a safetensors file", path: path)
        }
        let n = Int(headerLength)
        let dataStart = 8 + n
        let json = Data(bytes: raw + 8, count: n)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw IndexerError(.corrupt, "safetensors header is not valid JSON", path: path, cause: "\(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else {
            throw IndexerError(.corrupt, "safetensors header is not a JSON object", path: path)
        }
        let dataLength = size - dataStart
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in dict {
            if name == "__metadata__" {
                if let m = value as? [String: Any] {
                    for (k, v) in m { if let s = v as? String { metadata[k] = s } }
                }
                continue
            }
            tensors[name] = try tensorInfo(name, value, dataLength: dataLength, path: path)
        }
        // Ranges must not overlap (sorted by start; empty tensors cannot overlap anything).
        let ranges = tensors.values.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.begin < a.end {
            throw IndexerError(.corrupt, "tensors '\(a.name)' [\(a.begin), \(a.end)) and '\(b.name)' [\(b.begin), \(b.end)) overlap", path: path)
        }
        return (tensors, metadata, dataStart)
    }

    /// One header entry checked: a known dtype, a shape of non-negative integers, and
    /// data_offsets inside the data section holding exactly shape × dtype size bytes.
    private static func tensorInfo(_ name: String, _ value: Any, dataLength: Int, path: String) throws -> TensorInfo {
        func bad(_ why: String) -> IndexerError {
            IndexerError(.corrupt, "tensor '\(name)': \(why)", path: path)
        }
        guard let entry = value as? [String: Any] else { throw bad("header entry is not an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw bad("no dtype") }
        guard let dtype = TensorDType(rawValue: dtypeName) else { throw bad("unknown dtype '\(dtypeName)'") }
        guard let shapeValues = entry["shape"] as? [Any] else { throw bad("no shape") }
        var shape: [Int] = []
        for v in shapeValues {
            guard let d = exactInt(v), d >= 0 else { throw bad("shape \(shapeValues) is not a list of non-negative integers") }
            shape.append(d)
        }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
            let begin = exactInt(offsets[0]), let end = exactInt(offsets[1]), begin >= 0, begin <= end
        else { throw bad("data_offsets is not a pair [begin, end] with 0 <= begin <= end") }
        guard end <= dataLength else {
            throw bad("data_offsets [\(begin), \(end)] run past the data section (\(dataLength) bytes): file truncated?")
        }
        var count = 1
        for d in shape {
            let (m, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("shape \(shape) overflows") }
            count = m
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, bytes == end - begin else {
            throw bad(
                "shape \(shape) of \(dtypeName) needs \(overflow ? "too many" : String(bytes)) bytes but data_offsets [\(begin), \(end)] hold \(end - begin)"
            )
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// An integer JSON value, refusing fractions and huge values.
    private static func exactInt(_ v: Any) -> Int? {
        guard let n = v as? NSNumber else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return n.intValue
    }
}

/// IEEE binary16 to binary32, exact (subnormals, infinities and NaN included).
@inline(__always)
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        // Zero or subnormal: mantissa × 2^-24, exactly representable in Float.
        let v = Float(mantissa) * Float(bitPattern: 0x3380_0000)
        return sign != 0 ? -v : v
    }
    if exponent == 0x1F {
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}
