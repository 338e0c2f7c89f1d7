import Foundation

/// NumPy `.npy` files (format version 1.0) of little-endian float32 in C order, the format
/// `indexer embed` writes and numpy reads with `np.load`.
///
/// Layout: magic `\x93NUMPY`, version bytes 1 0, a little-endian UInt16 header length, an
/// ASCII dict `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }` padded with
/// spaces and a newline so that the data starts at a multiple of 64 bytes, then the data.
public enum NPY {
    /// The header bytes for a float32 C-order array of `shape`.
    public static func header(shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
        let fixed = 6 + 2 + 2
        let total = ((fixed + dict.utf8.count + 1 + 63) / 64) * 64
        dict += String(repeating: " ", count: total - fixed - dict.utf8.count - 1) + "\n"
        let n = UInt16(dict.utf8.count)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(dict.utf8)
    }

    /// Writes `values` (row-major, `rows × columns`) to `path` atomically.
    public static func write(_ values: [Float], rows: Int, columns: Int, to path: String) throws {
        precondition(values.count == rows * columns, "NPY.write: \(values.count) values for \(rows) × \(columns)")
        let writer = try NPYWriter(path: path, columns: columns, rows: rows)
        try writer.append(values)
        try writer.commit()
    }

    /// A float32 `.npy` file read back: its shape and values (C order).
    public static func read(path: String) throws -> (shape: [Int], values: [Float]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IndexerError.io("cannot read", path: path)
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw IndexerError(.badInput, "not a .npy file (bad magic)", path: path)
        }
        let major = bytes[6]
        var headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else if major == 2 || major == 3 {
            guard bytes.count >= 12 else { throw IndexerError(.badInput, "truncated .npy header", path: path) }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        } else {
            throw IndexerError(.badInput, ".npy version \(major) is not supported", path: path)
        }
        guard start + headerLength <= bytes.count,
            let header = String(bytes: bytes[start..<(start + headerLength)], encoding: .utf8)
        else {
            throw IndexerError(.badInput, "truncated .npy header", path: path)
        }
        guard header.contains("'descr': '<f4'") else {
            throw IndexerError(.badInput, ".npy dtype is not little-endian float32 ('<f4')", path: path)
        }
        guard header.contains("'fortran_order': False") else {
            throw IndexerError(.badInput, ".npy array is in Fortran order", path: path)
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw IndexerError(.badInput, ".npy header has no shape", path: path)
        }
        var shape: [Int] = []
        for part in header[open.upperBound..<close].split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let d = Int(t), d >= 0 else { throw IndexerError(.badInput, ".npy shape is malformed", path: path) }
            shape.append(d)
        }
        let count = shape.reduce(1, *)
        let dataStart = start + headerLength
        guard bytes.count - dataStart == count * 4 else {
            throw IndexerError(.badInput, ".npy holds \(bytes.count - dataStart) data bytes, shape \(shape) needs \(count * 4)", path: path)
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + 4 * i, as: UInt32.self)))
            }
        }
        return (shape, values)
    }
}

/// Streams rows of a `rows × columns` float32 `.npy` file through an ``AtomicFileWriter``:
/// the header is written first (the row count is known up front), the file appears under
/// its name only at ``commit()``, and only if exactly `rows` rows were appended.
public final class NPYWriter {
    private let writer: AtomicFileWriter
    public let rows: Int
    public let columns: Int
    private var written = 0

    /// Creates the temporary file and writes the header.
    public init(path: String, columns: Int, rows: Int) throws {
        self.rows = rows
        self.columns = columns
        writer = try AtomicFileWriter(path: path)
        try writer.write(NPY.header(shape: [rows, columns]))
    }

    /// Appends whole rows (a multiple of `columns` floats).
    public func append(_ values: [Float]) throws {
        precondition(values.count % columns == 0, "NPYWriter.append: partial row")
        guard written + values.count / columns <= rows else {
            throw IndexerError(.internal, "more than \(rows) rows appended", path: writer.path)
        }
        var le = values.map { $0.bitPattern.littleEndian }
        try le.withUnsafeMutableBytes { try writer.write(UnsafeRawBufferPointer($0)) }
        written += values.count / columns
    }

    /// Checks the row count, then fsyncs and renames onto the final path.
    public func commit() throws {
        guard written == rows else {
            writer.abandon()
            throw IndexerError(.internal, "\(written) rows appended, \(rows) declared", path: writer.path)
        }
        try writer.commit()
    }

    /// Drops the temporary file.
    public func abandon() { writer.abandon() }
}
